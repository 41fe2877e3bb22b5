#!/usr/bin/env bash
# The background audit on a big cluster: its duration, and the operator's peak heap and RSS while it runs, for
# 10,000, 30,000 and 100,000 Pods (docs/benchmarks.md).
#
#   hack/bench-audit.sh                  # 10000 30000 100000; ~8 minutes, most of it creating Pods
#   hack/bench-audit.sh 1000 3000        # other sizes (cumulative, ascending)
#   DEPLOYMENTS=0 hack/bench-audit.sh    # Pods only (default: 10,000 Deployments join before the largest size)
#
# On the local cluster (hack/local-cluster.sh, started if needed), Pods (src/test/resources/admission/
# create-pod-legacy.json, generateName) are created in namespace bench-audit with hey through the API server, so
# the webhook judges every one. There is no kubelet: they stay Pending, which changes nothing for the audit. The
# namespace's HardeningPolicy (Hardened, mode Audit: every Pod admitted, every one violating) is re-audited at each
# size by changing its spec. Before the largest size, DEPLOYMENTS (10,000) Deployments with replicas 0
# (create-deployment-legacy) are created as well (kube-controller-manager adds their ReplicaSets as it goes), so the
# last audit covers 100,000 Pods and 10,000 Deployments; done when status.observedGeneration reaches the new generation. The operator (the
# leader) runs pinned to CPU 0 with the image's JVM options and memory limit; its RSS and heap in use (jstat) are
# sampled every 200 ms. While each audit runs, hey measures the webhook's own latency (create-pod-hardened, 4
# connections, CPU 1), next to the same measurement just before. Raw output: target/bench-audit/.
# A cluster this script started is stopped at the end; in a reused one, bench-audit is deleted (in the background).
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 30000 100000)
deployments="${DEPLOYMENTS:-10000}"
[[ "$deployments" =~ ^[0-9]+$ ]] || bdie "DEPLOYMENTS must be a number: ${deployments}"

bench_init audit
bench_cluster_up
probe_pid=""
bench_cleanup() {
  [[ -n "${probe_pid:-}" ]] && kill "$probe_pid" 2>/dev/null
  [[ "${bench_started_cluster:-0}" == 1 ]] || kubectl delete namespace bench-audit --wait=false >/dev/null 2>&1 || true
}

bench_policy bench-audit audit Hardened Audit

blog "restarting our operator on CPU 0"
operator_restart 0 "${bench_out}/operator.log"
echo "ours: ${op_cmd[*]}" >>"${bench_out}/env.txt"
sampler_start "$op_pid" "${bench_out}/samples.txt" jvm
pod_from_fixture create-pod-legacy "${bench_out}/pod.json"
pod_from_fixture create-deployment-legacy "${bench_out}/deployment.json"
python3 - "${bench_out}/deployment.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["spec"]["replicas"] = 0  # a ReplicaSet each, no Pods: the Pod count stays the one asked for
json.dump(d, open(sys.argv[1], "w"))
PY
hook_args=(-m POST -T application/json -D "${bench_root}/src/test/resources/admission/create-pod-hardened.json" -host localhost
  "$op_hook_url")

policy_json() {
  curl -sk -H "Authorization: Bearer ${admin_token}" \
    "${api_url}/apis/hardening.dev/v1alpha1/namespaces/bench-audit/hardeningpolicies/audit"
}
# the first "<key>": <number>; reads all its input (an early exit would SIGPIPE the writer, which pipefail reports)
json_number() { grep -o "\"$1\": *[0-9]*" | awk -F': *' 'NR == 1 { print $2 }'; }

blog "warming up the webhook"
hey_run "${bench_out}/jit-warmup.txt" -n 10000 -c 8 "${hook_args[@]}"

created=0
for size in "${sizes[@]}"; do
  # a create the webhook did not answer in time (a cold JIT on a busy machine) is retried
  for attempt in 1 2 3 4 5; do
    missing=$((size - created))
    ((missing > 0)) || break
    blog "creating ${missing} Pods (${created} -> ${size}; load $(load_average))"
    start=$(now_ms)
    hey_run "${bench_out}/create-${size}-${attempt}.txt" -n "$missing" -c "$((missing < 32 ? missing : 32))" -m POST -T application/json \
      -H "Authorization: Bearer ${admin_token}" -D "${bench_out}/pod.json" -host localhost \
      "${api_url}/api/v1/namespaces/bench-audit/pods"
    ok="$(hey_field "${bench_out}/create-${size}-${attempt}.txt" ok)"
    created=$((created + ok))
    echo "${size}: created ${ok} of ${missing} in $(($(now_ms) - start)) ms" >>"${bench_out}/create.txt"
  done
  deployments_now=0 replicasets=0
  if [[ "$size" == "${sizes[-1]}" ]] && ((deployments > 0)); then
    blog "creating ${deployments} Deployments (replicas 0; load $(load_average))"
    hey_run "${bench_out}/create-deployments.txt" -n "$deployments" -c "$((deployments < 32 ? deployments : 32))" -m POST -T application/json \
      -H "Authorization: Bearer ${admin_token}" -D "${bench_out}/deployment.json" -host localhost \
      "${api_url}/apis/apps/v1/namespaces/bench-audit/deployments"
    deployments_now="$(hey_field "${bench_out}/create-deployments.txt" ok)"
    # no wait for their ReplicaSets: the deployment controller adds them at its default 20 requests/s (10,000 take
    # over ten minutes), and the audit reads and skips them anyway (their Deployment's template is what it judges)
    replicasets="$(kubectl get replicasets -n bench-audit --no-headers 2>/dev/null | wc -l)"
  fi
  kill -0 "$op_pid" 2>/dev/null || bdie "the operator is gone; see ${bench_out}/operator.log"

  # the webhook's latency just before the audit, then during it
  hey_run "${bench_out}/webhook-before-${size}.txt" -z 5s -c 4 "${hook_args[@]}"
  mode=Audit
  # not `policy_json | grep -q`: grep's early exit SIGPIPEs curl, and under pipefail the test then fails at random
  [[ "$(policy_json)" =~ \"mode\":\ *\"Audit\" ]] && mode=Warn
  generation="$(($(policy_json | json_number generation) + 1))"
  failures_before="$(grep -c 'audit for HardeningPolicy bench-audit/audit failed' "${bench_out}/operator.log" || true)"
  blog "auditing ${created} Pods (spec.mode -> ${mode}; load $(load_average))"
  taskset -c 1 "${tool[hey]}" -z 600s -c 4 "${hook_args[@]}" >"${bench_out}/webhook-during-${size}.txt" 2>&1 &
  probe_pid=$!
  start=$(now_ms)
  kubectl patch hardeningpolicy audit -n bench-audit --type=merge -p "{\"spec\":{\"mode\":\"${mode}\"}}" >/dev/null
  outcome=""
  until [[ "$(policy_json | json_number observedGeneration)" == "$generation" ]]; do
    if ! kill -0 "$op_pid" 2>/dev/null; then
      outcome="operator exited: $(grep -v '^\s*at ' "${bench_out}/operator.log" | tail -2 | tr '\n' ' ' | cut -c1-200)"
      break
    fi
    if (($(now_ms) - start > 600000)); then outcome="not done after 600 s"; break; fi
    sleep 0.2
  done
  end=$(now_ms)
  kill -INT "$probe_pid" 2>/dev/null || true # hey prints its summary on SIGINT
  wait "$probe_pid" 2>/dev/null || true
  probe_pid=""
  if [[ -z "$outcome" ]]; then
    if (($(grep -c 'audit for HardeningPolicy bench-audit/audit failed' "${bench_out}/operator.log" || true) > failures_before)); then
      outcome="failed: $(grep -o 'audit for HardeningPolicy bench-audit/audit failed.*' "${bench_out}/operator.log" | tail -1 | cut -c1-160)"
    else
      outcome="$(policy_json | json_number objectsChecked) objects checked"
    fi
  fi
  echo "${size}|${created} + ${deployments_now} (${replicasets} ReplicaSets)|$((end - start))|$(peak_mb "${bench_out}/samples.txt.heap" "$start" "$end")|$(peak_mb "${bench_out}/samples.txt" "$start" "$end")|$(hey_field "${bench_out}/webhook-before-${size}.txt" p99)|$(hey_field "${bench_out}/webhook-during-${size}.txt" p99)|${outcome}|$(load_average)" \
    | tee -a "${bench_out}/results.txt" >&2
  [[ "$outcome" == "operator exited"* ]] && break
done
sampler_stop

table="${bench_out}/table.md"
{
  echo "Run of $(bench_env_line)."
  echo
  echo "| Pods + Deployments | audit time s | peak heap in use MB | peak RSS MB | webhook p99 ms before / during | outcome | load average |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  while IFS='|' read -r _ pods ms heap rss p99b p99d outcome load; do
    echo "| ${pods} | $(awk -v m="$ms" 'BEGIN { printf "%.1f", m / 1000 }') | ${heap} | ${rss} | ${p99b} / ${p99d} | ${outcome} | ${load} |"
  done <"${bench_out}/results.txt"
  echo
  echo "Idle before the first audit: RSS $(head -1 "${bench_out}/samples.txt" | awk '{ printf "%.0f", $2 / 1024 }') MB. Ours: \`taskset -c 0 $(printf '%s ' "${op_cmd[@]}" | sed "s|${bench_root}/||g; s/ $//")\`."
} >"$table"
echo "load average after: $(load_average)" >>"${bench_out}/env.txt"
cat "$table"
docs_update bench-audit "$table"
