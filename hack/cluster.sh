#!/usr/bin/env bash
# The one launcher of the local control plane and of the replicas' network. hack/local-cluster.sh, hack/k8s-smoke.sh
# and the Java harness (src/test/java/dev/hardening/e2e/ControlPlane.java, Replicas.java) all call it, so the flags,
# the controller list and the network set-up cannot drift between them. Sourced, it is the scripts' shell library
# (log, die, poll, free_port and the functions below); run, it is a command:
#
#   hack/cluster.sh prepare DIR USER                 service-account key pair and a static token file for USER in
#                                                    system:masters (DIR/sa.key, sa.pub, tokens.csv); prints the token
#   hack/cluster.sh args etcd DIR CLIENT_PORT PEER_PORT
#   hack/cluster.sh args kube-apiserver DIR ADDRESS PORT ETCD_URL [audit]
#   hack/cluster.sh args kube-controller-manager DIR KUBECONFIG PORT
#                                                    the component's flags, one per line (DIR holds its state)
#   hack/cluster.sh controllers                      the kube-controller-manager controllers, comma-separated
#   hack/cluster.sh net up DIR OWNER_PID             the cluster network: a bridge with a /24 of 10.213.0.0/16 that no
#                                                    interface or route of this machine uses; prints HOST_ADDRESS=...
#                                                    (the bridge's address: kube-apiserver binds it) and BRIDGE=...
#   hack/cluster.sh net add DIR NAME                 a replica's own network namespace on that bridge (a veth pair,
#                                                    its own address); prints "NETNS ADDRESS". Same NAME, same answer.
#   hack/cluster.sh net del DIR NAME                 removes that namespace and its link
#   hack/cluster.sh net down DIR                     removes every namespace and link of DIR's network
#   hack/cluster.sh net sweep                        removes what runs whose owner process is gone left behind
#   hack/cluster.sh net external                     this machine's own addresses outside loopback and our networks
#
# Why network namespaces: in a cluster each replica is a Pod with an IP of its own, and the API server refuses loopback
# addresses in EndpointSlices. A namespace per replica gives each one its own address, reached through a bridge this
# script owns, so no test or benchmark traffic ever touches the machine's own external interface (root is needed:
# `ip netns`, veth, bridge). What is simulated (no kubelet, no CNI, NetworkPolicies not enforced): docs/development.md.

cluster_lib_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cluster_state_root="${HARDENING_NET_STATE:-/run/hardening-operator/nets}"

log() { echo "[${log_prefix:-cluster}] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# poll <what> <seconds> <command...>: runs the command every half second until it succeeds; returns 1 (after saying
# what did not happen) when the deadline passes. The one polling helper of the scripts (poll_quiet=1: no "ok" line).
poll() {
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
  [[ -n "${poll_quiet:-}" ]] || log "${what}: ok after $(($(date +%s) - start))s"
}

free_port() { # [address]: a TCP port nobody listens on now at that address (default loopback)
  python3 -c 'import socket, sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1]); s.close()' "${1:-127.0.0.1}"
}

# What kubeadm enables that concerns workloads (no kubelet, nodes or cloud here), each controller acting as
# system:serviceaccount:kube-system:<name> (--use-service-account-credentials), and the aggregation of the built-in
# admin/edit/view ClusterRoles (without it they grant nothing, and an RBAC test could not fail).
CLUSTER_CONTROLLERS=deployment-controller,replicaset-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,replicationcontroller-controller,serviceaccount-controller,serviceaccount-token-controller,garbage-collector-controller,namespace-controller,clusterrole-aggregation-controller

cluster_prepare() { # <dir> <user>: prints the admin token
  local dir="$1" user="$2" token
  mkdir -p "$dir"
  openssl genrsa -out "${dir}/sa.key" 2048 2>/dev/null
  openssl rsa -in "${dir}/sa.key" -pubout -out "${dir}/sa.pub" 2>/dev/null
  token="$(openssl rand -hex 24)"
  echo "${token},${user},${user}-uid,\"system:masters\"" >"${dir}/tokens.csv"
  chmod 600 "${dir}/tokens.csv" "${dir}/sa.key"
  echo "$token"
}

etcd_args() { # <dir> <client port> <peer port>
  local client="http://127.0.0.1:$2" peer="http://127.0.0.1:$3"
  printf '%s\n' --name=local --data-dir="$1/etcd" --listen-client-urls="$client" --advertise-client-urls="$client" \
    --listen-peer-urls="$peer" --initial-advertise-peer-urls="$peer" --initial-cluster="local=${peer}" \
    --initial-cluster-state=new --unsafe-no-fsync=true --log-level=warn
}

# <dir> <address> <port> <etcd url> [audit]: bound to the cluster network's host address only (the replicas in their
# namespaces reach it there; it is in the self-signed serving certificate because it is the bind address), never to
# the machine's external interface. --endpoint-reconciler-type=none: no kubernetes Service endpoints to keep;
# --enable-aggregator-routing: a webhook behind a Service is called at its EndpointSlices' addresses, as Pod IPs are
# (no kube-proxy here). `audit`: an audit log of workload creates (who created each Pod, ReplicaSet, Job).
apiserver_args() {
  local dir="$1"
  printf '%s\n' --etcd-servers="$4" --bind-address="$2" --advertise-address="$2" --endpoint-reconciler-type=none \
    --secure-port="$3" --cert-dir="${dir}/apiserver-certs" --service-cluster-ip-range=10.0.0.0/24 \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="${dir}/sa.pub" --service-account-signing-key-file="${dir}/sa.key" \
    --token-auth-file="${dir}/tokens.csv" --authorization-mode=RBAC --disable-admission-plugins=ServiceAccount \
    --allow-privileged=true --enable-priority-and-fairness=false --enable-aggregator-routing=true --profiling=false
  if [[ "${5:-}" == audit ]]; then
    printf '%s\n' --audit-policy-file="${cluster_lib_dir}/audit-policy.yaml" --audit-log-path="${dir}/audit.log"
  fi
}

# <dir> <kubeconfig> <port>: the workload controllers under their own identities; the token controller signs with
# the API server's key and puts its CA into token Secrets.
kcm_args() {
  local dir="$1"
  printf '%s\n' --kubeconfig="$2" --authentication-kubeconfig="$2" --authorization-kubeconfig="$2" \
    --authentication-skip-lookup=true --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics \
    --controllers="$CLUSTER_CONTROLLERS" --use-service-account-credentials=true \
    --service-account-private-key-file="${dir}/sa.key" --root-ca-file="${dir}/apiserver-certs/apiserver.crt" \
    --leader-elect=false --bind-address=127.0.0.1 --secure-port="$3" --cert-dir="${dir}/kcm-certs" --profiling=false
}

write_kubeconfig() { # <file> <server> <ca file> <user> <token>
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: $2
    certificate-authority-data: $(base64 -w0 <"$3")
users:
- name: $4
  user:
    token: $5
contexts:
- name: local
  context: {cluster: local, user: $4}
current-context: local
YAML
  chmod 600 "$1"
}

# ------------------------------------------------------------------------------------------------ the network
# Names: bridge hobr<N>, replica namespaces ho<N>r<k>, their host-side veths ho<N>v<k> (<N> is the third octet of the
# network's 10.213.<N>.0/24; the bridge is .1, replica k is .(10+k)). A record per network in $cluster_state_root/<N>
# ("<owner pid> <owner start time> <dir>") lets `sweep` tell a live run from a dead one's leftovers.

net_require_root() {
  [[ $EUID -eq 0 ]] || die "the replicas' network namespaces need root (ip netns, veth, bridge); run as root"
  command -v ip >/dev/null 2>&1 || die "ip (iproute2) is not on PATH: apt-get install iproute2"
}

proc_start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

net_owner_alive() { # <record file>
  local pid start _
  read -r pid start _ <"$1" || return 1
  [[ -n "$pid" && "$(proc_start_time "$pid")" == "$start" ]]
}

net_remove() { # <N>: every namespace and link of network N
  local n="$1" ns link
  # host ends first: a deleted namespace frees its links only when the kernel destroys it, which may be later
  for link in $(ip -o link show 2>/dev/null | awk -F': ' -v p="^ho${n}v[0-9]+" '{split($2, a, "@")} a[1] ~ p {print a[1]}'); do
    ip link delete "$link" 2>/dev/null || true
  done
  for ns in $(ip netns list 2>/dev/null | awk -v p="^ho${n}r[0-9]+$" '$1 ~ p {print $1}'); do
    ip netns delete "$ns" 2>/dev/null || true
  done
  ip link delete "hobr${n}" 2>/dev/null || true
  rm -f "${cluster_state_root}/${n}"
}

net_sweep() {
  mkdir -p "$cluster_state_root"
  local record n ns
  for record in "$cluster_state_root"/*; do
    [[ -f "$record" ]] || continue
    net_owner_alive "$record" && continue
    n="$(basename "$record")"
    log "removing the network of a finished run (10.213.${n}.0/24, owner $(cut -d' ' -f1 "$record") is gone)"
    net_remove "$n"
  done
  # namespaces and bridges of ours with no record at all (their record was lost with /run, or never written)
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^ho[0-9]+r[0-9]+$/ {print $1}'); do
    n="${ns#ho}"; n="${n%%r*}"
    [[ -f "${cluster_state_root}/${n}" ]] || { log "removing leftover namespace ${ns}"; ip netns delete "$ns" 2>/dev/null || true; }
  done
  for ns in $(ip -o link show 2>/dev/null | awk -F': ' '{split($2, a, "@")} a[1] ~ /^ho[0-9]+v[0-9]+$/ {print a[1]}'); do
    n="${ns#ho}"; n="${n%%v*}"
    [[ -f "${cluster_state_root}/${n}" ]] || { log "removing leftover link ${ns}"; ip link delete "$ns" 2>/dev/null || true; }
  done
  for ns in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '$2 ~ /^hobr[0-9]+$/ {print $2}'); do
    n="${ns#hobr}"
    [[ -f "${cluster_state_root}/${n}" ]] || { log "removing leftover bridge ${ns}"; ip link delete "$ns" 2>/dev/null || true; }
  done
}

# This machine's own IPv4 addresses that are not loopback and not on a bridge or veth of ours: what no project
# process may listen on or connect to.
net_external() {
  ip -4 -o addr show 2>/dev/null | awk '$2 !~ /^(lo|hobr[0-9]+|ho[0-9]+v[0-9]+)$/ {split($4, a, "/"); print a[1]}'
}

net_up() { # <dir> <owner pid>
  local dir="$1" owner="$2" n subnet_used
  net_require_root
  kill -0 "$owner" 2>/dev/null || die "owner process ${owner} is not running"
  mkdir -p "$cluster_state_root" "${dir}/net"
  exec 9>"${cluster_state_root}/.lock"
  flock 9
  net_sweep
  local found=""
  for n in $(seq 0 254); do
    [[ -e "${cluster_state_root}/${n}" ]] && continue
    subnet_used="$(ip -4 -o addr show 2>/dev/null | awk -v p="10.213.${n}." 'index($4, p) == 1'
      ip -4 route show 2>/dev/null | awk -v p="10.213.${n}." 'index($1, p) == 1')"
    if [[ -z "$subnet_used" ]]; then found="$n"; break; fi
  done
  [[ -n "$found" ]] || die "no free /24 in 10.213.0.0/16 for the cluster network"
  n="$found"
  echo "${owner} $(proc_start_time "$owner") ${dir}" >"${cluster_state_root}/${n}"
  ip link add "hobr${n}" type bridge
  ip addr add "10.213.${n}.1/24" dev "hobr${n}"
  ip link set "hobr${n}" up
  flock -u 9
  {
    echo "NET=${n}"
    echo "BRIDGE=hobr${n}"
    echo "HOST_ADDRESS=10.213.${n}.1"
  } >"${dir}/net/env"
  : >"${dir}/net/replicas"
  cat "${dir}/net/env"
}

net_env() { # <dir>: loads NET, BRIDGE, HOST_ADDRESS
  [[ -f "$1/net/env" ]] || die "no cluster network in $1 (hack/cluster.sh net up first)"
  # shellcheck disable=SC1091
  source "$1/net/env"
}

net_add() { # <dir> <replica name>
  local dir="$1" name="$2" k ns address existing
  net_require_root
  net_env "$dir"
  existing="$(awk -v n="$name" '$1 == n {print $2, $3}' "${dir}/net/replicas")"
  if [[ -n "$existing" ]]; then echo "$existing"; return 0; fi
  # the lowest index neither recorded nor left as a namespace (a replica deleted out of order, or not cleaned up after
  # a failed test, must never make the next one collide with it)
  local present
  present="$(ip netns list 2>/dev/null | awk '{print $1}')"
  for ((k = 0; k < 240; k++)); do
    awk -v ns="ho${NET}r${k}" '$2 == ns {found = 1} END {exit !found}' "${dir}/net/replicas" && continue
    grep -qx "ho${NET}r${k}" <<<"$present" && continue
    ip link show "ho${NET}v${k}" >/dev/null 2>&1 && continue
    break
  done
  ((k < 240)) || die "the cluster network has no address left for ${name}"
  ns="ho${NET}r${k}"
  address="10.213.${NET}.$((10 + k))"
  # the guard: a replica must never get (or shadow) one of the machine's own addresses
  local own
  own="$(net_external)"
  if grep -qxF "$address" <<<"$own"; then die "${address} is one of this machine's own addresses; refusing it for ${name}"; fi
  ip netns add "$ns"
  ip link add "ho${NET}v${k}" type veth peer name eth0 netns "$ns"
  ip link set "ho${NET}v${k}" master "$BRIDGE" up
  ip -n "$ns" addr add "${address}/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  echo "${name} ${ns} ${address}" >>"${dir}/net/replicas"
  echo "${ns} ${address}"
}

net_del() { # <dir> <replica name>
  local dir="$1" name="$2" ns
  net_env "$dir"
  ns="$(awk -v n="$name" '$1 == n {print $2}' "${dir}/net/replicas")"
  [[ -n "$ns" ]] || return 0
  # the host end first: deleting it removes the pair at once, while a deleted namespace frees its links only when
  # the kernel gets round to destroying it (the next replica could find the name still taken)
  ip link delete "ho${NET}v${ns##*r}" 2>/dev/null || true
  ip netns delete "$ns" 2>/dev/null || true
  sed -i "/^${name} /d" "${dir}/net/replicas"
}

net_down() { # <dir>
  local dir="$1"
  [[ -f "${dir}/net/env" ]] || return 0
  net_env "$dir"
  exec 9>"${cluster_state_root}/.lock"
  flock 9
  net_remove "$NET"
  flock -u 9
  rm -f "${dir}/net/env" "${dir}/net/replicas"
}

cluster_main() {
  case "${1:-}" in
    prepare) cluster_prepare "$2" "$3" ;;
    controllers) echo "$CLUSTER_CONTROLLERS" ;;
    args)
      case "${2:-}" in
        etcd) etcd_args "$3" "$4" "$5" ;;
        kube-apiserver) apiserver_args "$3" "$4" "$5" "$6" "${7:-}" ;;
        kube-controller-manager) kcm_args "$3" "$4" "$5" ;;
        *) die "args: unknown component ${2:-}" ;;
      esac ;;
    net)
      case "${2:-}" in
        up) net_up "$3" "$4" ;;
        add) net_add "$3" "$4" ;;
        del) net_del "$3" "$4" ;;
        down) net_down "$3" ;;
        sweep) net_require_root; mkdir -p "$cluster_state_root"; exec 9>"${cluster_state_root}/.lock"; flock 9; net_sweep ;;
        external) net_external ;;
        *) die "net: unknown command ${2:-}" ;;
      esac ;;
    *) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cluster_main "$@"
fi
