#!/usr/bin/env bash
# Prints the directory holding the OpenReports CRDs (openreports.io_reports.yaml, openreports.io_clusterreports.yaml)
# of the Go module github.com/openreports/reports-api at the version pinned in hack/tools/openreports/go.mod, fetched
# through the Go module proxy into the Go module cache (verified against go.sum). Never a copy kept by hand: the
# e2e tests install these files into the test API server, and hack/render-manifests.sh copies them into the chart.
#
#   dir="$(hack/openreports-crds.sh)"   # the last line of stdout; progress and errors go to stderr
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mod="${root}/hack/tools/openreports"
command -v go >/dev/null 2>&1 || { echo "[openreports-crds] ERROR: go is not on PATH" >&2; exit 1; }

version="$(awk '$1 == "require" && $2 == "github.com/openreports/reports-api" { print $3 }' "${mod}/go.mod")"
[[ -n "$version" ]] || { echo "[openreports-crds] ERROR: no version in ${mod}/go.mod" >&2; exit 1; }
# GOWORK=off: a go.work elsewhere must not take part; GOFLAGS=-mod=mod lets download check go.sum for this module only
json="$(cd "$mod" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/openreports/reports-api@${version}")"
dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$dir" && -f "${dir}/config/crd/openreports.io_reports.yaml" ]] || {
  echo "[openreports-crds] ERROR: go mod download gave no CRDs: ${json}" >&2; exit 1; }
echo "${dir}/config/crd"
