#!/usr/bin/env bash
# A local Kubernetes control plane with hardening-operator installed, for trying the product by hand.
#
#   hack/local-cluster.sh up     # prints `export KUBECONFIG=<path>` as its last line
#   hack/local-cluster.sh down   # stops every process `up` started, by pid
#
# `up` builds the jar if needed, ensures the binaries (hack/ensure-k8s-tools.sh), then starts with hack/cluster.sh (the
# one launcher the e2e harness uses too): the cluster network (a bridge of its own; kube-apiserver binds its host
# address), etcd, kube-apiserver and kube-controller-manager (the workload controllers, each under its own
# ServiceAccount as in kubeadm: Deployments get ReplicaSets and Pods). It installs the chart into hardening-system with
# default values and reports.installCrds=true (CRDs, RBAC, the cluster-default policy; no Pod ever runs: there is no
# kubelet), then runs the chart's replicas (REPLICAS, default 2) as local java processes, each in a network namespace
# of its own with its own address (as a Pod has), on the chart's container ports, with the chart's ServiceAccount
# token, the chart's settings (its ConfigMap) and the image's JVM options under the chart's limits. The API server
# reaches them through the chart's Service: a small loop (the `kubelet` subcommand) keeps one EndpointSlice per
# replica, naming its address, ready while the replica's readiness probe passes (except for the replicas named in
# endpoints-pinned, whose endpoint a benchmark holds ready itself). It waits until the webhook is
# registered and answers. Idempotent: a second `up` reuses what runs; a leftover of a killed run is removed. Everything
# lives in target/local-cluster/: kubeconfig, *.log, pids, replicas (name, address, port, management port, netns).
# Needs root (network namespaces).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log_prefix=local-cluster
# shellcheck source=cluster.sh
source "${root}/hack/cluster.sh"
out="${root}/target/local-cluster"
pids_file="${out}/pids"
kubeconfig="${out}/kubeconfig"
ns=hardening-system

running() {
  [[ -f "$pids_file" ]] || return 1
  local pid
  while read -r pid _; do kill -0 "$pid" 2>/dev/null || return 1; done <"$pids_file"
}

down() {
  [[ -f "$pids_file" ]] || { log "nothing running"; return 0; }
  local lines=() i pid name
  mapfile -t lines <"$pids_file"
  # reverse start order: kubelet loop, operator replicas, controller-manager, apiserver, etcd
  for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
    read -r pid name <<<"${lines[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) ignored SIGTERM for 20s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    log "stopped $name (pid $pid)"
  done
  rm -f "$pids_file"
  net_down "$out"
}

endpoint_slice() { # <replica> <address> <port> <ready>: the replica's EndpointSlice of the chart's Service
  cat <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hardening-operator-$1
  namespace: ${ns}
  labels:
    kubernetes.io/service-name: hardening-operator
    endpointslice.kubernetes.io/managed-by: local-cluster
addressType: IPv4
endpoints:
- addresses: ["$2"]
  conditions: {ready: $4, serving: $4}
ports:
- {name: https, port: $3, protocol: TCP}
YAML
}

kubelet() { # <kubectl>: every second, each replica's endpoint ready while its readiness probe passes
  local kubectl_bin="$1" name addr port mgmt ready
  declare -A published=()
  while sleep 1; do
    while read -r name addr port mgmt _; do
      # a benchmark measuring a process's own start keeps its endpoint as it is (bench-lib.sh endpoint_pin)
      grep -qx "$name" "${out}/endpoints-pinned" 2>/dev/null && continue
      ready=false
      curl -fsS -m 2 "http://${addr}:${mgmt}/q/health/ready" >/dev/null 2>&1 && ready=true
      [[ "${published[$name]:-}" == "$ready" ]] && continue
      if endpoint_slice "$name" "$addr" "$port" "$ready" \
        | "$kubectl_bin" --kubeconfig="$kubeconfig" apply --server-side --field-manager=local-cluster -f - >/dev/null; then
        published[$name]=$ready
        log "endpoint ${addr}:${port} of ${name} ready=${ready}"
      fi
    done <"${out}/replicas"
  done
}

# endpoint <replica> true|false: writes the replica's endpoint as the kubelet loop does (for bench-lib.sh endpoint_pin)
endpoint() {
  local kubectl_bin addr port
  kubectl_bin="$("${root}/hack/ensure-k8s-tools.sh" kubectl 2>/dev/null | sed -n 's/^kubectl=//p')"
  read -r addr port < <(awk -v n="$1" '$1 == n { print $2, $3 }' "${out}/replicas")
  [[ -n "$addr" ]] || die "no replica $1 in ${out}/replicas"
  endpoint_slice "$1" "$addr" "$port" "$2" \
    | "$kubectl_bin" --kubeconfig="$kubeconfig" apply --server-side --field-manager=local-cluster -f - >/dev/null
}

wait_for() { poll "$@" || die "logs in ${out}"; }

start() { # start <name> <command...>: background, log to $out/<name>.log, pid recorded
  local name="$1"
  shift
  "$@" >"${out}/${name}.log" 2>&1 &
  echo "$! ${name}" >>"$pids_file"
  log "${name} pid $!"
}

up() {
  if running; then
    log "already running (pids in ${pids_file})"
    echo "export KUBECONFIG=${kubeconfig}"
    return 0
  fi
  down >/dev/null 2>&1 || true
  rm -rf "$out"
  mkdir -p "$out"

  if [[ ! -f "${root}/target/quarkus-app/quarkus-run.jar" ]]; then
    log "building the operator jar (./mvnw package -DskipTests)..."
    (cd "$root" && ./mvnw -B -q package -DskipTests) >&2
  fi
  declare -A tool=()
  while IFS='=' read -r name path; do [[ -n "$path" ]] && tool[$name]="$path"; done < <("${root}/hack/ensure-k8s-tools.sh")

  local etcd_port peer_port api_port kcm_port replicas="${REPLICAS:-2}" host_address
  etcd_port=$(free_port); peer_port=$(free_port); kcm_port=$(free_port)
  local -a args=()
  mapfile -t args < <(etcd_args "$out" "$etcd_port" "$peer_port")
  start etcd "${tool[etcd]}" "${args[@]}"
  # the cluster network lives as long as etcd: a later `up` or sweep removes it once etcd is gone
  host_address="$(net_up "$out" "$(awk '$2 == "etcd" {print $1}' "$pids_file")" | sed -n 's/^HOST_ADDRESS=//p')"
  [[ -n "$host_address" ]] || die "the cluster network could not be created"
  api_port=$(free_port "$host_address")
  wait_for "etcd" 60 curl -fsS "http://127.0.0.1:${etcd_port}/health"

  local admin_token
  admin_token="$(cluster_prepare "$out" local-admin)"
  mapfile -t args < <(apiserver_args "$out" "$host_address" "$api_port" "http://127.0.0.1:${etcd_port}")
  start kube-apiserver "${tool[kube-apiserver]}" "${args[@]}"
  wait_for "kube-apiserver" 120 curl -kfsS "https://${host_address}:${api_port}/readyz"

  local server="https://${host_address}:${api_port}"
  write_kubeconfig "$kubeconfig" "$server" "${out}/apiserver-certs/apiserver.crt" local-admin "$admin_token"
  kubectl() { "${tool[kubectl]}" --kubeconfig="$kubeconfig" "$@"; }

  mapfile -t args < <(kcm_args "$out" "$kubeconfig" "$kcm_port")
  start kube-controller-manager "${tool[kube-controller-manager]}" "${args[@]}"
  wait_for "kube-controller-manager" 120 curl -kfsS "https://127.0.0.1:${kcm_port}/healthz"

  log "helm install hardening-operator into ${ns}..."
  HELM_CACHE_HOME="${out}/helm/cache" HELM_CONFIG_HOME="${out}/helm/config" HELM_DATA_HOME="${out}/helm/data" \
    "${tool[helm]}" --kubeconfig="$kubeconfig" install hardening-operator "${root}/charts/hardening-operator" \
    --namespace "$ns" --create-namespace --set reports.installCrds=true >"${out}/helm-install.log"

  # The operator as the chart's ServiceAccount (exactly the chart's RBAC), configured as in a Pod: the API server from
  # KUBERNETES_SERVICE_HOST/PORT, the token and the CA as the files the kubelet would mount, no kubeconfig (whose
  # YAML alone cost 0.3 s of the one CPU at every start, which a Pod never spends).
  local sa_dir="${out}/serviceaccount" api="${server#https://}"
  mkdir -p "$sa_dir"
  (umask 077 && kubectl create token hardening-operator -n "$ns" --duration=24h >"${sa_dir}/token")
  cp "${out}/apiserver-certs/apiserver.crt" "${sa_dir}/ca.crt"
  local -a in_cluster=(KUBERNETES_SERVICE_HOST="${api%:*}" KUBERNETES_SERVICE_PORT="${api##*:}"
    KUBERNETES_AUTH_TRYKUBECONFIG=false KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN="${sa_dir}/token"
    KUBERNETES_CERTS_CA_FILE="${sa_dir}/ca.crt")
  # The chart's settings (the ConfigMap the Deployment reads with envFrom).
  local -a env=()
  mapfile -t env < <(kubectl get configmap hardening-operator -n "$ns" \
    -o go-template='{{range $k, $v := .data}}{{$k}}={{$v}}{{"\n"}}{{end}}')
  local -a jvm=()
  pod_jvm_args jvm
  # The chart's replicas behind its Service: each in a network namespace of its own, serving on its own address and
  # the chart's container ports; the API server (--enable-aggregator-routing) dials the EndpointSlices this script
  # writes, as it dials Pod IPs, and verifies the certificate for <svc>.<ns>.svc.
  local addr netns i name port=8443 mgmt=9000
  for ((i = 0; i < replicas; i++)); do
    name="hardening-operator-${i}"
    read -r netns addr < <(net_add "$out" "$name")
    echo "${name} ${addr} ${port} ${mgmt} ${netns}" >>"${out}/replicas"
    endpoint_slice "$name" "$addr" "$port" false | kubectl apply --server-side --field-manager=local-cluster -f - >/dev/null
    start "$name" ip netns exec "$netns" env -u KUBECONFIG "${env[@]}" "${in_cluster[@]}" POD_NAME="$name" \
      HARDENING_WEBHOOK_HOST="$addr" HARDENING_WEBHOOK_PORT="$port" \
      QUARKUS_MANAGEMENT_HOST="$addr" QUARKUS_MANAGEMENT_PORT="$mgmt" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
      java "${jvm[@]}" -jar "${root}/target/quarkus-app/quarkus-run.jar"
    [[ $i -eq 0 ]] && echo "http://${addr}:${mgmt}" >"${out}/management-url"
  done
  # As kubelet and EndpointSlice controller: each endpoint is ready while its replica's readiness probe passes.
  start kubelet "${BASH_SOURCE[0]}" kubelet "${tool[kubectl]}"
  while read -r name addr _ mgmt _; do
    wait_for "${name} readiness" 120 curl -fsS "http://${addr}:${mgmt}/q/health/ready"
  done <"${out}/replicas"
  # No pipelines into grep -q or head here: under pipefail the writer's SIGPIPE (141) would fail the check at random.
  registered() { [[ -n "$(kubectl get validatingwebhookconfiguration hardening-operator -o jsonpath='{.webhooks[0].clientConfig.caBundle}')" ]]; }
  wait_for "webhook registration" 60 registered
  # The API server learns about the registration asynchronously: wait until it calls the webhook. A pod in a
  # namespace without a policy of its own meets the chart's cluster-default policy (Hardened, Warn).
  kubectl create namespace local-cluster-probe >/dev/null 2>&1 || true
  webhook_answers() { [[ "$(kubectl run probe -n local-cluster-probe --image=nginx:1.25 --dry-run=server 2>&1)" == *'Warning: ['* ]]; }
  wait_for "the API server calling the webhook" 60 webhook_answers
  kubectl delete namespace local-cluster-probe --wait=false >/dev/null
  log "up: API server ${server}, ${replicas} replicas behind Service ${ns}/hardening-operator" \
    "($(awk '{printf "%s%s:%s", (NR > 1 ? ", " : ""), $2, $3}' "${out}/replicas")), metrics $(cat "${out}/management-url")/q/metrics," \
    "logs in ${out}"
  echo "export KUBECONFIG=${kubeconfig}"
}

# The container's JVM arguments outside a container: the image's options (src/main/docker/jvm.options, the file the
# Dockerfile uses) and the installed Deployment's resources.limits as the JVM would read them from the Pod's cgroup.
pod_jvm_args() { # <array name>
  local -n args="$1"
  local limits memory cpu
  limits="$(kubectl get deployment hardening-operator -n "$ns" \
    -o jsonpath='{.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].resources.limits.cpu}')"
  read -r memory cpu <<<"$limits"
  [[ -n "$memory" && -n "$cpu" ]] || die "the chart's Deployment has no memory and cpu limits"
  args=("@${root}/src/main/docker/jvm.options" "-XX:MaxRAM=$(quantity_bytes "$memory")" "-XX:ActiveProcessorCount=$(cpu_count "$cpu")")
}

quantity_bytes() { # Kubernetes quantity (384Mi, 1Gi, 500M, 1000000) -> bytes
  local q="$1" n unit
  n="${q%%[!0-9]*}"
  unit="${q#"$n"}"
  case "$unit" in
    "") echo "$n" ;;
    Ki) echo $((n * 1024)) ;;
    Mi) echo $((n * 1024 * 1024)) ;;
    Gi) echo $((n * 1024 * 1024 * 1024)) ;;
    k) echo $((n * 1000)) ;;
    M) echo $((n * 1000 * 1000)) ;;
    G) echo $((n * 1000 * 1000 * 1000)) ;;
    *) die "unsupported memory quantity ${q}" ;;
  esac
}

cpu_count() { # Kubernetes CPU quantity (1, 2, 500m) -> whole processors, at least 1
  local q="$1"
  if [[ "$q" == *m ]]; then q=$(((${q%m} + 999) / 1000)); fi
  ((q >= 1)) || q=1
  echo "$q"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  kubelet) kubelet "$2" ;;
  endpoint) endpoint "$2" "$3" ;;
  *) echo "usage: $0 up|down (kubelet and endpoint <replica> true|false are internal)" >&2; exit 2 ;;
esac
