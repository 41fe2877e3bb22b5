// Command trivy-test-db builds a small Trivy vulnerability database from Trivy's own test fixtures
// (integration/testdata/fixtures/db/*.yaml of the Trivy module), the way Trivy's integration tests do, so the
// scan tests run a real `trivy image --skip-db-update --offline-scan` without downloading the real database.
// It writes trivy-db's layout: CACHE_DIR/db/trivy.db and CACHE_DIR/db/metadata.json (use with --cache-dir).
// Test tooling only (see hack/ensure-k8s-tools.sh and hack/scan-fixtures.sh); not part of the product.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	fixtures "github.com/aquasecurity/bolt-fixtures"
	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
)

func main() {
	fixtureDir := flag.String("fixtures", "", "directory holding the fixture YAML files (Trivy module's integration/testdata/fixtures/db)")
	cacheDir := flag.String("cache-dir", "", "Trivy cache directory to write db/trivy.db and db/metadata.json into")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "Usage: trivy-test-db -fixtures DIR -cache-dir DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *fixtureDir == "" || *cacheDir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := build(*fixtureDir, *cacheDir); err != nil {
		fmt.Fprintln(os.Stderr, "trivy-test-db:", err)
		os.Exit(1)
	}
}

func build(fixtureDir, cacheDir string) error {
	entries, err := os.ReadDir(fixtureDir)
	if err != nil {
		return err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			files = append(files, filepath.Join(fixtureDir, e.Name()))
		}
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.yaml fixtures in %s", fixtureDir)
	}
	dbDir := filepath.Join(cacheDir, "db")
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		return err
	}
	// a fresh database every time: bolt-fixtures adds to an existing file
	if err := os.Remove(db.Path(dbDir)); err != nil && !os.IsNotExist(err) {
		return err
	}
	loader, err := fixtures.New(db.Path(dbDir), files)
	if err != nil {
		return fmt.Errorf("opening %s: %w", db.Path(dbDir), err)
	}
	if err := loader.Load(); err != nil {
		loader.Close()
		return fmt.Errorf("loading fixtures: %w", err)
	}
	if err := loader.Close(); err != nil {
		return err
	}
	// DownloadedAt must be set, or Trivy treats the database as possibly corrupted.
	now := time.Now().UTC()
	return metadata.NewClient(dbDir).Update(metadata.Metadata{
		Version:      db.SchemaVersion,
		NextUpdate:   now.Add(24 * time.Hour),
		UpdatedAt:    now,
		DownloadedAt: now,
	})
}
