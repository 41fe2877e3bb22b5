#!/usr/bin/env bash
# Ensures the Kubernetes binaries used by the end-to-end tests exist and prints
# the directory that holds them.
#
#   hack/ensure-k8s-tools.sh [TOOL...]
#
# TOOL is any of: etcd kube-apiserver kube-controller-manager kubectl helm promtool
# (default: all of them), or one of the tools built only when asked for:
# hey (HTTP load generator) pod-security-webhook (upstream's Pod Security admission webhook)
# crane (its `crane registry serve` is the OCI registry the `hardening pin` tests run),
# cert-manager-controller cert-manager-cainjector (cert-manager, run by CertManagerIT),
# trivy (the vulnerability scanner whose real reports the scan tests feed to `hardening scan import`),
# trivy-test-db (builds a small Trivy vulnerability database from Trivy's own test fixtures; see hack/scan-fixtures.sh),
# kyverno (Kyverno's admission controller, for hack/bench-kyverno.sh; a huge build, run under nice -n 10).
#
# The binaries are built from Go modules (no release downloads needed; only
# the Go module proxy must be reachable the first time):
#   hack/tools/k8s/   k8s.io/kubernetes        -> kube-apiserver, kube-controller-manager, kubectl
#   hack/tools/k8s-1.32/ k8s.io/kubernetes v1.32 -> the same, only with K8S_VERSION=v1.32.x (see below)
#   hack/tools/etcd/  go.etcd.io/etcd/server/v3 -> etcd
#   hack/tools/helm/  helm.sh/helm/v3          -> helm
#   hack/tools/bench/ github.com/rakyll/hey, k8s.io/pod-security-admission/cmd/webhook
#                                              -> hey, pod-security-webhook
#   hack/tools/promtool/ github.com/prometheus/prometheus -> promtool (`promtool check rules` on the chart's alerts)
#   hack/tools/registry/ github.com/google/go-containerregistry -> crane
#   hack/tools/certmanager/ github.com/cert-manager/cert-manager -> cert-manager-controller, cert-manager-cainjector
#                            (small mains in that module wire cert-manager's controllers: see its go.mod)
#   hack/tools/scan/  github.com/aquasecurity/trivy (+ ./trivy-test-db, a small tool of ours
#                     using github.com/aquasecurity/bolt-fixtures) -> trivy, trivy-test-db
#   hack/tools/kyverno/ github.com/kyverno/kyverno  -> kyverno (its cmd/kyverno)
# The versions are the ones required in those go.mod files.
#
# Output directory (laid out like KUBEBUILDER_ASSETS):
#   ${HARDENING_TOOLS_CACHE:-$HOME/.cache/hardening-operator}/k8s/<kubernetes version>/
# A binary is rebuilt only when it is missing or its tools module (go.mod/go.sum)
# changed since it was built.
#
# If KUBEBUILDER_ASSETS is set and holds etcd, kube-apiserver and kubectl, those
# are used as they are and that directory is printed; whatever it lacks
# (usually kube-controller-manager and helm) is built into the cache directory.
#
# Output contract (stdout): one line "<tool>=<absolute path>" per requested tool,
# then, as the LAST line, the absolute directory path (callers use `tail -1`).
# Progress messages go to stderr.
#
# Safe to run concurrently: builds are serialized with flock on a lock file in
# the cache directory, and every binary is built into a temporary file and
# renamed into place, so an interrupted build never leaves a half binary.
set -euo pipefail

# Bump when the build flags below change, to force a rebuild of cached binaries.
readonly BUILD_RECIPE=1

readonly ALL_TOOLS=(etcd kube-apiserver kube-controller-manager kubectl helm promtool)
readonly BENCH_TOOLS=(hey pod-security-webhook crane trivy trivy-test-db kyverno)
# cert-manager, built only when asked for (CertManagerIT asks)
readonly CERT_MANAGER_TOOLS=(cert-manager-controller cert-manager-cainjector)

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools_dir="${script_dir}/tools"

log() { echo "[ensure-k8s-tools] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go >= 1.24 is needed to build the Kubernetes tools)"
command -v flock >/dev/null 2>&1 || die "flock is not on PATH (util-linux)"

# module_version <tools module dir> <module path>: the version required in go.mod.
module_version() {
  local v
  v="$(awk -v m="$2" '
        $1 == "require" && $2 == m { print $3; exit }
        $1 == m && $2 ~ /^v[0-9]/  { print $2; exit }' "$1/go.mod")"
  [[ -n "$v" ]] || die "cannot find the version of $2 in $1/go.mod"
  echo "$v"
}

k8s_version="$(module_version "${tools_dir}/k8s" k8s.io/kubernetes)"
etcd_version="$(module_version "${tools_dir}/etcd" go.etcd.io/etcd/server/v3)"
helm_version="$(module_version "${tools_dir}/helm" helm.sh/helm/v3)"
hey_version="$(module_version "${tools_dir}/bench" github.com/rakyll/hey)"
psa_version="$(module_version "${tools_dir}/bench" k8s.io/pod-security-admission)"
promtool_version="$(module_version "${tools_dir}/promtool" github.com/prometheus/prometheus)"
crane_version="$(module_version "${tools_dir}/registry" github.com/google/go-containerregistry)"
cert_manager_version="$(module_version "${tools_dir}/certmanager" github.com/cert-manager/cert-manager)"
trivy_version="$(module_version "${tools_dir}/scan" github.com/aquasecurity/trivy)"
kyverno_version="$(module_version "${tools_dir}/kyverno" github.com/kyverno/kyverno)"
# client-go is what helm reports as its Kubernetes version (v0.34.x -> 1.34).
helm_client_go="$(module_version "${tools_dir}/helm" k8s.io/client-go)"

# --- Another Kubernetes version, on request (issue 25: the oldest supported minor is tested too) ---
# K8S_VERSION=v1.32.13 hack/ensure-k8s-tools.sh kube-apiserver kube-controller-manager [kubectl]
# builds those from hack/tools/k8s-<major>.<minor>/ (which must pin exactly that k8s.io/kubernetes)
# into .../k8s/<that version>/. Only the version-bound tools can be asked for: etcd, helm and the rest
# are the default set's (callers take them from a run without K8S_VERSION).
readonly VERSIONED_TOOLS=(kube-apiserver kube-controller-manager kubectl)
k8s_tools_mod="${tools_dir}/k8s"
if [[ -n "${K8S_VERSION:-}" && "${K8S_VERSION}" != "$k8s_version" ]]; then
  [[ "$K8S_VERSION" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "K8S_VERSION=${K8S_VERSION} is not vMAJOR.MINOR.PATCH"
  k8s_tools_mod="${tools_dir}/k8s-${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
  [[ -f "${k8s_tools_mod}/go.mod" ]] || die "no tools module ${k8s_tools_mod} for K8S_VERSION=${K8S_VERSION}"
  k8s_pinned="$(module_version "$k8s_tools_mod" k8s.io/kubernetes)"
  [[ "$k8s_pinned" == "$K8S_VERSION" ]] || die "${k8s_tools_mod}/go.mod pins k8s.io/kubernetes ${k8s_pinned}, not K8S_VERSION=${K8S_VERSION}"
  [[ $# -gt 0 ]] || die "with K8S_VERSION, name the tools (any of: ${VERSIONED_TOOLS[*]})"
  for t in "$@"; do
    [[ " ${VERSIONED_TOOLS[*]} " == *" $t "* ]] || die "with K8S_VERSION only ${VERSIONED_TOOLS[*]} can be built, not '$t'"
  done
  k8s_version="$K8S_VERSION"
  # a prebuilt KUBEBUILDER_ASSETS is of the default version, not of this one
  unset KUBEBUILDER_ASSETS
fi
# --- end of another Kubernetes version ---

[[ "$k8s_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || die "unexpected kubernetes version: $k8s_version"
k8s_major="${BASH_REMATCH[1]}"
k8s_minor="${BASH_REMATCH[2]}"
[[ "$helm_client_go" =~ ^v0\.([0-9]+)\. ]] || die "unexpected client-go version in helm module: $helm_client_go"
helm_k8s_minor="${BASH_REMATCH[1]}"

cache_root="${HARDENING_TOOLS_CACHE:-${HOME}/.cache/hardening-operator}"
out_dir="${cache_root}/k8s/${k8s_version}"

# Which tools were asked for.
requested=()
if [[ $# -eq 0 ]]; then
  requested=("${ALL_TOOLS[@]}")
else
  for t in "$@"; do
    case " ${ALL_TOOLS[*]} ${BENCH_TOOLS[*]} ${CERT_MANAGER_TOOLS[*]} " in
      *" $t "*) requested+=("$t") ;;
      *) die "unknown tool '$t' (known: ${ALL_TOOLS[*]} ${BENCH_TOOLS[*]} ${CERT_MANAGER_TOOLS[*]})" ;;
    esac
  done
fi

# A KUBEBUILDER_ASSETS directory counts only if it has etcd, kube-apiserver and kubectl.
assets_dir=""
if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if [[ -x "${KUBEBUILDER_ASSETS}/etcd" && -x "${KUBEBUILDER_ASSETS}/kube-apiserver" && -x "${KUBEBUILDER_ASSETS}/kubectl" ]]; then
    assets_dir="$(cd "${KUBEBUILDER_ASSETS}" && pwd)"
    log "using KUBEBUILDER_ASSETS=${assets_dir}"
  else
    log "KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} lacks etcd, kube-apiserver or kubectl; ignoring it"
  fi
fi

# tool_info <tool>: sets module dir, package, version and ldflags of a tool.
tool_info() {
  local cb=k8s.io/component-base/version cg=k8s.io/client-go/pkg/version hv=helm.sh/helm/v3
  t_tags=""
  t_goexperiment=""
  case "$1" in
    etcd)
      t_mod="${tools_dir}/etcd"; t_pkg=go.etcd.io/etcd/server/v3; t_version="$etcd_version"
      t_ldflags="-s -w"
      t_hint="about 1 minute" ;;
    kube-apiserver|kube-controller-manager|kubectl)
      t_mod="${k8s_tools_mod}"; t_pkg="k8s.io/kubernetes/cmd/$1"; t_version="$k8s_version"
      t_ldflags="-s -w"
      local p
      for p in "$cb" "$cg"; do
        t_ldflags+=" -X ${p}.gitVersion=${k8s_version} -X ${p}.gitMajor=${k8s_major} -X ${p}.gitMinor=${k8s_minor}"
        t_ldflags+=" -X ${p}.gitCommit= -X ${p}.gitTreeState=clean"
      done
      if [[ "$1" == kubectl ]]; then t_hint="a few minutes"; else t_hint="several minutes"; fi ;;
    helm)
      t_mod="${tools_dir}/helm"; t_pkg=helm.sh/helm/v3/cmd/helm; t_version="$helm_version"
      t_ldflags="-s -w -X ${hv}/internal/version.version=${helm_version} -X ${hv}/internal/version.metadata="
      t_ldflags+=" -X ${hv}/internal/version.gitCommit= -X ${hv}/internal/version.gitTreeState=clean"
      local p
      for p in pkg/lint/rules pkg/chartutil; do
        t_ldflags+=" -X ${hv}/${p}.k8sVersionMajor=1 -X ${hv}/${p}.k8sVersionMinor=${helm_k8s_minor}"
      done
      t_hint="a few minutes" ;;
    hey)
      t_mod="${tools_dir}/bench"; t_pkg=github.com/rakyll/hey; t_version="$hey_version"
      t_ldflags="-s -w"
      t_hint="seconds" ;;
    pod-security-webhook)
      t_mod="${tools_dir}/bench"; t_pkg=k8s.io/pod-security-admission/cmd/webhook; t_version="$psa_version"
      t_ldflags="-s -w"
      local p
      for p in "$cb" "$cg"; do
        t_ldflags+=" -X ${p}.gitVersion=${psa_version} -X ${p}.gitCommit= -X ${p}.gitTreeState=clean"
      done
      t_hint="several minutes" ;;
    crane)
      t_mod="${tools_dir}/registry"; t_pkg=github.com/google/go-containerregistry/cmd/crane; t_version="$crane_version"
      t_ldflags="-s -w"
      t_hint="about a minute" ;;
    cert-manager-controller|cert-manager-cainjector)
      # ./controller, ./cainjector: mains of the tools module itself (the proxy has no upstream binary modules)
      t_mod="${tools_dir}/certmanager"; t_pkg="./${1#cert-manager-}"; t_version="$cert_manager_version"
      t_ldflags="-s -w"
      t_hint="several minutes" ;;
    trivy)
      # the biggest tool here (cloud SDKs, every language analyzer); trivy's own build needs the jsonv2 experiment
      t_mod="${tools_dir}/scan"; t_pkg=github.com/aquasecurity/trivy/cmd/trivy; t_version="$trivy_version"
      t_goexperiment="jsonv2"
      t_ldflags="-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=${trivy_version#v}"
      t_hint="about 15 minutes" ;;
    trivy-test-db)
      t_mod="${tools_dir}/scan"; t_pkg=./trivy-test-db; t_version="$trivy_version"
      t_goexperiment="jsonv2"
      t_ldflags="-s -w"
      t_hint="about a minute" ;;
    kyverno)
      # thousands of packages (every cloud's KMS and registry SDK)
      t_mod="${tools_dir}/kyverno"; t_pkg=github.com/kyverno/kyverno/cmd/kyverno; t_version="$kyverno_version"
      t_ldflags="-s -w -X github.com/kyverno/kyverno/pkg/version.BuildVersion=${kyverno_version}"
      t_hint="20-40 minutes" ;;
    promtool)
      # a big module: remove_all_sd leaves out every service discovery and its cloud SDK (check rules needs none),
      # which cuts the first build from over half an hour to minutes; cached after
      t_mod="${tools_dir}/promtool"; t_pkg=github.com/prometheus/prometheus/cmd/promtool; t_version="$promtool_version"
      t_tags="remove_all_sd"
      t_ldflags="-s -w -X github.com/prometheus/common/version.Version=${promtool_version}"
      t_hint="several minutes" ;;
    *) die "unknown tool $1" ;;
  esac
}

# stamp_of <tool>: identifies what a cached binary was built from.
stamp_of() {
  tool_info "$1"
  local sources=("${t_mod}/go.mod" "${t_mod}/go.sum")
  # a tool of ours (a local package) is rebuilt when any Go source of its tools module changes too
  if [[ "$t_pkg" == ./* ]]; then
    mapfile -t -O 2 sources < <(find "$t_mod" -name '*.go' | LC_ALL=C sort)
  fi
  echo "recipe=${BUILD_RECIPE} version=${t_version}${t_tags:+ tags=${t_tags}}${t_goexperiment:+ goexperiment=${t_goexperiment}} modsum=$(cat "${sources[@]}" | sha256sum | cut -d' ' -f1)"
}

# version_check <binary> <tool>: the freshly built binary must run.
version_check() {
  case "$2" in
    etcd) "$1" --version ;;
    kube-apiserver|kube-controller-manager) "$1" --version ;;
    kubectl) "$1" version --client ;;
    helm) "$1" version --short ;;
    hey) "$1" -n 1 -c 1 http://127.0.0.1:1/ 2>/dev/null | grep -q Summary ;;
    pod-security-webhook) "$1" --version ;;
    promtool) "$1" --version ;;
    crane) "$1" version ;;
    cert-manager-controller|cert-manager-cainjector) "$1" --version | grep -qx "cert-manager ${cert_manager_version}" ;;
    trivy) "$1" --version ;;
    trivy-test-db) "$1" --help 2>&1 | grep -q Usage ;;
    kyverno) "$1" --help 2>&1 | grep -c serverIP >/dev/null ;;
  esac
}

tmp_file=""
cleanup() { if [[ -n "$tmp_file" ]]; then rm -f "$tmp_file"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

build_tool() {
  local tool="$1" start end
  tool_info "$tool"
  # Leftovers of a run that was killed hard (we hold the lock, nobody else builds).
  rm -f "${out_dir}/.${tool}.tmp."* "${out_dir}/.${tool}.stamp."*
  tmp_file="${out_dir}/.${tool}.tmp.$$"
  log "building ${tool} ${t_version} (first time: ${t_hint} on 2 cores)..."
  start=$(date +%s)
  # GOWORK=off: a go.work elsewhere must not pull the tools modules together.
  # No -mod=mod: go.sum is committed, so the default -mod=readonly is enough.
  # nice: the big builds must not starve the tests running next to them on a small machine.
  if ! CGO_ENABLED=0 GOWORK=off GOEXPERIMENT="$t_goexperiment" nice -n 10 \
      go build -C "$t_mod" -trimpath -tags "$t_tags" -ldflags "$t_ldflags" -o "$tmp_file" "$t_pkg"; then
    die "building ${tool} failed (module ${t_mod}, package ${t_pkg})"
  fi
  if ! version_check "$tmp_file" "$tool" >/dev/null 2>&1; then
    die "the freshly built ${tool} does not run: $(version_check "$tmp_file" "$tool" 2>&1 | sed -n 1,5p)"
  fi
  mv -f "$tmp_file" "${out_dir}/${tool}"
  tmp_file=""
  stamp_of "$tool" > "${out_dir}/.${tool}.stamp.$$"
  mv -f "${out_dir}/.${tool}.stamp.$$" "${out_dir}/.${tool}.stamp"
  end=$(date +%s)
  log "built ${tool} ${t_version} in $((end - start))s: ${out_dir}/${tool} ($(du -h "${out_dir}/${tool}" | cut -f1))"
}

is_fresh() {
  local tool="$1"
  [[ -x "${out_dir}/${tool}" && -f "${out_dir}/.${tool}.stamp" ]] &&
    [[ "$(cat "${out_dir}/.${tool}.stamp")" == "$(stamp_of "$tool")" ]]
}

# Decide where each requested tool comes from.
declare -A path_of=()
to_build=()
for t in "${requested[@]}"; do
  if [[ -n "$assets_dir" && -x "${assets_dir}/${t}" && " ${ALL_TOOLS[*]} " == *" $t "* ]]; then
    path_of[$t]="${assets_dir}/${t}"
  elif is_fresh "$t"; then
    path_of[$t]="${out_dir}/${t}"
  else
    to_build+=("$t")
  fi
done

if [[ ${#to_build[@]} -gt 0 ]]; then
  mkdir -p "$out_dir"
  exec 9>"${cache_root}/k8s/.lock"
  if ! flock -n 9; then
    log "another ensure-k8s-tools run holds ${cache_root}/k8s/.lock; waiting for it..."
    flock 9
  fi
  for t in "${to_build[@]}"; do
    # Re-check under the lock: a concurrent run may have built it meanwhile.
    if ! is_fresh "$t"; then
      build_tool "$t"
    fi
    path_of[$t]="${out_dir}/${t}"
  done
  flock -u 9
  exec 9>&-
fi

for t in "${requested[@]}"; do
  log "${t}: ${path_of[$t]}"
  echo "${t}=${path_of[$t]}"
done

# The last line: the directory. With KUBEBUILDER_ASSETS that directory is used for
# what it has; anything it lacked is in the cache directory (see the lines above).
if [[ -n "$assets_dir" ]]; then
  echo "$assets_dir"
else
  echo "$out_dir"
fi
