package ensemble

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/migsim/migsim/sim/report"
)

// writeDir fills a fresh staging directory next to dir through fill and then
// renames it into place, so dir ends up holding either the complete new
// output or what it held before. A missing dir is created (parents too); an
// empty one is replaced; a non-empty one only with overwrite (the old one is
// moved aside first and removed last).
func writeDir(dir string, overwrite bool, fill func(staging string) error) (err error) {
	if dir == "" {
		return errors.New("empty output directory name")
	}
	dir = filepath.Clean(dir)
	if err := report.CheckDir(dir, overwrite); err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	for {
		fi, err := os.Stat(parent)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("output directory %s: %s is not a directory", dir, parent)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("output directory %s: %w", dir, err)
		}
		if filepath.Dir(parent) == parent {
			return fmt.Errorf("output directory %s: no existing ancestor", dir)
		}
		parent = filepath.Dir(parent)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	defer func() {
		if staging != "" {
			os.RemoveAll(staging)
		}
	}()
	if err := fill(staging); err != nil {
		return err
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	// Check again: something may have appeared while we worked.
	if err := report.CheckDir(dir, overwrite); err != nil {
		return err
	}
	var aside string
	if entries, err := os.ReadDir(dir); err == nil {
		if len(entries) == 0 {
			if err := os.Remove(dir); err != nil {
				return fmt.Errorf("output directory %s: %w", dir, err)
			}
		} else {
			if aside, err = os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-*"); err != nil {
				return fmt.Errorf("output directory %s: %w", dir, err)
			}
			if err := os.Rename(dir, filepath.Join(aside, "old")); err != nil {
				os.Remove(aside)
				return fmt.Errorf("output directory %s: moving the old output aside: %w", dir, err)
			}
		}
	} else if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	if err := os.Rename(staging, dir); err != nil {
		if aside != "" {
			os.Rename(filepath.Join(aside, "old"), dir)
			os.Remove(aside)
		}
		return fmt.Errorf("output directory %s: %w", dir, err)
	}
	staging = ""
	if aside != "" {
		if err := os.RemoveAll(aside); err != nil {
			return fmt.Errorf("output directory %s: new output in place; removing the old one from %s: %w", dir, aside, err)
		}
	}
	return nil
}
