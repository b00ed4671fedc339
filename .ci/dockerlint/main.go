// Command dockerlint checks a Dockerfile offline with BuildKit's own parser
// and linter (the checks `docker build --check` runs), without a Docker
// engine or registry. It exits 1 on any parse error or lint warning.
//
//	go run . ../../Dockerfile
package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerlint Dockerfile")
		os.Exit(2)
	}
	path := os.Args[1]
	problems := 0
	warn := func(rule, description, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		fmt.Printf("%s:%d: %s: %s (%s)\n", path, line, rule, msg, url)
		problems++
	}

	// Syntax: the parser and every instruction's own parse.
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ast, err := parser.Parse(f)
	f.Close()
	if err != nil {
		fmt.Printf("%s: parse: %v\n", path, err)
		os.Exit(1)
	}
	for _, w := range ast.Warnings {
		fmt.Printf("%s:%d: %s\n", path, w.Location.Start.Line, w.Short)
		problems++
	}
	_, _, err = instructions.Parse(ast.AST, linter.New(&linter.Config{Warn: warn}))
	if err != nil {
		fmt.Printf("%s: %v\n", path, err)
		os.Exit(1)
	}

	// Our own promises about the image (see issue 4 and STYLE.md):
	// the checks BuildKit's graph-level linter would need a registry for
	// are replaced by these.
	problems += checkPromises(path, ast.AST, warn)

	if problems > 0 {
		os.Exit(1)
	}
	fmt.Printf("%s: no problems\n", path)
}

// checkPromises checks what the project promises about its image: a
// multi-stage build ending FROM scratch, a numeric non-root USER, a
// HEALTHCHECK through the binary, STOPSIGNAL, EXPOSE 8080, no floating
// :latest tags and no go mod tidy during the build.
func checkPromises(path string, root *parser.Node, warn linter.LintWarnFunc) int {
	n := 0
	bad := func(line int, msg string) {
		fmt.Printf("%s:%d: newsearch: %s\n", path, line, msg)
		n++
	}
	var froms []*parser.Node
	seen := map[string]int{}
	user := ""
	for _, c := range root.Children {
		cmd := strings.ToUpper(c.Value)
		seen[cmd] = c.StartLine
		switch cmd {
		case "FROM":
			froms = append(froms, c)
			if img := c.Next; img != nil && (strings.HasSuffix(img.Value, ":latest") || !strings.ContainsAny(img.Value, ":@") && img.Value != "scratch") {
				bad(c.StartLine, "base image "+img.Value+" is not pinned to a tag")
			}
		case "USER":
			user = c.Next.Value
		case "RUN":
			if strings.Contains(c.Original, "go mod tidy") {
				bad(c.StartLine, "go mod tidy in a build makes it non-reproducible")
			}
		}
	}
	if len(froms) < 2 {
		bad(1, "not a multi-stage build")
	} else if last := froms[len(froms)-1]; last.Next == nil || last.Next.Value != "scratch" {
		bad(last.StartLine, "final stage is not FROM scratch")
	}
	if !regexp.MustCompile(`^[1-9][0-9]*(:[0-9]+)?$`).MatchString(user) {
		bad(seen["USER"], "USER must be a numeric non-root uid, got "+fmt.Sprintf("%q", user))
	}
	for _, want := range []string{"HEALTHCHECK", "STOPSIGNAL", "EXPOSE", "ENTRYPOINT", "LABEL"} {
		if _, ok := seen[want]; !ok {
			bad(1, "no "+want)
		}
	}
	return n
}
