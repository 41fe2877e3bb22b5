#!/usr/bin/env bash
# How long from exec to the first review the webhook answers through the API server (docs/benchmarks.md).
#
#   hack/bench-startup.sh        # 5 runs; ~1 minute
#   hack/bench-startup.sh 10     # another number of runs
#
# On the local cluster (hack/local-cluster.sh, started if needed) the operator is stopped and exec'd again as
# local-cluster.sh runs it (the image's JVM options, the chart's settings), pinned to CPU 0 (its Pod has one CPU).
# From the exec on, a non-compliant Pod is POSTed with ?dryRun=All every 50 ms to a namespace with an Enforce policy;
# while the operator is down the API server answers "failed calling webhook" (failurePolicy Fail). The time to the
# first answer that is the webhook's refusal is "ready to admit". Also recorded: when /q/health/ready turned 200, and
# what Quarkus logs as "started in", and the CPU time the process had used when it turned ready (user + system: what
# one CPU must give it, whatever the machine's other tenants take). Raw output: target/bench-startup/.
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

runs="${1:-5}"

bench_init startup
bench_cluster_up
bench_policy bench-startup restricted Restricted Enforce
pod_from_fixture create-pod-legacy "${bench_out}/pod.json"

admitted_by_webhook() {
  [[ "$(api_pod_post bench-startup "${bench_out}/pod.json" dryRun=All)" == 403 ]] &&
    grep -q 'violates HardeningPolicy' "${bench_out}/last-answer.json"
}
# a replica restored by a benchmark that just ended may still be starting
deadline=$(($(now_ms) + 60000))
until admitted_by_webhook; do
  (($(now_ms) < deadline)) ||
    bdie "the webhook does not answer for bench-startup before the runs: $(head -c 300 "${bench_out}/last-answer.json")"
  sleep 0.5
done

for run in $(seq 1 "$runs"); do
  operator_launch 0 "${bench_out}/run-${run}.log"
  ready_ms=""
  admit_ms=""
  ready_cpu=""
  deadline=$((op_exec_ms + 120000))
  while [[ -z "$admit_ms" || -z "$ready_ms" ]]; do
    kill -0 "$op_pid" 2>/dev/null || bdie "the operator exited; see ${bench_out}/run-${run}.log"
    (($(now_ms) < deadline)) || bdie "run ${run}: no admission within 120 s; see ${bench_out}/run-${run}.log"
    if [[ -z "$admit_ms" ]] && admitted_by_webhook; then admit_ms=$(($(now_ms) - op_exec_ms)); fi
    if [[ -z "$ready_ms" ]] && operator_ready; then
      ready_ms=$(($(now_ms) - op_exec_ms))
      ready_cpu=$(($(cpu_ticks "$op_pid") * 1000 / clk_tck))
    fi
    sleep 0.05
  done
  started="$(grep -o 'started in [0-9.]*s' "${bench_out}/run-${run}.log" | grep -o '[0-9.]*' | head -1)"
  echo "${run} ${admit_ms} ${ready_ms} ${started} ${ready_cpu} $(load_average)" | tee -a "${bench_out}/runs.txt" >&2
done

table="${bench_out}/table.md"
col() { awk -v c="$1" '{ print $c }' "${bench_out}/runs.txt" | stats; }
ms_to_s() { awk '{ printf "%.1f s / %.1f s / %.1f s", $1 / 1000, $2 / 1000, $3 / 1000 }'; }
{
  echo "Run of $(bench_env_line); ${runs} runs."
  echo
  echo "| from exec to | min / median / max |"
  echo "| --- | --- |"
  echo "| first review answered by the webhook, through the API server | **$(col 2 | ms_to_s)** |"
  echo "| \`/q/health/ready\` 200 | $(col 3 | ms_to_s) |"
  echo "| Quarkus \"started in\" (its own clock, from JVM start) | $(col 4 | awk '{ printf "%.1f s / %.1f s / %.1f s", $1, $2, $3 }') |"
  echo "| CPU time used (user + system) when \`/q/health/ready\` turned 200 | $(col 5 | ms_to_s) |"
  echo
  echo "Ours: \`taskset -c 0 $(printf '%s ' "${op_cmd[@]}" | sed "s|${bench_root}/||g; s/ $//")\`${BENCH_JAVA:+, java ${BENCH_JAVA}}${BENCH_JAR:+, jar ${BENCH_JAR#"${bench_root}/"}}${BENCH_JVM_OPTIONS:+, with ${BENCH_JVM_OPTIONS//${bench_root}\//}}."
} >"$table"
echo "load average after: $(load_average)" >>"${bench_out}/env.txt"
cat "$table"
docs_update bench-startup "$table"
