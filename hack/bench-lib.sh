# shellcheck shell=bash
# Shared by hack/bench-https.sh, bench-apiserver.sh, bench-audit.sh and bench-startup.sh (sourced, not run).
#
# - bench_init <name>: target/bench-<name>/ (emptied), env.txt with date, commit, machine, JDK, load average; on
#   exit, the script's own bench_cleanup (if it defines one), then sampler_stop and bench_cluster_down.
# - bench_policy <namespace> <policy> <profile> <mode> [label=value ...]: the namespace (with those labels) and one
#   HardeningPolicy in it, applied, and Ready.
# - bench_cluster_up: REPLICAS=1 hack/local-cluster.sh up (a running cluster is reused, its other replicas paused);
#   kubectl(), api_url, admin_token. bench_cluster_down leaves the cluster as it was found.
# - operator_restart <cpu list>: stops the measured replica (hardening-operator-0) and starts it again exactly as
#   local-cluster.sh did (same command line, JVM options and settings, so the same ports and the same registration),
#   pinned with taskset, and waits until it is Ready. Sets op_pid, op_exec_ms (when it was exec'd), op_hook_url.
#   operator_launch alone does not wait.
#   BENCH_JVM_OPTIONS adds JVM options to the measured replica (after the image's: they win), for comparisons;
#   BENCH_JAVA runs it with another `java` (e.g. a JDK 25's, for its AOT cache), BENCH_JAR with another jar.
# - sampler_start <pid> <file> [jvm] / sampler_stop: RSS (and, for a JVM, heap in use) every 200 ms; peak_mb.
# - hey_run <file> <hey args...>: one load run; hey_field <file> rps|p50|p99 reads its summary.
# - cpu_ticks <pid>, cpu_us_per_request: CPU a server spent per request, which other tenants of the machine barely
#   change (unlike req/s and latency): on a core of its own, 1e6 / (µs per request) is its ceiling in req/s.
# - api_pod_post <namespace> <pod json file> [dryRun]: one POST to the API server as the admin; prints the HTTP code.
# - docs_update <marker> <table file>: replaces the block between the markers in docs/benchmarks.md.

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_lc="${bench_root}/target/local-cluster"
sampler_pids=()
bench_paused_replicas=()

blog() { echo "[bench] $*" >&2; }
bdie() { blog "ERROR: $*"; exit 1; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

now_ms() { date +%s%3N; }

bench_init() {
  trap bench_exit EXIT
  bench_name="$1"
  bench_out="${bench_root}/target/bench-${bench_name}"
  rm -rf "$bench_out"
  mkdir -p "$bench_out"
  local dirty=""
  git -C "$bench_root" diff --quiet HEAD -- 2>/dev/null || dirty=" (with uncommitted changes)"
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null || echo unknown)${dirty}"
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
    echo "java: $(java -version 2>&1 | head -1)"
    echo "load average before: $(load_average)"
  } >"${bench_out}/env.txt"
  bench_tools
}

# The env line of a result table: date, commit, machine, load average now.
bench_env_line() {
  echo "$(grep '^date:' "${bench_out}/env.txt" | cut -d' ' -f2), commit $(grep '^commit:' "${bench_out}/env.txt" | cut -d' ' -f2-), $(grep '^machine:' "${bench_out}/env.txt" | cut -d' ' -f2-), $(grep '^java:' "${bench_out}/env.txt" | cut -d' ' -f2-); load average $(grep '^load average before:' "${bench_out}/env.txt" | cut -d' ' -f4-) before, $(load_average) after"
}

bench_tools() {
  declare -gA tool=()
  local name path
  while IFS='=' read -r name path; do
    [[ -n "$path" ]] && tool[$name]="$path"
  done < <("${bench_root}/hack/ensure-k8s-tools.sh" etcd kube-apiserver kube-controller-manager kubectl helm hey pod-security-webhook)
  [[ -x "${tool[hey]:-}" ]] || bdie "hey was not built"
}

kubectl() { "${tool[kubectl]}" --kubeconfig="${bench_lc}/kubeconfig" "$@"; }

bench_cluster_up() {
  bench_started_cluster=1
  local pid
  if [[ -f "${bench_lc}/pids" ]]; then
    bench_started_cluster=0
    while read -r pid _; do kill -0 "$pid" 2>/dev/null || bench_started_cluster=1; done <"${bench_lc}/pids"
  fi
  # One replica: what is measured is one process, and through the API server every call must reach it.
  REPLICAS=1 "${bench_root}/hack/local-cluster.sh" up >"${bench_out}/local-cluster-up.txt" 2>&1 ||
    bdie "hack/local-cluster.sh up failed: $(tail -5 "${bench_out}/local-cluster-up.txt")"
  api_url="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
  admin_token="$(cut -d, -f1 "${bench_lc}/tokens.csv")"
  # A reused cluster may run more replicas: they stop for the benchmark and start again at the end.
  bench_paused_replicas=()
  local name
  while read -r _ name; do
    if [[ "$name" == hardening-operator-* && "$name" != "$bench_replica" ]]; then
      replica_capture "$name"
      replica_stop "$name"
      bench_paused_replicas+=("$name")
    fi
  done < <(cat "${bench_lc}/pids")
  # the API server must stop calling them: local-cluster.sh's kubelet loop marks their endpoints not ready
  local deadline=$(($(now_ms) + 30000))
  for name in "${bench_paused_replicas[@]}"; do
    until [[ "$(kubectl get endpointslice "hardening-operator-${name}" -n hardening-system \
      -o jsonpath='{.endpoints[0].conditions.ready}' 2>/dev/null)" == false ]]; do
      (($(now_ms) < deadline)) || bdie "the endpoint of the paused ${name} is still ready after 30 s"
      sleep 0.5
    done
  done
}

# Leaves the cluster as it was found: stopped if this script started it, else every replica running unpinned.
bench_cluster_down() {
  if [[ "${bench_started_cluster:-0}" == 1 ]]; then
    "${bench_root}/hack/local-cluster.sh" down >/dev/null 2>&1 || true
    return 0
  fi
  local all="0-$(($(nproc) - 1))" name
  if [[ -f "${bench_out}/${bench_replica}.cmd" ]]; then
    replica_stop "$bench_replica"
    # as local-cluster.sh ran it: without the candidate's java, jar or options
    BENCH_JVM_OPTIONS="" BENCH_JAVA="" BENCH_JAR="" replica_start "$bench_replica" "$all" "${bench_lc}/${bench_replica}.log"
  fi
  for name in "${bench_paused_replicas[@]}"; do replica_start "$name" "$all" "${bench_lc}/${name}.log" || true; done
}

bench_exit() {
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  endpoint_pin off
  sampler_stop
  bench_cluster_down
}

bench_policy() {
  local ns="$1" name="$2" profile="$3" mode="$4" label
  shift 4
  {
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns"
    (($#)) && echo "  labels:"
    for label in "$@"; do echo "    ${label%%=*}: ${label#*=}"; done
    printf -- '---\napiVersion: hardening.dev/v1alpha1\nkind: HardeningPolicy\nmetadata:\n  name: %s\n  namespace: %s\n' "$name" "$ns"
    printf 'spec:\n  profile: %s\n  mode: %s\n' "$profile" "$mode"
  } | kubectl apply -f - >/dev/null
  kubectl wait --for=condition=Ready "hardeningpolicy/${name}" -n "$ns" --timeout=60s >/dev/null
}

# bench_scans <n> <digest>: n clean ImageScans (scanner "bench"), the one of <digest> among them, applied in four
# parallel server-side applies; rerunning finds them unchanged.
bench_scans() {
  python3 - "$1" "$2" "${bench_out}/scans" <<'PY'
import hashlib, os, sys
n, digest, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
digests = [digest] + ['sha256:' + hashlib.sha256(b'bench-%d' % i).hexdigest() for i in range(1, n)]
for part in range(4):
    with open(f'{out}/part-{part}.yaml', 'w') as f:
        for d in digests[part::4]:
            f.write(f"---\napiVersion: hardening.dev/v1alpha1\nkind: ImageScan\nmetadata:\n  name: {d.replace(':', '-')}\n"
                    f"spec:\n  digest: {d}\n  scanner: {{name: bench, version: '1'}}\n  scannedAt: '2026-12-05T00:00:00Z'\n"
                    f"  summary: {{critical: 0, high: 0, medium: 0, low: 0, unknown: 0}}\n  findings: []\n")
PY
  local part pids=()
  for part in "${bench_out}"/scans/part-*.yaml; do
    kubectl apply --server-side --field-manager=bench -f "$part" >/dev/null &
    pids+=("$!")
  done
  for part in "${pids[@]}"; do wait "$part" || bdie "applying the ImageScans failed (${bench_out}/scans)"; done
}

# The replica that is measured: local-cluster.sh's first (its pids file names it).
bench_replica=hardening-operator-0

replica_pid() { awk -v n="$1" '$2 == n { print $1 }' "${bench_lc}/pids"; }

# replica_capture <name>: what local-cluster.sh ran, into ${bench_out}/<name>.cmd and .env (NUL-separated): the
# command line, and the settings from its environment (HARDENING_*, QUARKUS_*, KUBERNETES_*, KUBECONFIG, POD_NAME, the locale
# and PATH; nothing else of the calling shell).
replica_capture() {
  local name="$1" pid
  [[ -f "${bench_out}/${name}.cmd" ]] && return 0
  pid="$(replica_pid "$name")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || bdie "${name} of the local cluster is not running"
  cat "/proc/${pid}/cmdline" >"${bench_out}/${name}.cmd"
  grep -zE '^(HARDENING_|QUARKUS_|KUBERNETES_|KUBECONFIG=|POD_NAME=|PATH=|HOME=|LANG=|LC_ALL=|TZ=|JAVA_HOME=)' "/proc/${pid}/environ" \
    >"${bench_out}/${name}.env"
}

replica_stop() {
  local pid
  pid="$(replica_pid "$1")"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  sed -i "/^${pid} $1\$/d" "${bench_lc}/pids"
}

# replica_netns <name>: the network namespace local-cluster.sh gave the replica (its `replicas` file).
replica_netns() { awk -v n="$1" '$1 == n { print $5 }' "${bench_lc}/replicas"; }

# replica_start <name> <cpu list> <log>: exec's the captured command again, pinned, in the replica's own network
# namespace; sets op_pid and op_exec_ms (taskset, ip netns exec and env each exec the next: the pid is the JVM's).
replica_start() {
  local name="$1" cpus="$2" log="$3" cmd env netns
  mapfile -d '' -t cmd <"${bench_out}/${name}.cmd"
  mapfile -d '' -t env <"${bench_out}/${name}.env"
  # BENCH_JVM_OPTIONS: extra JVM options for the measured replica, after the image's (to compare a candidate)
  if [[ "$name" == "$bench_replica" && -n "${BENCH_JVM_OPTIONS:-}" ]]; then
    local extra
    read -r -a extra <<<"$BENCH_JVM_OPTIONS"
    cmd=("${cmd[0]}" "${cmd[@]:1:1}" "${extra[@]}" "${cmd[@]:2}")
  fi
  if [[ "$name" == "$bench_replica" && -n "${BENCH_JAVA:-}" ]]; then cmd[0]="$BENCH_JAVA"; fi
  if [[ "$name" == "$bench_replica" && -n "${BENCH_JAR:-}" ]]; then cmd[${#cmd[@]} - 1]="$BENCH_JAR"; fi
  netns="$(replica_netns "$name")"
  [[ -n "$netns" ]] || bdie "local-cluster.sh recorded no network namespace for ${name}"
  op_exec_ms="$(now_ms)"
  taskset -c "$cpus" ip netns exec "$netns" env -i "${env[@]}" "${cmd[@]}" >"$log" 2>&1 &
  op_pid=$!
  echo "${op_pid} ${name}" >>"${bench_lc}/pids"
}

# The measured replica's command line and settings; op_cmd (array), op_hook_url, op_mgmt_url.
operator_capture() {
  replica_capture "$bench_replica"
  mapfile -d '' -t op_cmd <"${bench_out}/${bench_replica}.cmd"
  local env
  env="$(tr '\0' '\n' <"${bench_out}/${bench_replica}.env")"
  local host port op_mgmt_port op_mgmt_host
  op_mgmt_port="$(sed -n 's/^QUARKUS_MANAGEMENT_PORT=//p' <<<"$env")"
  op_mgmt_host="$(sed -n 's/^QUARKUS_MANAGEMENT_HOST=//p' <<<"$env")"
  host="$(sed -n 's/^HARDENING_WEBHOOK_HOST=//p' <<<"$env")"
  port="$(sed -n 's/^HARDENING_WEBHOOK_PORT=//p' <<<"$env")"
  [[ -n "$op_mgmt_host" && -n "$op_mgmt_port" && -n "$host" && -n "$port" ]] ||
    bdie "cannot read ${bench_replica}'s addresses and ports from its environment"
  op_hook_url="https://${host}:${port}/validate"
  op_mgmt_url="http://${op_mgmt_host}:${op_mgmt_port}"
}

# operator_launch <cpu list> [log file]: stops the measured replica and execs it again; op_pid, op_exec_ms.
operator_launch() {
  op_log="${2:-${bench_lc}/${bench_replica}.log}"
  operator_capture
  replica_stop "$bench_replica"
  replica_start "$bench_replica" "$1" "$op_log"
}

operator_ready() { curl -fsS "${op_mgmt_url}/q/health/ready" >/dev/null 2>&1; }

# endpoint_pin on|off: "on" marks the measured replica's endpoint ready and has local-cluster.sh's kubelet loop leave
# it so across a restart: the API server then dials the address whether or not the process listens, as it dials an
# out-of-cluster webhook's URL (Kyverno's --serverIP), and a restart measures the process alone, without the
# readiness propagation of a Service. "off" hands the endpoint back to the loop. bench_exit turns it off.
endpoint_pin() {
  local pinned="${bench_lc}/endpoints-pinned"
  if [[ "$1" == on ]]; then
    echo "$bench_replica" >"$pinned"
    "${bench_root}/hack/local-cluster.sh" endpoint "$bench_replica" true
  else
    rm -f "$pinned"
  fi
}

# Ready as the API server sees it: the readiness probe passes and local-cluster.sh's kubelet loop (every second) has
# marked the replica's endpoint ready again, so the next request through the API server finds an endpoint.
endpoint_ready() {
  [[ "$(kubectl get endpointslice "hardening-operator-${bench_replica}" -n hardening-system \
    -o jsonpath='{.endpoints[0].conditions.ready}' 2>/dev/null)" == true ]]
}

operator_wait_ready() {
  local deadline=$(($(now_ms) + 120000))
  until operator_ready; do
    kill -0 "$op_pid" 2>/dev/null || bdie "the operator exited during startup; see ${op_log}"
    (($(now_ms) < deadline)) || bdie "the operator was not Ready after 120 s; see ${op_log}"
    sleep 0.1
  done
  until endpoint_ready; do
    (($(now_ms) < deadline)) || bdie "the operator's endpoint was not ready after 120 s"
    sleep 0.1
  done
}

# operator_restart <cpu list> [log file]: operator_launch, then waits until it is Ready.
operator_restart() {
  operator_launch "$@"
  operator_wait_ready
}

# CPU time a process has used (user + system), in clock ticks (getconf CLK_TCK, 100 per second on Linux).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
clk_tck="$(getconf CLK_TCK)"

# cpu_us_per_request <ticks> <requests>: what one request cost the server in CPU, whatever else the machine ran.
cpu_us_per_request() { awk -v t="$1" -v n="$2" -v hz="$clk_tck" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "n/a" }'; }

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# sampler_start <pid> <file> [jvm]: "ms rss_kb" lines every 200 ms until sampler_stop; for a JVM also
# "ms heap_in_use_kb" lines in <file>.heap (one jstat attached for the whole run: survivor + eden + old in use).
sampler_start() {
  local pid="$1" file="$2" jvm="${3:-}"
  (
    while kill -0 "$pid" 2>/dev/null; do
      echo "$(now_ms) $(rss_kb "$pid")"
      sleep 0.2
    done
  ) >"$file" &
  sampler_pids=($!)
  sampler_jvm=""
  if [[ -n "$jvm" ]]; then
    sampler_jvm="$pid"
    jstat -gc "$pid" 200 2>/dev/null | while read -r -a col; do
      [[ "${col[0]}" =~ ^[0-9.]+$ ]] && echo "$(now_ms) $(awk -v a="${col[2]}" -v b="${col[3]}" -v c="${col[5]}" -v d="${col[7]}" 'BEGIN { printf "%d", a + b + c + d }')"
    done >"${file}.heap" &
    sampler_pids+=($!)
  fi
}

sampler_stop() {
  local pid
  # jstat is a JVM: it ignores the SIGPIPE of its reader's end and would keep the pipeline (and a wait) alive
  [[ -n "${sampler_jvm:-}" ]] && pkill -f "^jstat -gc ${sampler_jvm} " 2>/dev/null
  sampler_jvm=""
  for pid in "${sampler_pids[@]}"; do
    pkill -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  sampler_pids=()
}

# peak_mb <sampler file> [from ms] [to ms]: the highest sample in MB, within the window if given.
peak_mb() { awk -v s="${2:-0}" -v e="${3:-9999999999999}" '$1 >= s && $1 <= e && $2 > m { m = $2 } END { printf "%.0f", m / 1024 }' "$1"; }

# hey_run <file> <hey args...>: runs hey on CPU 1 (the servers are pinned to CPU 0).
hey_run() {
  local file="$1"
  shift
  taskset -c 1 "${tool[hey]}" "$@" >"$file" 2>&1 || bdie "hey failed: $(tail -3 "$file")"
}

# hey_field <file> rps|p50|p99|ok|total: requests per second, latency percentiles in ms, 2xx count, all responses.
hey_field() {
  case "$2" in
    rps) awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$1" ;;
    p50) awk '$1 ~ /^50%/ && $2 == "in" { v = sprintf("%.1f", $3 * 1000) } END { print (v == "" ? "n/a" : v) }' "$1" ;;
    p99) awk '$1 ~ /^99%/ && $2 == "in" { v = sprintf("%.1f", $3 * 1000) } END { print (v == "" ? "n/a" : v) }' "$1" ;;
    ok) awk '/^ *\[2[0-9][0-9]\]/ { n += $2 } END { print n + 0 }' "$1" ;;
    total) awk '/^ *\[[0-9]+\]/ { n += $2 } END { print n + 0 }' "$1" ;;
  esac
}

# docs_update <marker> <file>: docs/benchmarks.md between "<!-- <marker>:begin -->" and "<!-- <marker>:end -->"
# becomes the content of <file>. Skipped with BENCH_DOCS=0.
docs_update() {
  local marker="$1" file="$2" doc="${bench_root}/docs/benchmarks.md"
  [[ "${BENCH_DOCS:-1}" == 1 ]] || return 0
  grep -q "<!-- ${marker}:begin -->" "$doc" || { blog "docs/benchmarks.md has no ${marker} markers; not updated"; return 0; }
  python3 - "$doc" "$marker" "$file" <<'PY'
import re, sys
doc, marker, table = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().rstrip("\n")
text = open(doc).read()
pattern = re.compile(r"(<!-- %s:begin -->\n).*?(<!-- %s:end -->)" % (re.escape(marker), re.escape(marker)), re.S)
open(doc, "w").write(pattern.sub(lambda m: m.group(1) + table + "\n" + m.group(2), text))
PY
  blog "docs/benchmarks.md updated (${marker})"
}

api_pod_post() { # <namespace> <file> [query]; the body goes to ${bench_out}/last-answer.json
  curl -sk -o "${bench_out}/last-answer.json" -w '%{http_code}' -H "Authorization: Bearer ${admin_token}" \
    -H 'Content-Type: application/json' --data-binary "@$2" "${api_url}/api/v1/namespaces/$1/pods${3:+?$3}"
}

# pod_from_fixture <fixture> <out file>: the Pod of an AdmissionReview fixture, ready to POST (generateName bench-).
pod_from_fixture() {
  python3 - "${bench_root}/src/test/resources/admission/$1.json" "$2" <<'PY'
import json, sys
pod = json.load(open(sys.argv[1]))["request"]["object"]
meta = pod["metadata"]
pod["metadata"] = {"generateName": "bench-", "labels": meta.get("labels", {})}
pod.pop("status", None)
json.dump(pod, open(sys.argv[2], "w"))
PY
}

# stats: "min median max" of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a n/a n/a"; exit } printf "%s %s %s", v[1], (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR] }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
