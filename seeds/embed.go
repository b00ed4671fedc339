// Package seeds embeds the seed articles, so that newsearch serves them
// with no set-up when no seeds directory is on disk.
package seeds

import "embed"

// FS holds the seed article files and their meta.json sidecar.
//
//go:embed *.txt meta.json
var FS embed.FS
