#!/usr/bin/env bash
# Runs the parity tool (main.go) over the rule fixtures, as `./mvnw verify` does: the full report goes to
# target/psa-parity.txt, the summary (and every line that is not "ok" when it fails) to stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$root/target"
report="$root/target/psa-parity.txt"
cd "$root/hack/psa-parity"
if ! go run -mod=readonly . "$root/src/test/resources/rules" >"$report" 2>&1; then
  grep -v '^ok ' "$report" || true
  echo "psa-parity: upstream Pod Security disagrees with a fixture (or the tool failed); full report: $report" >&2
  exit 1
fi
echo "psa-parity: $(tail -n 1 "$report") (report: $report)"
