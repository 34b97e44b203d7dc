package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes data to path so that readers see either the old
// file or the whole new one, never a part: it writes a temporary file in the
// same directory, syncs it and renames (or, without overwrite, hard-links)
// it into place. Unless overwrite is true it refuses to replace an existing
// file and says so. The directory of path must exist.
func WriteFileAtomic(path string, data []byte, overwrite bool) error {
	return WriteFileWith(path, overwrite, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileWith is WriteFileAtomic for content produced by fill, which
// writes to a buffered temporary file.
func WriteFileWith(path string, overwrite bool, fill func(w io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		if !overwrite {
			return fmt.Errorf("write %s: %w (pass --overwrite to replace it)", path, fs.ErrExist)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once renamed; cleans up on every error path
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if overwrite {
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	// A hard link never replaces an existing name, so a file created by
	// someone else since the check above is not clobbered.
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("write %s: %w (pass --overwrite to replace it)", path, fs.ErrExist)
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteDir fills a fresh staging directory through fill and then publishes
// it as dir, so dir ends up holding either the complete new output or what
// it held before: a missing dir is created (parents too, only at the end),
// an empty one replaced, a non-empty one only with overwrite (the old one
// is moved aside first and removed last). On any error the staging
// directory is removed and dir is untouched.
func WriteDir(dir string, overwrite bool, fill func(staging string) error) (err error) {
	if dir == "" {
		return errors.New("empty output directory name")
	}
	dir = filepath.Clean(dir)
	if _, err := targetDir(dir, overwrite); err != nil {
		return err
	}
	staging, err := stageDir(dir)
	if err != nil {
		return err
	}
	published := false
	defer func() {
		if !published {
			if rerr := os.RemoveAll(staging); rerr != nil && err == nil {
				err = fmt.Errorf("output directory %s: removing staging directory: %w", dir, rerr)
			}
		}
	}()
	if err := fill(staging); err != nil {
		return err
	}
	if err := publishDir(staging, dir, overwrite); err != nil {
		return err
	}
	published = true
	return nil
}

// CheckDir reports whether dir can receive a run's output with the given
// overwrite setting: it can if it does not exist, is an empty directory, or
// overwrite is true and it is a directory. Commands call it before a long
// run so that a refusal comes at once; WriteRun checks again when it
// publishes.
func CheckDir(dir string, overwrite bool) error {
	_, err := targetDir(dir, overwrite)
	return err
}

// dirState is what targetDir found at an output path.
type dirState int

const (
	dirMissing  dirState = iota // nothing there
	dirEmpty                    // an empty directory
	dirNonEmpty                 // a directory with entries (overwrite allowed)
)

// targetDir inspects dir (after following a symbolic link) and says whether
// and how it can be replaced.
func targetDir(dir string, overwrite bool) (dirState, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(dir); lerr == nil {
			return 0, fmt.Errorf("output directory %s: is a dangling symbolic link", dir)
		}
		return dirMissing, nil
	}
	if err != nil {
		return 0, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return 0, fmt.Errorf("output directory %s: exists and is not a directory", dir)
	}
	f, err := os.Open(dir)
	if err != nil {
		return 0, fmt.Errorf("output directory %s: %w", dir, err)
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); err == io.EOF {
		return dirEmpty, nil
	} else if err != nil {
		return 0, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if !overwrite {
		return 0, fmt.Errorf("output directory %s exists and is not empty (pass --overwrite to replace it)", dir)
	}
	return dirNonEmpty, nil
}

// stageDir creates a fresh, private staging directory for the output dir
// next to where dir will be: in dir's parent, or, when that does not exist
// yet, in its nearest existing ancestor (so a failing run creates no parent
// directories, and the final rename stays on one file system).
func stageDir(dir string) (string, error) {
	parent := filepath.Dir(dir)
	for {
		fi, err := os.Stat(parent)
		if err == nil {
			if !fi.IsDir() {
				return "", fmt.Errorf("output directory %s: %s is not a directory", dir, parent)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("output directory %s: %w", dir, err)
		}
		up := filepath.Dir(parent)
		if up == parent {
			return "", fmt.Errorf("output directory %s: no existing ancestor", dir)
		}
		parent = up
	}
	st, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("output directory %s: staging: %w", dir, err)
	}
	return st, nil
}

// publishDir moves the complete staging directory to dir. A missing dir is
// created by the rename (its missing parents first); an empty one is
// replaced; a non-empty one is replaced only if overwrite is true, by moving
// it aside, renaming the new one in and only then removing the old one. On
// error dir is left as it was; the caller removes staging.
func publishDir(staging, dir string, overwrite bool) error {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	state, err := targetDir(dir, overwrite)
	if err != nil {
		return err
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	switch state {
	case dirMissing:
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
	case dirEmpty:
		if err := os.Remove(dir); err != nil {
			return fmt.Errorf("output directory %s: replacing empty directory: %w", dir, err)
		}
	case dirNonEmpty:
		aside, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-*")
		if err != nil {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
		old := filepath.Join(aside, filepath.Base(dir))
		if err := os.Rename(dir, old); err != nil {
			os.Remove(aside)
			return fmt.Errorf("output directory %s: moving old output aside: %w", dir, err)
		}
		if err := os.Rename(staging, dir); err != nil {
			if rerr := os.Rename(old, dir); rerr != nil {
				return fmt.Errorf("output directory %s: %w (and restoring the old output from %s failed: %v)", dir, err, old, rerr)
			}
			os.Remove(aside)
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
		if err := os.RemoveAll(aside); err != nil {
			return fmt.Errorf("output directory %s: new output in place, removing the old one from %s: %w", dir, aside, err)
		}
		return nil
	}
	if err := os.Rename(staging, dir); err != nil {
		if state == dirEmpty {
			os.Mkdir(dir, 0o755) // best effort: put the empty directory back
		}
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	return nil
}
