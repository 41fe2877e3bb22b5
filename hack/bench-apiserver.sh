#!/usr/bin/env bash
# The webhook's share of Pod creation through the real API server (docs/benchmarks.md).
#
#   hack/bench-apiserver.sh          # 2 namespaces x 8, 32 connections, 3 s warm-up + 10 s measured; ~2 minutes
#   hack/bench-apiserver.sh quick    # 1 s + 3 s each
#
# hey POSTs a compliant Pod (the one in src/test/resources/admission/create-pod-hardened.json, generateName) with
# ?dryRun=All to the local cluster's API server (hack/local-cluster.sh, started if needed) as the admin, in
#   kube-system:    the webhook never sees it (the ValidatingWebhookConfiguration's namespaceSelector excludes it);
#   bench-policy:   a Restricted/Enforce HardeningPolicy; the API server calls the webhook for every Pod.
# The difference is what the webhook costs a user creating Pods. dryRun=All runs authentication, admission (the
# built-in plugins and webhooks) and validation, and stores nothing. Our operator runs pinned to CPU 0 with the image's
# JVM options (its Pod has one CPU), hey on CPU 1; the API server and etcd are not pinned. Raw output:
# target/bench-apiserver/.
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

duration=10s
warmup=3s
jit_warmup=10000
if [[ "${1:-}" == quick ]]; then duration=3s; warmup=1s; jit_warmup=2000; fi
connections=(8 32)
namespaces=(kube-system bench-policy)

bench_init apiserver
bench_cluster_up
bench_policy bench-policy restricted Restricted Enforce

blog "restarting our operator on CPU 0"
operator_restart 0 "${bench_out}/operator.log"
echo "ours: ${op_cmd[*]}" >>"${bench_out}/env.txt"
pod_from_fixture create-pod-hardened "${bench_out}/pod.json"

# The same Pod is admitted in both namespaces, and the webhook really judges it in bench-policy: a non-compliant
# one is refused there with our message.
for ns in "${namespaces[@]}"; do
  code="$(api_pod_post "$ns" "${bench_out}/pod.json" dryRun=All)"
  [[ "$code" == 201 ]] || bdie "the compliant Pod was not admitted in ${ns} (HTTP ${code}): $(head -c 400 "${bench_out}/last-answer.json")"
done
pod_from_fixture create-pod-legacy "${bench_out}/legacy-pod.json"
deadline=$(($(now_ms) + 60000))
until [[ "$(api_pod_post bench-policy "${bench_out}/legacy-pod.json" dryRun=All)" == 403 ]] &&
  grep -q 'violates HardeningPolicy' "${bench_out}/last-answer.json"; do
  (($(now_ms) < deadline)) || bdie "the API server does not send bench-policy's Pods to the webhook: $(head -c 400 "${bench_out}/last-answer.json")"
  sleep 0.5
done

# A JIT-compiled webhook, as in a cluster that has been running: every fixture straight at the webhook first.
blog "warming up the webhook"
for f in create-pod-hardened create-pod-legacy create-deployment-legacy; do
  hey_run "${bench_out}/jit-warmup-${f}.txt" -n "$jit_warmup" -c 8 -m POST -T application/json \
    -D "${bench_root}/src/test/resources/admission/${f}.json" -host localhost "$op_hook_url"
done

run() { # run <namespace> <connections>
  local ns="$1" c="$2" base="${bench_out}/${1}-c${2}"
  local args=(-m POST -T application/json -H "Authorization: Bearer ${admin_token}" -D "${bench_out}/pod.json" -host localhost)
  local url="${api_url}/api/v1/namespaces/${ns}/pods?dryRun=All"
  hey_run "${base}.warmup.txt" -z "$warmup" -c "$c" "${args[@]}" "$url"
  sampler_start "$op_pid" "${base}.rss.txt"
  hey_run "${base}.txt" -z "$duration" -c "$c" "${args[@]}" "$url"
  sampler_stop
  local ok total
  ok="$(hey_field "${base}.txt" ok)"; total="$(hey_field "${base}.txt" total)"
  [[ "$ok" == "$total" ]] || blog "WARNING: ${ns} c=${c}: only ${ok} of ${total} answers were 2xx"
  echo "${ns} c=${c} load $(load_average)" >>"${bench_out}/load.txt"
}

for c in "${connections[@]}"; do
  for ns in "${namespaces[@]}"; do
    blog "${ns}, ${c} connections (load $(load_average))"
    run "$ns" "$c"
  done
done

table="${bench_out}/table.md"
{
  echo "Run of $(bench_env_line)."
  echo
  echo "| conns | namespace | webhook called | req/s | p50 ms | p99 ms | operator peak RSS MB |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  for c in "${connections[@]}"; do
    for ns in "${namespaces[@]}"; do
      b="${bench_out}/${ns}-c${c}"
      called=no; [[ "$ns" == bench-policy ]] && called=yes
      echo "| ${c} | \`${ns}\` | ${called} | $(hey_field "$b.txt" rps) | $(hey_field "$b.txt" p50) | $(hey_field "$b.txt" p99) | $(peak_mb "$b.rss.txt") |"
    done
    u="${bench_out}/kube-system-c${c}.txt"; p="${bench_out}/bench-policy-c${c}.txt"
    echo "| ${c} | **webhook's share** | | **$(awk -v a="$(hey_field "$p" rps)" -v b="$(hey_field "$u" rps)" 'BEGIN { printf "%.0f %%", 100 * (1 - a / b) }') fewer** | +$(awk -v a="$(hey_field "$p" p50)" -v b="$(hey_field "$u" p50)" 'BEGIN { printf "%.1f", a - b }') | +$(awk -v a="$(hey_field "$p" p99)" -v b="$(hey_field "$u" p99)" 'BEGIN { printf "%.1f", a - b }') | |"
  done
  echo
  echo "Ours: \`$(printf '%s ' "${op_cmd[@]}" | sed "s|${bench_root}/||g; s/ $//")\`."
} >"$table"
echo "load average after: $(load_average)" >>"${bench_out}/env.txt"
cat "$table"
docs_update bench-apiserver "$table"
