#!/usr/bin/env bash
# Smoke test of the locally built Kubernetes binaries (hack/ensure-k8s-tools.sh):
# starts etcd, kube-apiserver and kube-controller-manager (the workload
# controllers, each under its own ServiceAccount, as kubeadm runs them) on
# loopback, checks that kubectl works, that a Deployment becomes a ReplicaSet and
# a Pod created by the replicaset-controller identity, that the garbage collector
# deletes an object whose owner was deleted and that a namespace is finalized,
# then stops everything by pid and removes its temp dir.
#
#   hack/k8s-smoke.sh            # builds the binaries first if needed
#   K8S_BIN_DIR=/dir hack/k8s-smoke.sh
#   KEEP_TMP=1 hack/k8s-smoke.sh # keep the temp dir (logs) afterwards
#
# The flags here are the reference for the Java test harness: copy them.
set -euo pipefail

log() { echo "[k8s-smoke] $*" >&2; }

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
declare -A tool=()
if [[ -n "${K8S_BIN_DIR:-}" ]]; then
  for t in etcd kube-apiserver kube-controller-manager kubectl helm; do tool[$t]="${K8S_BIN_DIR}/${t}"; done
else
  # ensure-k8s-tools.sh prints "<tool>=<path>" lines (with KUBEBUILDER_ASSETS the
  # tools may live in two directories), then the directory.
  while IFS='=' read -r name path; do
    [[ -n "$path" ]] && tool[$name]="$path"
  done < <("${script_dir}/ensure-k8s-tools.sh")
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

# free_port: a loopback TCP port nobody listens on now.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${p}") 2>/dev/null; then
      case " ${used_ports:-} " in *" $p "*) continue ;; esac
      used_ports="${used_ports:-} $p"
      echo "$p"
      return 0
    fi
  done
  return 1
}

# wait_for <what> <seconds> <command...>: polls until the command succeeds.
wait_for() {
  local what="$1" secs="$2" start
  shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) - start >= secs)); then
      log "timed out after ${secs}s waiting for ${what}"
      return 1
    fi
    sleep 0.5
  done
  log "${what}: ok after $(($(date +%s) - start))s"
}

etcd_client_port="$(free_port)"
etcd_peer_port="$(free_port)"
apiserver_port="$(free_port)"
kcm_port="$(free_port)"
# What kubeadm enables that concerns workloads (no kubelet, nodes or cloud here), and the aggregation of the built-in
# admin/edit/view ClusterRoles (without it they grant nothing at all).
kcm_controllers=deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller,job-controller
kcm_controllers+=,cronjob-controller,replicationcontroller-controller,serviceaccount-controller
kcm_controllers+=,serviceaccount-token-controller,garbage-collector-controller,namespace-controller
kcm_controllers+=,clusterrole-aggregation-controller

# ---------------------------------------------------------------- etcd
mkdir -m 700 "$tmp/etcd"
"${tool[etcd]}" \
  --name=smoke \
  --data-dir="$tmp/etcd" \
  --listen-client-urls="http://127.0.0.1:${etcd_client_port}" \
  --advertise-client-urls="http://127.0.0.1:${etcd_client_port}" \
  --listen-peer-urls="http://127.0.0.1:${etcd_peer_port}" \
  --initial-advertise-peer-urls="http://127.0.0.1:${etcd_peer_port}" \
  --initial-cluster="smoke=http://127.0.0.1:${etcd_peer_port}" \
  --initial-cluster-state=new \
  --unsafe-no-fsync=true \
  --log-level=warn \
  >"$tmp/etcd.log" 2>&1 &
pids+=($!)
log "etcd pid ${pids[-1]} client 127.0.0.1:${etcd_client_port} peer 127.0.0.1:${etcd_peer_port}"
wait_for "etcd /health" 60 curl -fsS "http://127.0.0.1:${etcd_client_port}/health"

# ---------------------------------------------------------------- kube-apiserver
# Service-account token signing key: the apiserver signs TokenRequests with it,
# kube-controller-manager's token controller signs legacy token Secrets with it.
openssl genrsa -out "$tmp/sa.key" 2048 2>/dev/null
openssl rsa -in "$tmp/sa.key" -pubout -out "$tmp/sa.pub" 2>/dev/null
# Static bearer token for an admin user in system:masters: token,user,uid,"groups".
admin_token="$(openssl rand -hex 24)"
echo "${admin_token},smoke-admin,smoke-admin-uid,\"system:masters\"" >"$tmp/tokens.csv"

"${tool[kube-apiserver]}" \
  --etcd-servers="http://127.0.0.1:${etcd_client_port}" \
  --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none \
  --secure-port="${apiserver_port}" \
  --cert-dir="$tmp/apiserver-certs" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$tmp/sa.pub" \
  --service-account-signing-key-file="$tmp/sa.key" \
  --token-auth-file="$tmp/tokens.csv" \
  --authorization-mode=RBAC \
  --disable-admission-plugins=ServiceAccount \
  --allow-privileged=true \
  --enable-priority-and-fairness=false \
  --enable-aggregator-routing=true \
  --audit-policy-file="${script_dir}/audit-policy.yaml" \
  --audit-log-path="$tmp/audit.log" \
  --profiling=false \
  >"$tmp/kube-apiserver.log" 2>&1 &
pids+=($!)
log "kube-apiserver pid ${pids[-1]} https://127.0.0.1:${apiserver_port}"

# /readyz is open to anonymous requests; -k because the serving cert is not known yet.
wait_for "kube-apiserver /readyz" 120 curl -kfsS "https://127.0.0.1:${apiserver_port}/readyz"

# kubeconfig for the admin token. The serving cert is self-signed: apiserver.crt in
# --cert-dir holds the serving cert and its CA; its SANs are 127.0.0.1, 10.0.0.1 and
# kubernetes[.default[.svc]], not "localhost", so clients must use 127.0.0.1.
kubeconfig="$tmp/kubeconfig"
cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: smoke
  cluster:
    server: https://127.0.0.1:${apiserver_port}
    certificate-authority-data: $(base64 -w0 <"$tmp/apiserver-certs/apiserver.crt")
users:
- name: smoke-admin
  user:
    token: ${admin_token}
contexts:
- name: smoke
  context: {cluster: smoke, user: smoke-admin}
current-context: smoke
EOF
kubectl() { "${tool[kubectl]}" --kubeconfig="$kubeconfig" "$@"; }
kubectl get --raw=/readyz >/dev/null

# ---------------------------------------------------------------- kube-controller-manager
# The controllers a real cluster runs for workloads, plus ServiceAccounts, tokens,
# garbage collection and namespace finalization. With
# --use-service-account-credentials each controller acts as
# system:serviceaccount:kube-system:<controller> (its bootstrap RBAC role), as in
# kubeadm; the admin kubeconfig only mints those tokens. The delegated authn/authz
# kubeconfigs only matter for its own /healthz endpoint. No kubelet: Pods stay
# Pending.
"${tool[kube-controller-manager]}" \
  --kubeconfig="$kubeconfig" \
  --authentication-kubeconfig="$kubeconfig" \
  --authorization-kubeconfig="$kubeconfig" \
  --authentication-skip-lookup=true \
  --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics \
  --controllers="${kcm_controllers}" \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$tmp/sa.key" \
  --root-ca-file="$tmp/apiserver-certs/apiserver.crt" \
  --leader-elect=false \
  --bind-address=127.0.0.1 \
  --secure-port="${kcm_port}" \
  --cert-dir="$tmp/kcm-certs" \
  --profiling=false \
  >"$tmp/kube-controller-manager.log" 2>&1 &
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
