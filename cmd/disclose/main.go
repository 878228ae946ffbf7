// Command disclose publishes departments' spending and performance
// disclosures as a static website. See README.md. It imports internal/cli
// only (the top layer, see internal/arch).
package main

import (
	"os"

	"disclose/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
