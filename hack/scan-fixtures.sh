#!/usr/bin/env bash
# Builds the two tiny images the scan tests use, pushes them to a loopback OCI registry, scans them by digest with a
# real Trivy against a small vulnerability database built from Trivy's own test fixtures, and writes the reports.
#
#   hack/scan-fixtures.sh REGISTRY_HOSTPORT OUTDIR
#
# REGISTRY_HOSTPORT: a plain-HTTP registry on loopback, e.g. 127.0.0.1:5000 (`crane registry serve --address ...`).
# OUTDIR (created if missing) receives:
#   vulnerable.json  Trivy JSON (SchemaVersion 2) of REGISTRY/scan/musl@<digest>: alpine 3.9.4 with musl 1.1.20-r4,
#                    which the fixture database rates CRITICAL through CVE-2019-14697 (fixed in 1.1.20-r5)
#   fixed.json       the same image with musl 1.1.20-r5: no findings
#   nodigest.json    the vulnerable image scanned from an image archive (`trivy image --input vulnerable-image.tar`,
#                    kept next to it): a real report with no Metadata.RepoDigests, which `hardening scan import` refuses
#   digests.env      VULNERABLE=<registry>/scan/musl@sha256:...  FIXED=<registry>/scan/musl@sha256:...
#   trivy-cache/     the fixture database (db/trivy.db, db/metadata.json) and Trivy's layer cache
#
# Nothing leaves the machine: the images are built from files written here, the database from fixtures in the Go
# module cache, and Trivy runs with --offline-scan --skip-db-update and without version checks or telemetry.
# The layers are built reproducibly (fixed mtimes and owners), so the digests are the same on every run.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[scan-fixtures] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -eq 2 ]] || die "usage: hack/scan-fixtures.sh REGISTRY_HOSTPORT OUTDIR"
registry="$1"
out="$2"
[[ "$registry" =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ || "$registry" =~ ^localhost:[0-9]+$ ]] ||
  die "REGISTRY_HOSTPORT must be a loopback host:port (127.x.x.x:PORT or localhost:PORT), not '$registry'"
command -v tar >/dev/null 2>&1 || die "tar is not on PATH"

tools="$("${script_dir}/ensure-k8s-tools.sh" crane trivy trivy-test-db)"
tool() { sed -n "s/^$1=//p" <<<"$tools"; }
crane="$(tool crane)"
trivy="$(tool trivy)"
trivy_test_db="$(tool trivy-test-db)"

# The fixtures ship in the Trivy module, which building trivy has put into the module cache.
trivy_module="$(GOWORK=off GOFLAGS=-mod=readonly go -C "${script_dir}/tools/scan" list -m -f '{{.Dir}}' github.com/aquasecurity/trivy)"
fixtures="${trivy_module}/integration/testdata/fixtures/db"
[[ -d "$fixtures" ]] || die "no Trivy DB fixtures at ${fixtures}"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="${out}/trivy-cache"
rm -rf "$cache"
"$trivy_test_db" -fixtures "$fixtures" -cache-dir "$cache"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# layer <name> <musl version>: a one-layer root file system an apk-based scanner reads as alpine 3.9.4 with musl.
layer() {
  local root="${work}/$1"
  mkdir -p "${root}/etc" "${root}/lib/apk/db"
  printf '3.9.4\n' > "${root}/etc/alpine-release"
  cat > "${root}/lib/apk/db/installed" <<EOF
P:musl
V:$2
A:x86_64
T:the musl c library (libc) implementation
U:http://www.musl-libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>

EOF
  tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "${work}/$1.tar" etc lib
}

# push <name> <musl version>: prints the manifest digest the registry serves.
push() {
  layer "$1" "$2"
  "$crane" --insecure append -f "${work}/$1.tar" -t "${registry}/scan/musl:$1" >/dev/null 2>"${work}/crane.log" ||
    die "crane append to ${registry} failed: $(cat "${work}/crane.log")"
  "$crane" --insecure digest "${registry}/scan/musl:$1"
}

# scan <reference by digest> <report>: a real, offline Trivy scan of what the registry serves.
trivy_flags=(--cache-dir "$cache" --skip-db-update --skip-java-db-update --offline-scan --skip-version-check
  --disable-telemetry --scanners vuln --quiet -f json)
scan() {
  "$trivy" image "${trivy_flags[@]}" --image-src remote --insecure -o "$2" "$1" 2>"${work}/trivy.log" ||
    die "trivy image $1 failed: $(cat "${work}/trivy.log")"
}

vulnerable="${registry}/scan/musl@$(push vulnerable 1.1.20-r4)"
fixed="${registry}/scan/musl@$(push fixed 1.1.20-r5)"
scan "$vulnerable" "${out}/vulnerable.json"
scan "$fixed" "${out}/fixed.json"

# The same vulnerable image as an archive: Trivy then has no registry, hence no manifest digest, to report.
"$crane" --insecure pull "$vulnerable" "${out}/vulnerable-image.tar" 2>"${work}/crane.log" ||
  die "crane pull ${vulnerable} failed: $(cat "${work}/crane.log")"
"$trivy" image "${trivy_flags[@]}" --input "${out}/vulnerable-image.tar" -o "${out}/nodigest.json" 2>"${work}/trivy.log" ||
  die "trivy image --input failed: $(cat "${work}/trivy.log")"

printf 'VULNERABLE=%s\nFIXED=%s\n' "$vulnerable" "$fixed" > "${out}/digests.env"
log "VULNERABLE=${vulnerable}"
log "FIXED=${fixed}"
log "reports in ${out}: vulnerable.json fixed.json nodigest.json digests.env"
