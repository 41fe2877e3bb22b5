#!/usr/bin/env bash
# Our webhook and upstream's Pod Security admission webhook side by side over HTTPS (docs/benchmarks.md).
#
#   hack/bench-https.sh          # 5 fixtures x 1, 8, 32 connections, 2 s warm-up + 8 s measured each, after 20,000 warm-up requests per fixture; ~6 minutes
#   hack/bench-https.sh quick    # 1 s + 2 s each: checks that it works, the numbers mean little
#
# Both servers run against the local cluster (hack/local-cluster.sh, started if needed): ours is the cluster's
# operator, restarted pinned to CPU 0 with the image's JVM options; upstream is k8s.io/pod-security-admission/cmd/webhook
# (built from its Go module by hack/ensure-k8s-tools.sh), also on CPU 0, serving the same certificate. hey runs on
# CPU 1, keep-alive HTTP/1.1, and POSTs src/test/resources/admission/<fixture>.json. Namespace payments carries
# pod-security.kubernetes.io/{enforce,warn,audit}=restricted for upstream and a Restricted/Enforce HardeningPolicy for
# us. The Service fixture (a LoadBalancer with an external IP) is judged in namespace edge, where a Hardened/Enforce
# policy applies the Service rules; upstream does not judge Services and allows it at once, so its row shows what a
# review costs that only parses and answers. The scanned fixture is the compliant Pod again, in namespace scanned,
# whose Restricted/Enforce policy adds the release gate's two rules (image-vulnerabilities, image-scanned) with
# BENCH_SCANS (default 5,000) clean ImageScans in the cluster, the Pod's digest among them: ours on it against ours on
# create-pod-hardened is what the digest lookup costs a review (upstream, which has no such check and no label on
# that namespace, allows it at once). RSS of the server under load is sampled every 200 ms. Raw output:
# target/bench-https/.
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

duration=8s
warmup=2s
jit_warmup=20000
if [[ "${1:-}" == quick ]]; then duration=2s; warmup=1s; jit_warmup=2000; fi
fixtures=(create-pod-hardened create-pod-scanned create-deployment-hardened create-deployment-legacy update-deployment-legacy-scaled create-service-exposed)
connections=(1 8 32)

bench_init https
bench_cluster_up

psa_pid=""
# body <fixture>: the file hey and curl POST; the Service fixture moves to namespace edge, the scanned one is the
# compliant Pod in namespace scanned (see above)
body() {
  local src="${bench_root}/src/test/resources/admission/$1.json"
  case "$1" in
    create-service-exposed) moved "$src" edge "$1" ;;
    create-pod-scanned) moved "${bench_root}/src/test/resources/admission/create-pod-hardened.json" scanned "$1" ;;
    *) echo "$src" ;;
  esac
}
moved() { # moved <file> <namespace> <fixture>: the file with namespace payments replaced
  [[ -f "${bench_out}/$3.json" ]] || sed "s/\"payments\"/\"$2\"/g" "$1" >"${bench_out}/$3.json"
  echo "${bench_out}/$3.json"
}
bench_cleanup() {
  [[ -n "${psa_pid:-}" ]] && kill "$psa_pid" 2>/dev/null
  rm -f "${bench_out}/tls.key"
}

bench_policy edge hardened Hardened Enforce
scans="${BENCH_SCANS:-5000}"
blog "creating ${scans} clean ImageScans and the release-gate policy of namespace scanned"
bench_scans "$scans" "$(grep -o 'sha256:[0-9a-f]\{64\}' "$(body create-pod-scanned)" | head -1)"
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: {name: scanned}
---
apiVersion: hardening.dev/v1alpha1
kind: HardeningPolicy
metadata: {name: gate, namespace: scanned}
spec:
  profile: Restricted
  mode: Enforce
  rules: [{id: image-vulnerabilities}, {id: image-scanned}]
  scan: {severity: CRITICAL}
YAML
kubectl wait --for=condition=Ready hardeningpolicy/gate -n scanned --timeout=60s >/dev/null
bench_policy payments restricted Restricted Enforce \
  pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest \
  pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest \
  pod-security.kubernetes.io/audit=restricted pod-security.kubernetes.io/audit-version=latest

blog "restarting our operator on CPU 0"
operator_restart 0 "${bench_out}/ours.log"
ours_pid="$op_pid"
ours_url="$op_hook_url"
echo "ours: ${op_cmd[*]}" >>"${bench_out}/env.txt"

# Upstream serves the same certificate as ours (same handshake), and watches Namespaces with the admin kubeconfig.
kubectl get secret hardening-operator-tls -n hardening-system -o jsonpath='{.data.tls\.crt}' | base64 -d >"${bench_out}/tls.crt"
(umask 077 && kubectl get secret hardening-operator-tls -n hardening-system -o jsonpath='{.data.tls\.key}' | base64 -d >"${bench_out}/tls.key")
cat >"${bench_out}/pod-security.yaml" <<'YAML'
apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: privileged
  enforce-version: latest
  audit: privileged
  audit-version: latest
  warn: privileged
  warn-version: latest
exemptions: {}
YAML
psa_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
taskset -c 0 "${tool[pod-security-webhook]}" --config "${bench_out}/pod-security.yaml" \
  --kubeconfig "${bench_lc}/kubeconfig" --tls-cert-file "${bench_out}/tls.crt" --tls-private-key-file "${bench_out}/tls.key" \
  --bind-address 127.0.0.1 --secure-port "$psa_port" >"${bench_out}/upstream.log" 2>&1 &
psa_pid=$!
psa_url="https://127.0.0.1:${psa_port}/"
echo "upstream: pod-security-webhook $("${tool[pod-security-webhook]}" --version 2>&1), GOMAXPROCS from taskset (1)" >>"${bench_out}/env.txt"
deadline=$(($(now_ms) + 60000))
until [[ "$(curl -sk -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary "@$(body create-pod-hardened)" "$psa_url")" == 200 ]]; do
  kill -0 "$psa_pid" 2>/dev/null || bdie "upstream's webhook exited; see ${bench_out}/upstream.log"
  (($(now_ms) < deadline)) || bdie "upstream's webhook did not answer within 60 s"
  sleep 0.2
done

# What each answers, once per fixture, so that the table compares servers that did the same work.
for f in "${fixtures[@]}"; do
  for side in ours psa; do
    url="$ours_url"; [[ "$side" == psa ]] && url="$psa_url"
    curl -sk -H 'Content-Type: application/json' --data-binary "@$(body "$f")" "$url" \
      >"${bench_out}/${side}-${f}.answer.json"
  done
  printf '%s: ours allowed=%s, upstream allowed=%s\n' "$f" \
    "$(grep -o '"allowed":[a-z]*' "${bench_out}/ours-${f}.answer.json" | cut -d: -f2)" \
    "$(grep -o '"allowed":[a-z]*' "${bench_out}/psa-${f}.answer.json" | cut -d: -f2)" >>"${bench_out}/verdicts.txt"
done
# image-scanned denies a digest without a scan: allowed means the lookup found the fixture's ImageScan
grep -q '"allowed":true' "${bench_out}/ours-create-pod-scanned.answer.json" \
  || bdie "ours denied create-pod-scanned: the fixture's ImageScan is not in the index (${bench_out}/ours-create-pod-scanned.answer.json)"

sleep 2
ours_idle="$(($(rss_kb "$ours_pid") / 1024))"
psa_idle="$(($(rss_kb "$psa_pid") / 1024))"

run() { # run <side> <pid> <url> <fixture> <connections>
  local side="$1" pid="$2" url="$3" f="$4" c="$5" base="${bench_out}/${1}-${4}-c${5}"
  local body=("-m" POST -T application/json -D "$(body "$f")" -host localhost)
  hey_run "${base}.warmup.txt" -z "$warmup" -c "$c" "${body[@]}" "$url"
  sampler_start "$pid" "${base}.rss.txt"
  local before
  before="$(cpu_ticks "$pid")"
  hey_run "${base}.txt" -z "$duration" -c "$c" "${body[@]}" "$url"
  echo "$(($(cpu_ticks "$pid") - before))" >"${base}.cpu-ticks.txt"
  sampler_stop
  local ok total
  ok="$(hey_field "${base}.txt" ok)"; total="$(hey_field "${base}.txt" total)"
  [[ "$ok" == "$total" ]] || blog "WARNING: ${side} ${f} c=${c}: only ${ok} of ${total} answers were 2xx"
}

# A JVM that has just started interprets; a webhook in a cluster has long been compiled. Every fixture first, so
# that the JIT has seen all the code paths before anything is measured (upstream gets the same, for symmetry).
blog "warming up both servers on every fixture (${jit_warmup} requests each)"
for f in "${fixtures[@]}"; do
  for side in ours psa; do
    url="$ours_url"; [[ "$side" == psa ]] && url="$psa_url"
    hey_run "${bench_out}/${side}-${f}.jit-warmup.txt" -n "$jit_warmup" -c 8 -m POST -T application/json \
      -D "$(body "$f")" -host localhost "$url"
  done
done

for f in "${fixtures[@]}"; do
  for c in "${connections[@]}"; do
    blog "${f}, ${c} connection(s): ours, then upstream (load $(load_average))"
    run ours "$ours_pid" "$ours_url" "$f" "$c"
    run psa "$psa_pid" "$psa_url" "$f" "$c"
    echo "${f} c=${c} load $(load_average)" >>"${bench_out}/load.txt"
  done
done

table="${bench_out}/table.md"
{
  echo "Run of $(bench_env_line)."
  echo
  echo "| fixture | conns | req/s ours / upstream | ratio | p99 ms ours / upstream | p50 ms ours / upstream | CPU µs per request ours / upstream | upstream CPU ÷ ours | peak RSS MB ours / upstream |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  for f in "${fixtures[@]}"; do
    for c in "${connections[@]}"; do
      o="${bench_out}/ours-${f}-c${c}"; p="${bench_out}/psa-${f}-c${c}"
      ocpu="$(cpu_us_per_request "$(cat "$o.cpu-ticks.txt")" "$(hey_field "$o.txt" total)")"
      pcpu="$(cpu_us_per_request "$(cat "$p.cpu-ticks.txt")" "$(hey_field "$p.txt" total)")"
      echo "| \`${f}\` | ${c} | $(hey_field "$o.txt" rps) / $(hey_field "$p.txt" rps) | **$(ratio "$(hey_field "$o.txt" rps)" "$(hey_field "$p.txt" rps)")×** | $(hey_field "$o.txt" p99) / $(hey_field "$p.txt" p99) | $(hey_field "$o.txt" p50) / $(hey_field "$p.txt" p50) | ${ocpu} / ${pcpu} | **$(ratio "$pcpu" "$ocpu")×** | $(peak_mb "$o.rss.txt") / $(peak_mb "$p.rss.txt") |"
    done
  done
  echo
  echo "Idle RSS before the runs: ours ${ours_idle} MB, upstream ${psa_idle} MB; after them: ours $(($(rss_kb "$ours_pid") / 1024)) MB, upstream $(($(rss_kb "$psa_pid") / 1024)) MB."
  echo "Ours: \`$(printf '%s ' "${op_cmd[@]}" | sed "s|${bench_root}/||g; s/ $//")\`."
} >"$table"
echo "load average after: $(load_average)" >>"${bench_out}/env.txt"
cat "$table"
docs_update bench-https "$table"
