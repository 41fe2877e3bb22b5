#!/usr/bin/env bash
# Writes what kubectl itself makes of each tricky-YAML case in src/test/resources/cli/yaml-dialect/ into its
# expected/ folder: <case>.json (the objects kubectl decodes, as it prints them) or <case>.error (its error, when it
# refuses the file). YamlDialectTest holds the CLI's reader to these files. Run it after adding or changing a case.
#
#   hack/yaml-dialect-expected.sh
#
# kubectl decodes without a cluster with `annotate --local` (create --dry-run=client would ask the API server for
# its OpenAPI document): removing an annotation that is not there changes nothing but the empty `annotations`
# map it adds, which the test ignores. Custom kinds (example.com/v1 Probe) keep free-form fields untyped.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kubectl="$("$root/hack/ensure-k8s-tools.sh" kubectl | sed -n "s/^kubectl=//p")"
cases="$root/src/test/resources/cli/yaml-dialect"
mkdir -p "$cases/expected"
rm -f "$cases"/expected/*

cd "$cases"
for file in *.yaml *.json; do
  name="${file%.*}"
  # no kubeconfig, no cluster: --local never connects, and nothing else may
  if KUBECONFIG=/dev/null "$kubectl" annotate --local -o json -f "$file" hardening.dev/yaml-dialect- \
      >"expected/$name.json" 2>"expected/$name.stderr"; then
    rm "expected/$name.stderr"
  else
    rm "expected/$name.json"
    head -1 "expected/$name.stderr" >"expected/$name.error"
    rm "expected/$name.stderr"
  fi
done
echo "kubectl $("$kubectl" version --client -o json | grep -m1 gitVersion | cut -d'"' -f4): $(ls expected | wc -l) expected results in $cases/expected" >&2
