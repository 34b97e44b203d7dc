package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
)

// goFile is one parsed Go source file of the repository.
type goFile struct {
	path string // relative to the repository root, with forward slashes
	fset *token.FileSet
	f    *ast.File
}

// parseGo parses the Go file at rel (relative to root) with its comments.
func parseGo(root, rel string) (*goFile, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, filepath.FromSlash(rel)), nil, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", rel, err)
	}
	return &goFile{path: rel, fset: fset, f: f}, nil
}

// field is one field of a Go struct type, as written in the source.
type field struct {
	goName string   // the Go name, e.g. "ValueOfTime"
	key    string   // the toml tag, e.g. "value_of_time"; "" for none or "-"
	typ    ast.Expr // the field's type
	doc    string   // the doc comment's text, "" when none
}

// structType is a struct type declared in a file, with its doc comment.
type structType struct {
	name   string
	doc    string
	fields []field
}

// structs returns the exported struct types declared in g, by name.
func (g *goFile) structs() map[string]*structType {
	out := map[string]*structType{}
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !ts.Name.IsExported() {
				continue
			}
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			s := &structType{name: ts.Name.Name, doc: doc.Text()}
			for _, fl := range st.Fields.List {
				key := ""
				if fl.Tag != nil {
					tag, err := strconv.Unquote(fl.Tag.Value)
					if err == nil {
						key, _, _ = strings.Cut(reflect.StructTag(tag).Get("toml"), ",")
						if key == "-" {
							key = ""
						}
					}
				}
				for _, n := range fl.Names {
					if !n.IsExported() {
						continue
					}
					s.fields = append(s.fields, field{goName: n.Name, key: key, typ: fl.Type, doc: fl.Doc.Text()})
				}
			}
			out[s.name] = s
		}
	}
	return out
}

// stringConsts returns the string constants declared in g, by name.
func (g *goFile) stringConsts() map[string]string {
	out := map[string]string{}
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out[n.Name] = s
					}
				}
			}
		}
	}
	return out
}

// constDocs returns the constants of the const block whose first name is
// first, in order, each with its doc or line comment ("" when none).
func (g *goFile) constDocs(first string) ([]string, map[string]string, error) {
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST || len(gd.Specs) == 0 {
			continue
		}
		if vs := gd.Specs[0].(*ast.ValueSpec); len(vs.Names) == 0 || vs.Names[0].Name != first {
			continue
		}
		var names []string
		docs := map[string]string{}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			text := vs.Doc.Text()
			if text == "" {
				text = vs.Comment.Text()
			}
			for _, n := range vs.Names {
				names = append(names, n.Name)
				docs[n.Name] = strings.TrimSpace(text)
			}
		}
		return names, docs, nil
	}
	return nil, nil, fmt.Errorf("%s: no const block starting with %s", g.path, first)
}

// funcDecl returns the function (not method) or method named name.
func (g *goFile) funcDecl(name string) (*ast.FuncDecl, error) {
	for _, decl := range g.f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Name.Name == name {
			return fd, nil
		}
	}
	return nil, fmt.Errorf("%s: no function %s", g.path, name)
}

// funcDoc returns the doc comment of the function or method named name.
func (g *goFile) funcDoc(name string) (string, error) {
	fd, err := g.funcDecl(name)
	if err != nil {
		return "", err
	}
	if fd.Doc == nil {
		return "", fmt.Errorf("%s: function %s has no doc comment", g.path, name)
	}
	return fd.Doc.Text(), nil
}

// typeDoc returns the doc comment of the type named name.
func (g *goFile) typeDoc(name string) (string, error) {
	for _, decl := range g.f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			if ts.Name.Name != name {
				continue
			}
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			if doc == nil {
				return "", fmt.Errorf("%s: type %s has no doc comment", g.path, name)
			}
			return doc.Text(), nil
		}
	}
	return "", fmt.Errorf("%s: no type %s", g.path, name)
}

// packageDoc returns the package doc comment.
func (g *goFile) packageDoc() (string, error) {
	if g.f.Doc == nil {
		return "", fmt.Errorf("%s: no package doc comment", g.path)
	}
	return g.f.Doc.Text(), nil
}

// floatingComment returns the first comment group of the file that is
// neither the package doc nor the doc of a declaration nor inside one, and
// that starts with prefix ("" for any): the block comments in which the
// engine's files describe their rule.
func (g *goFile) floatingComment(prefix string) (string, error) {
	attached := map[*ast.CommentGroup]bool{g.f.Doc: true}
	type span struct{ lo, hi token.Pos }
	var inside []span
	for _, decl := range g.f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			attached[d.Doc] = true
		case *ast.GenDecl:
			attached[d.Doc] = true
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					attached[s.Doc] = true
				case *ast.ValueSpec:
					attached[s.Doc] = true
				}
			}
		}
		inside = append(inside, span{decl.Pos(), decl.End()})
	}
next:
	for _, cg := range g.f.Comments {
		if attached[cg] || cg.Pos() < g.f.Name.End() {
			continue
		}
		for _, s := range inside {
			if cg.Pos() >= s.lo && cg.End() <= s.hi {
				continue next
			}
		}
		if text := cg.Text(); strings.HasPrefix(text, prefix) {
			return text, nil
		}
	}
	return "", fmt.Errorf("%s: no free-standing comment starting with %q", g.path, prefix)
}

// bodyComments returns the texts of the comments inside the body of the
// function or method named name, in order.
func (g *goFile) bodyComments(name string) ([]string, error) {
	fd, err := g.funcDecl(name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, cg := range g.f.Comments {
		if cg.Pos() > fd.Body.Lbrace && cg.End() < fd.Body.Rbrace {
			out = append(out, strings.TrimSpace(cg.Text()))
		}
	}
	return out, nil
}

// stringSliceLit returns the string literals of the composite literal
// assigned to the variable named v (e.g. `header := []string{...}`)
// inside the function named fn.
func (g *goFile) stringSliceLit(fn, v string) ([]string, error) {
	fd, err := g.funcDecl(fn)
	if err != nil {
		return nil, err
	}
	var out []string
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || found || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			return true
		}
		id, ok := as.Lhs[0].(*ast.Ident)
		if !ok || id.Name != v {
			return true
		}
		cl, ok := as.Rhs[0].(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, e := range cl.Elts {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			out = append(out, s)
		}
		found = true
		return false
	})
	if !found {
		return nil, fmt.Errorf("%s: %s has no `%s := []string{...}`", g.path, fn, v)
	}
	return out, nil
}
