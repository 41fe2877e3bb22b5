#!/usr/bin/env bash
# Smoke test of the locally built Kubernetes binaries (hack/ensure-k8s-tools.sh):
# starts etcd, kube-apiserver and kube-controller-manager (the workload
# controllers, each under its own ServiceAccount, as kubeadm runs them) with
# hack/cluster.sh, the launcher the e2e harness and local-cluster.sh use too
# (kube-apiserver on the cluster network's bridge, the rest on loopback; root is
# needed for the bridge), checks that kubectl works, that a Deployment becomes a ReplicaSet and
# a Pod created by the replicaset-controller identity, that the garbage collector
# deletes an object whose owner was deleted and that a namespace is finalized,
# then stops everything by pid and removes its temp dir.
#
#   hack/k8s-smoke.sh            # builds the binaries first if needed
#   K8S_BIN_DIR=/dir hack/k8s-smoke.sh
#   HARDENING_K8S_VERSION=v1.32.13 hack/k8s-smoke.sh   # the oldest supported Kubernetes's apiserver + controllers
#   KEEP_TMP=1 hack/k8s-smoke.sh # keep the temp dir (logs) afterwards
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log_prefix=k8s-smoke
# shellcheck source=cluster.sh
source "${script_dir}/cluster.sh"
declare -A tool=()
if [[ -n "${K8S_BIN_DIR:-}" ]]; then
  for t in etcd kube-apiserver kube-controller-manager kubectl helm; do tool[$t]="${K8S_BIN_DIR}/${t}"; done
else
  # ensure-k8s-tools.sh prints "<tool>=<path>" lines (with KUBEBUILDER_ASSETS the
  # tools may live in two directories), then the directory.
  while IFS='=' read -r name path; do
    [[ -n "$path" ]] && tool[$name]="$path"
  done < <("${script_dir}/ensure-k8s-tools.sh")
  # HARDENING_K8S_VERSION=v1.32.13: that version's control plane (docs/install.md, "Supported Kubernetes versions")
  if [[ -n "${HARDENING_K8S_VERSION:-}" ]]; then
    while IFS='=' read -r name path; do
      [[ -n "$path" ]] && tool[$name]="$path"
    done < <(K8S_VERSION="$HARDENING_K8S_VERSION" "${script_dir}/ensure-k8s-tools.sh" kube-apiserver kube-controller-manager)
  fi
fi
for t in etcd kube-apiserver kube-controller-manager kubectl; do
  [[ -x "${tool[$t]:-}" ]] || { log "missing $t (${tool[$t]:-not found})"; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/k8s-smoke.XXXXXX")"
pids=()

stop_all() {
  local rc=$? pid i
  # Stop in reverse start order: controller-manager, apiserver, etcd.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid="${pids[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for 10s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  net_down "$tmp"
  if [[ $rc -ne 0 ]]; then
    log "FAILED (exit $rc); last log lines:"
    for f in "$tmp"/*.log; do
      [[ -f "$f" ]] || continue
      echo "----- $f" >&2
      tail -n 25 "$f" >&2
    done
  fi
  if [[ -n "${KEEP_TMP:-}" ]]; then log "kept $tmp"; else rm -rf "$tmp"; fi
  exit $rc
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() { poll "$@"; }

etcd_client_port="$(free_port)"
etcd_peer_port="$(free_port)"
kcm_port="$(free_port)"
declare -a args=()

# ---------------------------------------------------------------- etcd
mapfile -t args < <(etcd_args "$tmp" "$etcd_client_port" "$etcd_peer_port")
"${tool[etcd]}" "${args[@]}" >"$tmp/etcd.log" 2>&1 &
pids+=($!)
log "etcd pid ${pids[-1]} client 127.0.0.1:${etcd_client_port}"
wait_for "etcd /health" 60 curl -fsS "http://127.0.0.1:${etcd_client_port}/health"

# ---------------------------------------------------------------- kube-apiserver
# On the cluster network's host address (owned by this script's process; removed on exit, or by the next run's sweep
# if this one is killed). Its self-signed serving certificate names the bind address, 10.0.0.1 and
# kubernetes[.default[.svc]].
host_address="$(net_up "$tmp" $$ | sed -n 's/^HOST_ADDRESS=//p')"
[[ -n "$host_address" ]] || { log "the cluster network could not be created"; exit 1; }
apiserver_port="$(free_port "$host_address")"
admin_token="$(cluster_prepare "$tmp" smoke-admin)"
mapfile -t args < <(apiserver_args "$tmp" "$host_address" "$apiserver_port" "http://127.0.0.1:${etcd_client_port}" audit)
"${tool[kube-apiserver]}" "${args[@]}" >"$tmp/kube-apiserver.log" 2>&1 &
pids+=($!)
log "kube-apiserver pid ${pids[-1]} https://${host_address}:${apiserver_port}"

# /readyz is open to anonymous requests; -k because the serving cert is not known yet.
wait_for "kube-apiserver /readyz" 120 curl -kfsS "https://${host_address}:${apiserver_port}/readyz"
kubeconfig="$tmp/kubeconfig"
write_kubeconfig "$kubeconfig" "https://${host_address}:${apiserver_port}" "$tmp/apiserver-certs/apiserver.crt" smoke-admin "$admin_token"
kubectl() { "${tool[kubectl]}" --kubeconfig="$kubeconfig" "$@"; }
kubectl get --raw=/readyz >/dev/null

# ---------------------------------------------------------------- kube-controller-manager
mapfile -t args < <(kcm_args "$tmp" "$kubeconfig" "$kcm_port")
"${tool[kube-controller-manager]}" "${args[@]}" >"$tmp/kube-controller-manager.log" 2>&1 &
pids+=($!)
log "kube-controller-manager pid ${pids[-1]} https://127.0.0.1:${kcm_port}"
wait_for "kube-controller-manager /healthz" 120 curl -kfsS "https://127.0.0.1:${kcm_port}/healthz"

# ---------------------------------------------------------------- checks
log "versions:"
kubectl version >&2
kubectl get ns >&2
kubectl create ns x >&2
kubectl get ns x >&2

# The workload controllers: a Deployment becomes a ReplicaSet and a Pod (Pending:
# no kubelet), each created under its controller's own identity.
kubectl create deployment web -n x --image=registry.example.com/web:1.0 >&2
# created_by <resource> <user>: the audit log has a successful create of <resource> in x by <user>
created_by() {
  grep -F '"resource":"'"$1"'","namespace":"x"' "$tmp/audit.log" | grep -F '"stage":"ResponseComplete"' |
    grep -F '"username":"'"$2"'"' | grep -F '"code":201' >/dev/null
}
wait_for "ReplicaSet of x/web created by deployment-controller" 60 created_by replicasets system:serviceaccount:kube-system:deployment-controller
wait_for "Pod of x/web created by replicaset-controller" 60 created_by pods system:serviceaccount:kube-system:replicaset-controller
kubectl get deploy,rs,pods -n x >&2

# Garbage collection: a ConfigMap owned by a (cluster-scoped) ClusterRole is
# deleted after the ClusterRole is deleted.
kubectl create clusterrole smoke-owner --verb=get --resource=pods >&2
owner_uid="$(kubectl get clusterrole smoke-owner -o jsonpath='{.metadata.uid}')"
kubectl apply -f - >&2 <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: owned
  namespace: x
  ownerReferences:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    name: smoke-owner
    uid: ${owner_uid}
data: {k: v}
EOF
# It must still be there while its owner exists.
kubectl get configmap owned -n x >&2
kubectl delete clusterrole smoke-owner >&2
# gone <kubectl get args...>: true only when the API answers NotFound.
# (Not a pipeline: under pipefail kubectl's own exit status 1 would win.)
gone() {
  local out
  out="$(kubectl get "$@" 2>&1)" && return 1
  [[ "$out" == *"(NotFound)"* ]]
}
wait_for "garbage collection of ConfigMap x/owned" 120 gone configmap owned -n x

# An object created with an ownerReference to an owner that no longer exists
# (the uid above) is collected too.
kubectl apply -f - >&2 <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: orphan
  namespace: x
  ownerReferences:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    name: smoke-owner
    uid: ${owner_uid}
data: {k: v}
EOF
wait_for "garbage collection of ConfigMap x/orphan" 120 gone configmap orphan -n x

# Namespace deletion completes (namespace controller empties and finalizes it).
kubectl delete ns x --wait=false >&2
wait_for "deletion of namespace x" 120 gone namespace x

# helm can install and uninstall a chart against this apiserver.
if [[ -x "${tool[helm]:-}" ]]; then
  mkdir -p "$tmp/chart/templates"
  printf 'apiVersion: v2\nname: smoke\nversion: 0.1.0\n' >"$tmp/chart/Chart.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-helm\ndata: {k: v}\n' >"$tmp/chart/templates/cm.yaml"
  helm() { HELM_CACHE_HOME="$tmp/helm/cache" HELM_CONFIG_HOME="$tmp/helm/config" HELM_DATA_HOME="$tmp/helm/data" \
    "${tool[helm]}" --kubeconfig="$kubeconfig" "$@"; }
  helm version --short >&2
  helm install smoke "$tmp/chart" --namespace helm-smoke --create-namespace --wait --timeout 60s >&2
  kubectl get configmap from-helm -n helm-smoke >&2
  helm uninstall smoke --namespace helm-smoke --wait --timeout 60s >&2
  wait_for "helm uninstall removed ConfigMap helm-smoke/from-helm" 30 gone configmap from-helm -n helm-smoke
fi

log "PASSED"
