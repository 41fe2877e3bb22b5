#!/usr/bin/env bash
# The webhook transport alone: HTTP/1.1 vs HTTP/2 and one vs two event loops (docs/benchmarks.md, "Transport").
#
#   hack/bench-transport.sh [SECONDS]   # each run SECONDS long (default 8) after a 3 s warm-up, and 40,000 JIT
#                                       # warm-up reviews per server; about 5 minutes
#
# One JVM (src/main/docker/jvm.options) runs the real WebhookServer and admission path with the test certificate and a
# Restricted/Enforce policy in memory (dev.hardening.webhook.TransportBenchServer): no cluster, loopback only. It is
# started twice: with -XX:ActiveProcessorCount=1 pinned to CPU 0 (one event loop; hey on CPU 1), and with
# -XX:ActiveProcessorCount=2 on CPUs 0,1 (two event loops; hey shares them, so compare CPU per review, not req/s).
# hey (built by hack/ensure-k8s-tools.sh) POSTs src/test/resources/admission/create-pod-hardened.json with 1, 8 and 32
# workers: keep-alive HTTP/1.1 (a connection per worker) or -h2 (streams of one connection). CPU per review is the
# server's utime+stime from /proc/<pid>/stat over the run divided by the reviews answered. `-host localhost`: hey
# sends host:port as TLS SNI otherwise, which the JDK refuses. Needs `./mvnw test-compile`.
# Raw output: target/bench-transport/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-8}"
out="${root}/target/bench-transport"
mkdir -p "$out"
hey="$("${root}/hack/ensure-k8s-tools.sh" hey | sed -n 's/^hey=//p')"
[[ -x "$hey" ]] || { echo "hey not found" >&2; exit 1; }
[[ -d "${root}/target/test-classes" ]] || { echo "run ./mvnw test-compile first" >&2; exit 1; }
(cd "$root" && ./mvnw -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="${out}/classpath.txt" >/dev/null)
cp="${root}/target/classes:${root}/target/test-classes:$(cat "${out}/classpath.txt")"
body="${root}/src/test/resources/admission/create-pod-hardened.json"
tick="$(getconf CLK_TCK)"

server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "date=$(date -u +%FT%TZ) commit=$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo '+changes') $(nproc) CPUs" | tee "${out}/summary.txt"
printf '%-7s %-6s %-8s %9s %12s %8s %8s  %s\n' loops proto workers reviews req/s cpu_us p99_ms load1 | tee -a "${out}/summary.txt"
for loops in 1 2; do
  cpus=0; [[ "$loops" == 2 ]] && cpus=0,1
  hey_cpus=1; [[ "$loops" == 2 ]] && hey_cpus=0,1
  : >"${out}/server-${loops}.log"
  # shellcheck disable=SC2046
  taskset -c "$cpus" java $(grep -v '^#' "${root}/src/main/docker/jvm.options") -XX:MaxRAM=384m \
    -XX:ActiveProcessorCount="$loops" -cp "$cp" dev.hardening.webhook.TransportBenchServer >"${out}/server-${loops}.log" 2>&1 &
  server_pid=$!
  deadline=$((SECONDS + 120))
  until grep -q '^port=' "${out}/server-${loops}.log"; do
    kill -0 "$server_pid" 2>/dev/null || { cat "${out}/server-${loops}.log" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "server did not start" >&2; exit 1; }
    sleep 0.2
  done
  port="$(sed -n 's/^port=\([0-9]*\).*/\1/p' "${out}/server-${loops}.log")"
  url="https://127.0.0.1:${port}/validate"
  # JIT: a webhook in a cluster has long been compiled; 20,000 reviews over each protocol first
  for flag in "" -h2; do
    # shellcheck disable=SC2086
    taskset -c "$hey_cpus" "$hey" $flag -host localhost -n 20000 -c 8 -m POST -T application/json -D "$body" "$url" >/dev/null
  done
  for proto in http1 h2; do
    flag=(); [[ "$proto" == h2 ]] && flag=(-h2)
    for workers in 1 8 32; do
      taskset -c "$hey_cpus" "$hey" "${flag[@]}" -host localhost -z 3s -c "$workers" -m POST -T application/json -D "$body" "$url" >/dev/null
      before="$(cpu_ticks "$server_pid")"
      raw="${out}/hey-${loops}-${proto}-${workers}.txt"
      taskset -c "$hey_cpus" "$hey" "${flag[@]}" -host localhost -z "${seconds}s" -c "$workers" -m POST -T application/json -D "$body" "$url" >"$raw"
      after="$(cpu_ticks "$server_pid")"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      echo "server cpu ticks: ${before} -> ${after} (${tick}/s)" >>"$raw"
      ok="$(sed -n 's/^[[:space:]]*\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p' "$raw")"
      others="$(grep -E '^[[:space:]]*\[[0-9]+\]' "$raw" | grep -vc '\[200\]' || true)"
      ((others == 0)) && [[ -n "$ok" ]] || { echo "errors or non-200 answers in $raw" >&2; exit 1; }
      rps="$(sed -n 's/^[[:space:]]*Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$raw")"
      p99="$(awk '/99%% in/ || /99% in/ {print $3 * 1000}' "$raw")"
      cpu_us="$(awk -v d=$((after - before)) -v t="$tick" -v n="$ok" 'BEGIN { printf "%.0f", d * 1e6 / t / n }')"
      printf '%-7s %-6s %-8s %9s %12s %8s %8s  %s\n' "$loops" "$proto" "$workers" "$ok" "$rps" "$cpu_us" "$p99" "$load" \
        | tee -a "${out}/summary.txt"
    done
  done
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
