#!/usr/bin/env bash
# Ours next to Kyverno, in one run on one cluster (docs/benchmarks.md, "Next to Kyverno").
#
#   hack/bench-kyverno.sh          # ~15 minutes once Kyverno is built (the first build: 20-40 minutes on 2 cores)
#   hack/bench-kyverno.sh quick    # shorter HTTPS runs, 100 Pods instead of 500: checks that it works
#
# Kyverno v1.19.x is built from its Go module (hack/tools/kyverno, `hack/ensure-k8s-tools.sh kyverno`) and run out of
# cluster as its chart runs the admission controller (the chart's default arguments, plus --serverIP), pinned to CPU 0,
# in a network namespace of the local cluster's own (like the operator's replicas), with its CRDs and its ConfigMaps
# from the module's config/. Its policy: the podSecurity `restricted` rule (Enforce) on namespace bench-kyverno; ours:
# a Restricted/Enforce HardeningPolicy on bench-ours. Printed, in one table:
#   - HTTPS straight at each webhook (hey on CPU 1, the same AdmissionReview of a compliant Pod, 1/8/32 connections):
#     req/s, p50/p99, CPU per review, peak RSS; idle RSS before;
#   - restart -> first denial through the API server (ours: exec to the first refusal of a non-compliant Pod, with the
#     API server dialing the replica's address as it dials Kyverno's, and through the Service's readiness as the chart
#     runs; Kyverno: its first start, and restarts);
#   - 0 -> N Pods through the real kube-controller-manager (a Deployment scaled from 0, done when N Pods exist): with no
#     webhook in their way, ours in Trust (the chart's default), ours in Judge (controllerChildren: Judge: every Pod
#     reviewed), Kyverno (every Pod reviewed).
# Raw output: target/bench-kyverno/.
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"
# shellcheck source=hack/cluster.sh
source "${bench_root}/hack/cluster.sh"

duration=8s
warmup=2s
jit_warmup=20000
pods=500
restarts=3
if [[ "${1:-}" == quick ]]; then duration=2s; warmup=1s; jit_warmup=2000; pods=100; restarts=1; fi
connections=(1 8 32)
fixture="${bench_root}/src/test/resources/admission/create-pod-hardened.json"

bench_init kyverno
# KYVERNO_BIN: a kyverno built from the same tools module by hand (`go build -C hack/tools/kyverno ...`), e.g. while
# another build holds the tools cache's lock
kyverno_bin="${KYVERNO_BIN:-$("${bench_root}/hack/ensure-k8s-tools.sh" kyverno | sed -n 's/^kyverno=//p')}"
[[ -x "$kyverno_bin" ]] || bdie "kyverno was not built"
kyverno_src="$(GOWORK=off go list -C "${bench_root}/hack/tools/kyverno" -m -f '{{.Dir}}' github.com/kyverno/kyverno)"
kyverno_version="$(GOWORK=off go list -C "${bench_root}/hack/tools/kyverno" -m -f '{{.Version}}' github.com/kyverno/kyverno)"
echo "kyverno: ${kyverno_version}, built from its Go module" >>"${bench_out}/env.txt"
bench_cluster_up

kyverno_pid=""
kyverno_netns=""
bench_cleanup() {
  kyverno_stop
  # its webhooks would fail every Pod write once it is gone (failurePolicy Fail)
  kubectl delete validatingwebhookconfiguration,mutatingwebhookconfiguration -l webhook.kyverno.io/managed-by=kyverno \
    --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete clusterpolicy psa-restricted --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete deployment bench-scale -n hardening-system --ignore-not-found --wait=false >/dev/null 2>&1 || true
  [[ -n "$kyverno_netns" ]] && net_del "$bench_lc" kyverno >/dev/null 2>&1 || true
  if [[ -f "${bench_out}/${bench_replica}.env.orig" ]]; then
    mv -f "${bench_out}/${bench_replica}.env.orig" "${bench_out}/${bench_replica}.env"
  fi
}

# --- the two sides' policies ---------------------------------------------------------------------------------------
bench_policy bench-ours restricted Restricted Enforce
kubectl create namespace bench-kyverno --dry-run=client -o yaml | kubectl apply -f - >/dev/null
pod_from_fixture create-pod-legacy "${bench_out}/pod-denied.json"
# the same review for both, each in its side's namespace
for side in ours kyverno; do
  python3 - "$fixture" "bench-${side}" "${bench_out}/review-${side}.json" <<'PY'
import json, sys
review = json.load(open(sys.argv[1]))
review["request"]["namespace"] = sys.argv[2]
review["request"]["object"]["metadata"]["namespace"] = sys.argv[2]
json.dump(review, open(sys.argv[3], "w"))
PY
done

# --- 0 -> N Pods ---------------------------------------------------------------------------------------------------
# metric_sum <metrics url> <metric name>: the sum of its series (0 when it has none yet)
metric_sum() { curl -s "$1" | awk -v m="$2" '$1 ~ "^" m "({|$)" { s += $NF } END { printf "%d", s }'; }

# scale_up <label> <namespace> [<metrics url> <metric>]: a Deployment of the compliant Pod at 0 replicas, scaled to
# N; ms until N Pods exist, and how many reviews the webhook's metric counted meanwhile.
scale_up() {
  local label="$1" ns="$2" start end n deadline reviews="-" before=0
  python3 - "$fixture" "$ns" "${bench_out}/scale-deployment.json" <<'PY'
import json, sys
pod = json.load(open(sys.argv[1]))["request"]["object"]
deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "bench-scale", "namespace": sys.argv[2]},
              "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "bench-scale"}},
                       "template": {"metadata": {"labels": {"app": "bench-scale"}}, "spec": pod["spec"]}}}
json.dump(deployment, open(sys.argv[3], "w"))
PY
  kubectl apply -f "${bench_out}/scale-deployment.json" >/dev/null
  kubectl rollout status deployment/bench-scale -n "$ns" --timeout=60s >/dev/null
  [[ -n "${3:-}" ]] && before="$(metric_sum "$3" "$4")"
  start="$(now_ms)"
  kubectl scale deployment/bench-scale -n "$ns" --replicas="$pods" >/dev/null
  deadline=$((start + 600000))
  while :; do
    n="$(kubectl get pods -n "$ns" -l app=bench-scale --no-headers 2>/dev/null | wc -l)"
    ((n >= pods)) && break
    (($(now_ms) < deadline)) || bdie "${label}: only ${n} of ${pods} Pods after 600 s"
    sleep 0.2
  done
  end="$(now_ms)"
  [[ -n "${3:-}" ]] && reviews=$(($(metric_sum "$3" "$4") - before))
  echo "${label} $((end - start)) ${reviews} $(load_average)" | tee -a "${bench_out}/scale.txt" >&2
  kubectl delete deployment bench-scale -n "$ns" --cascade=foreground --wait=true --timeout=300s >/dev/null
  until [[ "$(kubectl get pods -n "$ns" -l app=bench-scale --no-headers 2>/dev/null | wc -l)" == 0 ]]; do sleep 0.5; done
}

# Judge or Trust: the replica's setting (the chart's ConfigMap, HARDENING_WEBHOOK_CONTROLLER_CHILDREN), then the
# registration the leader writes from it: without matchConditions (Judge) or with them (Trust).
controller_children() {
  local mode="$1" env="${bench_out}/${bench_replica}.env"
  operator_capture
  [[ -f "${env}.orig" ]] || cp "$env" "${env}.orig"
  { grep -zv '^HARDENING_WEBHOOK_CONTROLLER_CHILDREN=' "${env}.orig" || true; printf 'HARDENING_WEBHOOK_CONTROLLER_CHILDREN=%s\0' "$mode"; } >"$env"
  operator_restart 0 "${bench_out}/ours-${mode}.log"
  local want=true deadline=$(($(now_ms) + 60000))
  [[ "$mode" == Judge ]] && want=false
  until [[ "$([[ -n "$(kubectl get validatingwebhookconfiguration hardening-operator \
    -o jsonpath='{.webhooks[0].matchConditions}')" ]] && echo true || echo false)" == "$want" ]]; do
    (($(now_ms) < deadline)) || bdie "the registration did not follow controllerChildren=${mode} within 60 s"
    sleep 0.5
  done
}

blog "0 -> ${pods} Pods: no webhook (namespace hardening-system, which ours never reviews; Kyverno not started yet)"
scale_up "none" hardening-system
blog "0 -> ${pods} Pods: ours, Trust"
controller_children Trust
scale_up "ours-Trust" bench-ours "${op_mgmt_url}/q/metrics" hardening_admission_requests_total
blog "0 -> ${pods} Pods: ours, Judge"
controller_children Judge
scale_up "ours-Judge" bench-ours "${op_mgmt_url}/q/metrics" hardening_admission_requests_total
controller_children Trust

# --- Kyverno -------------------------------------------------------------------------------------------------------
kubectl create namespace kyverno --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply --server-side --force-conflicts -f "${kyverno_src}/config/crds/kyverno" \
  -f "${kyverno_src}/config/crds/policies.kyverno.io" -f "${kyverno_src}/config/crds/reports" \
  -f "${kyverno_src}/config/crds/policyreport" >/dev/null
# its ConfigMaps as its install manifest has them (resource filters, webhook namespace selector, metrics)
python3 - "${kyverno_src}/config/install-latest-testing.yaml" "${bench_out}/kyverno-configmaps.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "ConfigMap"
        and d["metadata"]["name"] in ("kyverno", "kyverno-metrics")]
yaml.safe_dump_all(docs, open(sys.argv[2], "w"))
PY
kubectl apply -f "${bench_out}/kyverno-configmaps.yaml" >/dev/null
read -r kyverno_netns kyverno_address < <(net_add "$bench_lc" kyverno)

# the admission controller's arguments in its chart (config/install-latest-testing.yaml), out of cluster
kyverno_args=(--kubeconfig="${bench_lc}/kubeconfig" --serverIP="${kyverno_address}:9443"
  --caSecretName=kyverno-svc.kyverno.svc.kyverno-tls-ca --tlsSecretName=kyverno-svc.kyverno.svc.kyverno-tls-pair
  --tlsKeyAlgorithm=RSA --backgroundServiceAccountName=system:serviceaccount:kyverno:kyverno-background-controller
  --reportsServiceAccountName=system:serviceaccount:kyverno:kyverno-reports-controller --servicePort=443
  --webhookServerPort=9443 --resyncPeriod=15m --crdWatcher=false --disableMetrics=false --otelConfig=prometheus
  --metricsPort=8000 --admissionReports=true --maxAdmissionReports=1000 --autoUpdateWebhooks=true
  --excludeBootstrapResources=false --enableConfigMapCaching=true --controllerRuntimeMetricsAddress=:8080
  --enableDeferredLoading=true --dumpPayload=false --forceFailurePolicyIgnore=false
  --generateValidatingAdmissionPolicy=true --generateMutatingAdmissionPolicy=false --dumpPatches=false
  --maxAPICallResponseLength=2000000 --apiCallTimeout=30s --maxGlobalContextEntries=0 --loggingFormat=text --v=2
  --omitEvents=PolicyApplied,PolicySkipped --enablePolicyException=false --protectManagedResources=false
  --allowInsecureRegistry=false --registryCredentialHelpers=default,google,amazon,azure,github
  --enableReporting=validate,mutate,mutateExisting,imageVerify,generate)
kyverno_env=(PATH="$PATH" HOME="$HOME" KYVERNO_NAMESPACE=kyverno KYVERNO_POD_NAME=kyverno-admission-controller-bench
  KYVERNO_SERVICEACCOUNT_NAME=kyverno-admission-controller KYVERNO_ROLE_NAME=kyverno:admission-controller
  INIT_CONFIG=kyverno METRICS_CONFIG=kyverno-metrics KYVERNO_DEPLOYMENT=kyverno-admission-controller KYVERNO_SVC=kyverno-svc)

kyverno_start() { # <log>; kyverno_pid, kyverno_exec_ms
  kyverno_exec_ms="$(now_ms)"
  taskset -c 0 ip netns exec "$kyverno_netns" env -i "${kyverno_env[@]}" "$kyverno_bin" "${kyverno_args[@]}" >"$1" 2>&1 &
  kyverno_pid=$!
}
kyverno_stop() {
  [[ -n "${kyverno_pid:-}" ]] || return 0
  kill -TERM "$kyverno_pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$kyverno_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$kyverno_pid" 2>/dev/null || true
  wait "$kyverno_pid" 2>/dev/null || true
  kyverno_pid=""
}
denied_by() { # <namespace> <what the denial says>; ours answers 403 (Forbidden), Kyverno 400
  [[ "$(api_pod_post "$1" "${bench_out}/pod-denied.json" dryRun=All)" == 40[03] ]] && grep -q "$2" "${bench_out}/last-answer.json"
}
# first_denial <namespace> <text> <exec ms> <pid>: ms from exec to the first denial through the API server
first_denial() {
  local deadline=$(($3 + 180000))
  until denied_by "$1" "$2"; do
    kill -0 "$4" 2>/dev/null || bdie "the server exited before it denied anything"
    (($(now_ms) < deadline)) || bdie "no denial in $1 within 180 s: $(head -c 300 "${bench_out}/last-answer.json")"
    sleep 0.05
  done
  echo $(($(now_ms) - $3))
}

cat >"${bench_out}/kyverno-policy.yaml" <<'YAML'
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: psa-restricted
spec:
  background: false
  rules:
  - name: restricted
    match:
      any:
      - resources:
          kinds: [Pod]
          namespaces: [bench-kyverno, hardening-system]
    validate:
      failureAction: Enforce
      podSecurity:
        level: restricted
        version: latest
YAML
blog "starting Kyverno (first start: its certificates, its webhooks)"
kyverno_start "${bench_out}/kyverno-first.log"
kubectl apply -f "${bench_out}/kyverno-policy.yaml" >/dev/null
kyverno_first_ms="$(first_denial bench-kyverno psa-restricted "$kyverno_exec_ms" "$kyverno_pid")"
blog "Kyverno's first start -> first denial: ${kyverno_first_ms} ms"
for run in $(seq 1 "$restarts"); do
  kyverno_stop
  kyverno_start "${bench_out}/kyverno-restart-${run}.log"
  ms="$(first_denial bench-kyverno psa-restricted "$kyverno_exec_ms" "$kyverno_pid")"
  echo "$ms" >>"${bench_out}/kyverno-restarts.txt"
  blog "Kyverno restart -> first denial: ${ms} ms"
done

blog "0 -> ${pods} Pods: Kyverno (namespace hardening-system, which its policy covers and ours never reviews)"
scale_up "kyverno" hardening-system "http://${kyverno_address}:8000/metrics" kyverno_admission_requests_total

# --- ours: restart -> first denial ---------------------------------------------------------------------------------
# First as Kyverno is measured: the API server dials the replica's address whether or not it listens (its endpoint
# held ready, endpoint_pin), so the figure is the process's own start. Then through the Service as the chart runs it:
# plus the readiness probe and the EndpointSlice (local-cluster.sh's kubelet loop, every second).
for mode in direct service; do
  [[ "$mode" == direct ]] && endpoint_pin on
  for run in $(seq 1 "$restarts"); do
    operator_launch 0 "${bench_out}/ours-restart-${mode}-${run}.log"
    ms="$(first_denial bench-ours 'violates HardeningPolicy' "$op_exec_ms" "$op_pid")"
    echo "$ms" >>"${bench_out}/ours-restarts-${mode}.txt"
    blog "ours restart (${mode}) -> first denial: ${ms} ms"
    operator_wait_ready
  done
  endpoint_pin off
done
ours_pid="$op_pid"
ours_url="$op_hook_url"

# --- HTTPS straight at each webhook --------------------------------------------------------------------------------
kyverno_url="$(kubectl get validatingwebhookconfiguration kyverno-resource-validating-webhook-cfg \
  -o jsonpath='{.webhooks[?(@.failurePolicy=="Fail")].clientConfig.url}')"
[[ -n "$kyverno_url" ]] || bdie "Kyverno registered no validating webhook with failurePolicy Fail"
for side in ours kyverno; do
  url="$ours_url"; [[ "$side" == kyverno ]] && url="$kyverno_url"
  curl -sk -H 'Content-Type: application/json' --data-binary "@${bench_out}/review-${side}.json" "$url" \
    >"${bench_out}/${side}.answer.json"
  grep -q '"allowed":true' "${bench_out}/${side}.answer.json" ||
    bdie "${side} did not allow the compliant Pod: $(head -c 300 "${bench_out}/${side}.answer.json")"
done
sleep 5
ours_idle="$(($(rss_kb "$ours_pid") / 1024))"
kyverno_idle="$(($(rss_kb "$kyverno_pid") / 1024))"

hey_side() { # <side> <pid> <url> <connections> <file prefix>
  local body=(-m POST -T application/json -D "${bench_out}/review-$1.json")
  [[ "$1" == ours ]] && body+=(-host localhost) # the JDK refuses an IP address as TLS SNI
  hey_run "$5.warmup.txt" -z "$warmup" -c "$4" "${body[@]}" "$3"
  sampler_start "$2" "$5.rss.txt"
  local before
  before="$(cpu_ticks "$2")"
  hey_run "$5.txt" -z "$duration" -c "$4" "${body[@]}" "$3"
  echo "$(($(cpu_ticks "$2") - before))" >"$5.cpu-ticks.txt"
  sampler_stop
  echo "$1 c=$4 load $(load_average)" >>"${bench_out}/load.txt"
}
blog "warming up both servers (${jit_warmup} reviews each)"
hey_run "${bench_out}/ours.jit-warmup.txt" -n "$jit_warmup" -c 8 -m POST -T application/json \
  -D "${bench_out}/review-ours.json" -host localhost "$ours_url"
hey_run "${bench_out}/kyverno.jit-warmup.txt" -n "$jit_warmup" -c 8 -m POST -T application/json \
  -D "${bench_out}/review-kyverno.json" "$kyverno_url"
for c in "${connections[@]}"; do
  blog "HTTPS, ${c} connection(s): ours, then Kyverno (load $(load_average))"
  hey_side ours "$ours_pid" "$ours_url" "$c" "${bench_out}/ours-c${c}"
  hey_side kyverno "$kyverno_pid" "$kyverno_url" "$c" "${bench_out}/kyverno-c${c}"
done

# --- the table -----------------------------------------------------------------------------------------------------
scale_ms() { awk -v l="$1" '$1 == l { print $2 }' "${bench_out}/scale.txt"; }
scale_reviews() { awk -v l="$1" '$1 == l { print $3 }' "${bench_out}/scale.txt"; }
scale_load() { awk -v l="$1" '$1 == l { print $4 }' "${bench_out}/scale.txt"; }
none_ms="$(scale_ms none)"
# seconds_range <file of ms>: "median s (min-max)"
seconds_range() { stats <"$1" | awk '{ printf "%.1f s (%.1f-%.1f)", $2 / 1000, $1 / 1000, $3 / 1000 }'; }
table="${bench_out}/table.md"
{
  echo "Run of $(bench_env_line); Kyverno ${kyverno_version}."
  echo
  echo "| | ours | Kyverno | ours ÷ Kyverno | load (1 min) |"
  echo "| --- | --- | --- | --- | --- |"
  for c in "${connections[@]}"; do
    o="${bench_out}/ours-c${c}"; k="${bench_out}/kyverno-c${c}"
    ocpu="$(cpu_us_per_request "$(cat "$o.cpu-ticks.txt")" "$(hey_field "$o.txt" total)")"
    kcpu="$(cpu_us_per_request "$(cat "$k.cpu-ticks.txt")" "$(hey_field "$k.txt" total)")"
    load="$(awk -v c="c=${c}" '$1 == "kyverno" && $2 == c { print $4 }' "${bench_out}/load.txt")"
    echo "| HTTPS req/s, ${c} connection(s) | $(hey_field "$o.txt" rps) | $(hey_field "$k.txt" rps) | **$(ratio "$(hey_field "$o.txt" rps)" "$(hey_field "$k.txt" rps)")×** | ${load} |"
    echo "| p50 / p99 ms, ${c} connection(s) | $(hey_field "$o.txt" p50) / $(hey_field "$o.txt" p99) | $(hey_field "$k.txt" p50) / $(hey_field "$k.txt" p99) | | |"
    echo "| CPU µs per review, ${c} connection(s) | ${ocpu} | ${kcpu} | **$(ratio "$ocpu" "$kcpu")×** | |"
  done
  echo "| idle RSS MB (before the HTTPS runs) | ${ours_idle} | ${kyverno_idle} | $(ratio "$ours_idle" "$kyverno_idle")× | |"
  echo "| peak RSS MB (32 connections) | $(peak_mb "${bench_out}/ours-c32.rss.txt") | $(peak_mb "${bench_out}/kyverno-c32.rss.txt") | $(ratio "$(peak_mb "${bench_out}/ours-c32.rss.txt")" "$(peak_mb "${bench_out}/kyverno-c32.rss.txt")")× | |"
  kyverno_median="$(stats <"${bench_out}/kyverno-restarts.txt" | cut -d' ' -f2)"
  for mode in direct service; do
    what="the API server dialing the address, as Kyverno's"
    [[ "$mode" == service ]] && what="through the Service's readiness, as the chart runs"
    ours_median="$(stats <"${bench_out}/ours-restarts-${mode}.txt" | cut -d' ' -f2)"
    echo "| restart → first denial through the API server, ${what} (median, min-max of ${restarts}) | $(seconds_range "${bench_out}/ours-restarts-${mode}.txt") | $(seconds_range "${bench_out}/kyverno-restarts.txt") | $(ratio "$ours_median" "$kyverno_median")× | |"
  done
  echo "| Kyverno's first start (certificates, webhooks) → first denial | | $(awk -v m="$kyverno_first_ms" 'BEGIN { printf "%.1f s", m / 1000 }') | | |"
  echo "| 0 → ${pods} Pods, no webhook | $(awk -v m="$none_ms" 'BEGIN { printf "%.1f s", m / 1000 }') | | | $(scale_load none) |"
  for v in ours-Trust ours-Judge kyverno; do
    echo "| 0 → ${pods} Pods, ${v/-/ } ($(scale_reviews "$v") reviews) | $(awk -v m="$(scale_ms "$v")" 'BEGIN { printf "%.1f s", m / 1000 }') | | **$(ratio "$(scale_ms "$v")" "$none_ms")× no webhook** | $(scale_load "$v") |"
  done
  echo
  echo "Ours: \`taskset -c 0 $(printf '%s ' "${op_cmd[@]}" | sed "s|${bench_root}/||g; s/ $//")\`; Kyverno: \`taskset -c 0 kyverno\` with its chart's arguments and \`--serverIP\`; hey on CPU 1."
} >"$table"
echo "load average after: $(load_average)" >>"${bench_out}/env.txt"
cat "$table"
docs_update bench-kyverno "$table"
