#!/usr/bin/env bash
# Prints the directory holding cert-manager's CRDs (deploy/crds/*.yaml: Certificate, CertificateRequest, Issuer,
# ClusterIssuer, Order, Challenge) of the Go module github.com/cert-manager/cert-manager at the version pinned in
# hack/tools/certmanager/go.mod, the module cert-manager-controller and cert-manager-cainjector are built from
# (hack/ensure-k8s-tools.sh), fetched through the Go module proxy into the Go module cache (verified against go.sum).
# CertManagerIT applies them to the test API server (kubectl apply --server-side).
#
#   dir="$(hack/cert-manager-crds.sh)"   # the last line of stdout; progress and errors go to stderr
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mod="${root}/hack/tools/certmanager"
command -v go >/dev/null 2>&1 || { echo "[cert-manager-crds] ERROR: go is not on PATH" >&2; exit 1; }

version="$(awk '($1 == "require" && $2 == "github.com/cert-manager/cert-manager") { print $3; exit } $1 == "github.com/cert-manager/cert-manager" { print $2; exit }' "${mod}/go.mod")"
[[ -n "$version" ]] || { echo "[cert-manager-crds] ERROR: no version in ${mod}/go.mod" >&2; exit 1; }
# GOWORK=off: a go.work elsewhere must not take part; GOFLAGS=-mod=mod lets download check go.sum for this module only
json="$(cd "$mod" && GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/cert-manager/cert-manager@${version}")"
dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$dir" && -f "${dir}/deploy/crds/cert-manager.io_certificates.yaml" ]] || {
  echo "[cert-manager-crds] ERROR: go mod download gave no CRDs: ${json}" >&2; exit 1; }
echo "${dir}/deploy/crds"
