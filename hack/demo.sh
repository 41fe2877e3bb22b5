#!/usr/bin/env bash
# Quick start: a real kube-apiserver and the workload controllers on this machine, hardening-operator installed,
# and what a user sees.
#   hack/demo.sh          # up, apply examples/, show rejection, Pods, warnings and `kubectl get hp`, down
#   KEEP=1 hack/demo.sh   # leave the cluster running afterwards (hack/local-cluster.sh down stops it)
# Every step shown is checked: the demo exits non-zero, naming the step, if one does not do what it says.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
fail() { printf '\n\033[1;31mdemo FAILED: %s\033[0m\n' "$*" >&2; exit 1; }
# show <command...>: prints the command and everything it prints (stdout and stderr, as a terminal would);
# its exit status lands in $rc and its output in $output for the checks that follow.
show() {
  step "$*"
  set +e
  output="$("$@" 2>&1)"
  rc=$?
  set -e
  [[ -z "$output" ]] || printf '%s\n' "$output"
}
has() { [[ "$output" == *"$1"* ]]; }
# await <what> <seconds> <command...>: until the command succeeds, or fail naming what did not happen (the scripts'
# one polling helper, hack/cluster.sh's poll, quiet on success: the demo shows only what a user would see).
log_prefix=demo
# shellcheck source=cluster.sh
source hack/cluster.sh
await() { poll_quiet=1 poll "$@" || fail "$1 did not happen within $2s"; }

# Stop what `up` started, also when `up` itself fails half-way.
[[ -n "${KEEP:-}" ]] || trap 'rc=$?; hack/local-cluster.sh down; exit $rc' EXIT
# An assignment (not `eval "$(...)"`) so that a failed `up` stops the demo; tail reads all its input (no SIGPIPE).
env_line="$(hack/local-cluster.sh up | tail -1)"
eval "$env_line"
kubectl_bin=""
while IFS='=' read -r name path; do
  if [[ "$name" == kubectl ]]; then kubectl_bin="$path"; fi
done < <(hack/ensure-k8s-tools.sh kubectl)
[[ -x "$kubectl_bin" ]] || fail "hack/ensure-k8s-tools.sh named no kubectl"
kubectl() { "$kubectl_bin" "$@"; }

show kubectl apply -f examples/hardened-demo.yaml -f examples/warn-staging.yaml
((rc == 0)) && has "hardeningpolicy.hardening.dev/hardened" && has "hardeningpolicy.hardening.dev/restricted-preview" ||
  fail "the example policies were not applied"
# a policy is in effect once the operator says Ready for its current generation
for policy in demo/hardened staging/restricted-preview; do
  kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].status}'=True "hp/${policy#*/}" -n "${policy%/*}" \
    --timeout=60s >/dev/null || fail "HardeningPolicy ${policy} did not become Ready"
done

echo; echo "# namespace demo enforces the Hardened profile: a plain nginx Deployment is refused"
show kubectl apply -f examples/demo/noncompliant-deployment.yaml
((rc != 0)) && has 'admission webhook "validate.hardening.dev" denied the request: Deployment "web-insecure" violates HardeningPolicy "demo/hardened"' &&
  has '- [image-digest] container "app": image "nginx:1.25" is not pinned by digest' ||
  fail "the noncompliant Deployment was not refused with the policy's message"
[[ "$(kubectl get deployment web-insecure -n demo 2>&1)" == *"(NotFound)"* ]] || fail "the refused Deployment exists"

echo; echo "# the hardened one is created, and the controllers give it a ReplicaSet and a Pod (Pending: no kubelet)"
show kubectl apply -f examples/demo/compliant-deployment.yaml
((rc == 0)) && [[ "$output" =~ deployment.apps/web\ (created|unchanged|configured) ]] && ! has "Warning:" ||
  fail "the compliant Deployment was not created without warnings"
pod_of_web() { [[ -n "$(kubectl get pods -n demo -l app=web -o name)" ]]; }
await "a Pod of Deployment demo/web" 60 pod_of_web
show kubectl get replicasets,pods -n demo -l app=web
((rc == 0)) && has "replicaset.apps/web-" && has "pod/web-" && has "Pending" || fail "no ReplicaSet and Pod of demo/web"

echo; echo "# namespace staging only warns (Restricted, Warn): created, with one Warning per problem"
show kubectl apply -f examples/demo/staging-deployment.yaml
((rc == 0)) && [[ "$output" =~ deployment.apps/preview\ (created|unchanged|configured) ]] || fail "the staging Deployment was not created"
[[ "$output" =~ Warning:\ \[[a-z-]+\]\ container\ \"app\" ]] || fail "the staging Deployment got no Warning lines"

# within seconds the leader re-audits namespace staging: the counts agree with what was just applied
staging_counted() { [[ "$(kubectl get hp restricted-preview -n staging -o jsonpath='{.status.audit.objectsViolating}')" == 1 ]]; }
await "VIOLATIONS 1 for staging/restricted-preview" 60 staging_counted
show kubectl get hp -A
((rc == 0)) && has "hardened" && has "restricted-preview" || fail "kubectl get hp -A does not list the example policies"

echo; echo "# the audit's findings as OpenReports, where policy-report tools look (the staging Deployment's problems)"
staging_report() { [[ "$(kubectl get report hardening.staging.restricted-preview -n staging -o jsonpath='{.summary.warn}' 2>/dev/null)" =~ ^[1-9] ]]; }
await "the Report of staging/restricted-preview with warn results" 60 staging_report
show kubectl get reports -A
((rc == 0)) && has "hardening.staging.restricted-preview" || fail "kubectl get reports -A does not list the staging report"

printf '\n# demo: every step above did what it says\n'
