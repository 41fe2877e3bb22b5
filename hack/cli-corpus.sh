#!/usr/bin/env bash
# Builds a corpus of real-world manifests for measuring the CLI (docs/cli.md, "Measured on real manifests"):
# every bitnami chart rendered with its defaults and with each of its ci/ values files, every
# prometheus-community chart whose dependencies are in the same repository, and the plain manifests of
# kubernetes/examples. Third-party files stay out of this repository: this script rebuilds them.
#
#   hack/cli-corpus.sh OUT_DIR
#
# Sources, pinned (PROVENANCE in OUT_DIR records what was used):
#   bitnami/charts                  5165628ae0  Apache-2.0
#   prometheus-community/helm-charts cf408a290  Apache-2.0
#   kubernetes/examples             279e8e4f    Apache-2.0
# Each is read from a bare git directory when CORPUS_MIRROR/<owner>+<name>/repo exists, else cloned from GitHub.
# Chart dependencies are not downloaded: a dependency that lives in the same repository (bitnami's common, redis,
# postgresql, ...) is copied into the chart's charts/ folder; a chart whose dependencies are elsewhere is left out
# (and listed in OUT_DIR/FAILED). Rendering uses helm from hack/ensure-k8s-tools.sh, as `helm template` for
# Kubernetes 1.34, offline.
set -euo pipefail

out="${1:?usage: hack/cli-corpus.sh OUT_DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mirror="${CORPUS_MIRROR:-/work/.mirror}"
helm="$("$root/hack/ensure-k8s-tools.sh" helm | sed -n "s/^helm=//p")"
sources=(
  "bitnami/charts 5165628ae0"
  "prometheus-community/helm-charts cf408a290"
  "kubernetes/examples 279e8e4f"
)

mkdir -p "$out"/src "$out"/rendered "$out"/plain
out="$(cd "$out" && pwd)"
: >"$out/FAILED"
echo "# corpus built $(date -u +%FT%TZ) by hack/cli-corpus.sh" >"$out/PROVENANCE"

export_repo() { # owner/name commit -> $out/src/owner+name
  local repo="$1" commit="$2" dir="$out/src/${1/\//+}"
  rm -rf "$dir" && mkdir -p "$dir"
  local git_dir="$mirror/${repo/\//+}/repo"
  if [[ ! -d "$git_dir" ]]; then
    git_dir="$out/src/${repo/\//+}.git"
    [[ -d "$git_dir" ]] || git clone -q --bare "https://github.com/$repo" "$git_dir"
  fi
  local full
  full="$(git --git-dir "$git_dir" rev-parse "$commit^{commit}")"
  git --git-dir "$git_dir" archive "$full" | tar -x -C "$dir"
  echo "$repo $full https://github.com/$repo/tree/$full" >>"$out/PROVENANCE"
}

# vendor CHART_DIR SIBLINGS_DIR: copies every dependency found among the siblings into charts/, recursively
vendor() {
  local chart="$1" siblings="$2" dep
  for dep in $(python3 -c 'import sys, yaml
for d in (yaml.safe_load(open(sys.argv[1])) or {}).get("dependencies") or []: print(d["name"])' "$chart/Chart.yaml"); do
    [[ -d "$chart/charts/$dep" ]] && continue
    [[ -f "$siblings/$dep/Chart.yaml" ]] || return 1
    mkdir -p "$chart/charts" && cp -r "$siblings/$dep" "$chart/charts/$dep"
    vendor "$chart/charts/$dep" "$siblings" || return 1
  done
}

render() { # CHART_DIR NAME [VALUES]: the release is named after the chart, as short as Helm wants it
  local chart="$1" name="$2" values="${3:-}" args=() release
  release="$(basename "$chart" | cut -c1-40)"
  [[ -n "$values" ]] && args=(-f "$values")
  if ! "$helm" template "$release" "$chart" --kube-version 1.34.0 "${args[@]}" >"$out/rendered/$name.yaml" 2>"$out/rendered/$name.err"; then
    echo "$name: $(grep -m1 -i error "$out/rendered/$name.err" || head -1 "$out/rendered/$name.err")" >>"$out/FAILED"
    rm -f "$out/rendered/$name.yaml"
  fi
  rm -f "$out/rendered/$name.err"
}

for entry in "${sources[@]}"; do
  export_repo $entry
done

for base in "$out/src/bitnami+charts/bitnami" "$out/src/prometheus-community+helm-charts/charts"; do
  prefix="$(basename "$(dirname "$base")" | cut -d+ -f1)"
  for chart in "$base"/*/; do
    chart="${chart%/}"
    name="$(basename "$chart")"
    [[ -f "$chart/Chart.yaml" && "$name" != common ]] || continue
    grep -q '^type: library' "$chart/Chart.yaml" && continue
    if ! vendor "$chart" "$base"; then
      echo "$prefix-$name: a dependency is not in the repository" >>"$out/FAILED"
      continue
    fi
    render "$chart" "$prefix-$name"
    for values in "$chart"/ci/*.yaml; do
      [[ -f "$values" ]] && render "$chart" "$prefix-$name-ci-$(basename "${values%.*}")" "$values"
    done
  done
done

(cd "$out/src/kubernetes+examples" && find . -name '*.yaml' -o -name '*.yml' -o -name '*.json' | grep -v '/\.' |
  while read -r file; do
    target="$out/plain/kubernetes-examples/${file#./}"
    mkdir -p "$(dirname "$target")" && cp "$file" "$target"
  done)

echo "corpus: $(ls "$out/rendered" | wc -l) rendered charts, $(find "$out/plain" -type f | wc -l) plain files, $(wc -l <"$out/FAILED") left out (FAILED) in $out" >&2
