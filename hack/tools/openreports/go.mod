// The OpenReports API module, for its CRDs only (config/crd/): hack/openreports-crds.sh prints where the Go
// module cache holds them. Nothing is built from it. To bump: change the version here and in go.sum
// (go mod download -json github.com/openreports/reports-api@<version> prints both sums).
module hardening.dev/tools/openreports

go 1.24

require github.com/openreports/reports-api v0.2.1
