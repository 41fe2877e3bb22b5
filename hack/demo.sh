#!/usr/bin/env bash
# Quick start: a real kube-apiserver on this machine, hardening-operator installed, and what a user sees.
#   hack/demo.sh          # up, apply examples/, show rejection, warnings and `kubectl get hp`, down
#   KEEP=1 hack/demo.sh   # leave the cluster running afterwards (hack/local-cluster.sh down stops it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "$*"; "$@" || true; }

eval "$(hack/local-cluster.sh up | tail -1)"
[[ -n "${KEEP:-}" ]] || trap 'hack/local-cluster.sh down' EXIT
kubectl_bin="$(hack/ensure-k8s-tools.sh kubectl 2>/dev/null | head -1 | cut -d= -f2)"
kubectl() { "$kubectl_bin" "$@"; }

run kubectl apply -f examples/hardened-demo.yaml -f examples/warn-staging.yaml
# a policy is in effect once the operator says Ready for its current generation
kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].status}'=True hp/hardened -n demo --timeout=60s >/dev/null
kubectl wait --for=jsonpath='{.status.conditions[?(@.type=="Ready")].status}'=True hp/restricted-preview -n staging --timeout=60s >/dev/null

echo; echo "# namespace demo enforces the Hardened profile: a plain nginx Deployment is refused"
run kubectl apply -f examples/demo/noncompliant-deployment.yaml
echo; echo "# the hardened one is created"
run kubectl apply -f examples/demo/compliant-deployment.yaml
echo; echo "# namespace staging only warns (Restricted, Warn): created, with one Warning per problem"
run kubectl apply -f examples/demo/staging-deployment.yaml
run kubectl get hp -A
