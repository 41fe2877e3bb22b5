// Command psa-bench measures upstream Pod Security admission (k8s.io/pod-security-admission) in process, on the same
// AdmissionReview fixtures as our JMH AdmissionBenchmark, so the two can be compared per request.
//
//	cd hack/bench/psa && go run . -fixtures ../../../src/test/resources/admission
//
// Three scopes per fixture, each on one goroutine, timed call by call:
//
//	evaluate  policy.Evaluator.EvaluatePod at restricted/latest + AggregateCheckResults on an already decoded pod
//	          spec: the checks alone.
//	validate  admission.Admission.Validate on an already decoded AdmissionRequest: namespace lookup (lister),
//	          object decode, pod spec extraction, enforce/audit/warn evaluation, metrics.
//	review    AdmissionReview bytes in -> AdmissionReview bytes out, as server.HandleValidate of the upstream webhook
//	          command does it minus HTTP: decode, Validate, encode. This is the scope of our JMH benchmark.
//
// The namespace carries enforce, audit and warn = restricted (latest). With enforce alone, upstream skips workload
// resources (Deployments...) without evaluating them, since it only enforces on Pods.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	corev1listers "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	compbasemetrics "k8s.io/component-base/metrics"
	"k8s.io/pod-security-admission/admission"
	podsecurityconfigloader "k8s.io/pod-security-admission/admission/api/load"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/metrics"
	"k8s.io/pod-security-admission/policy"
)

// The same scheme as the upstream webhook command (cmd/webhook/server/scheme.go).
var (
	scheme = runtime.NewScheme()
	codecs = serializer.NewCodecFactory(scheme)
)

func init() {
	utilruntime.Must(corev1.AddToScheme(scheme))
	utilruntime.Must(appsv1.AddToScheme(scheme))
	utilruntime.Must(batchv1.AddToScheme(scheme))
	utilruntime.Must(admissionv1.AddToScheme(scheme))
}

var reviewKind = admissionv1.SchemeGroupVersion.WithKind("AdmissionReview")

func main() {
	dir := flag.String("fixtures", "../../../src/test/resources/admission", "directory of AdmissionReview fixtures")
	names := flag.String("fixture", "create-deployment-hardened,create-deployment-legacy,create-pod-hardened,update-deployment-legacy-scaled",
		"comma-separated fixture names (without .json)")
	scopes := flag.String("scope", "evaluate,validate,review", "comma-separated scopes")
	warmup := flag.Duration("warmup", 5*time.Second, "warm-up time per fixture and scope")
	measure := flag.Duration("time", 10*time.Second, "measured time per fixture and scope")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		must(err)
		must(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}

	delegate, evaluator := newAdmission()
	fmt.Printf("%-32s %-9s %8s %10s %10s %10s %12s  %s\n", "fixture", "scope", "samples", "p50 µs", "p99 µs", "mean µs", "ops/s", "verdict")
	for _, name := range strings.Split(*names, ",") {
		body, err := os.ReadFile(filepath.Join(*dir, name+".json"))
		must(err)
		review := decodeReview(body)
		out := handle(delegate, body)
		verdict := verdictOf(out)
		for _, scope := range strings.Split(*scopes, ",") {
			var op func()
			switch scope {
			case "evaluate":
				meta, spec := podSpecOf(review.Request)
				level := api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}
				op = func() {
					policy.AggregateCheckResults(evaluator.EvaluatePod(level, meta, spec))
				}
			case "validate":
				op = func() {
					delegate.Validate(context.Background(), api.RequestAttributes(review.Request, codecs.UniversalDeserializer()))
				}
			case "review":
				op = func() { handle(delegate, body) }
			default:
				must(fmt.Errorf("unknown scope %q", scope))
			}
			run(op, *warmup)
			samples, elapsed := run(op, *measure)
			sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
			var total time.Duration
			for _, s := range samples {
				total += s
			}
			fmt.Printf("%-32s %-9s %8d %10.2f %10.2f %10.2f %12.0f  %s\n", name, scope, len(samples),
				micros(percentile(samples, 0.50)), micros(percentile(samples, 0.99)),
				micros(total)/float64(len(samples)), float64(len(samples))/elapsed.Seconds(), verdict)
		}
	}
}

// newAdmission wires admission.Admission as the upstream webhook's server.Setup does, with a namespace lister
// holding the fixtures' namespace instead of an informer on a live API server.
func newAdmission() (*admission.Admission, policy.Evaluator) {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	must(err)
	config, err := podsecurityconfigloader.LoadFromData(nil) // defaults: privileged/latest, no exemptions
	must(err)
	recorder := metrics.NewPrometheusRecorder(api.GetAPIVersion())
	recorder.MustRegister(compbasemetrics.NewKubeRegistry().MustRegister)

	namespaces := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{})
	must(namespaces.Add(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "payments", Labels: map[string]string{
		api.EnforceLevelLabel: "restricted", api.AuditLevelLabel: "restricted", api.WarnLevelLabel: "restricted",
	}}}))
	delegate := &admission.Admission{
		Configuration:    config,
		Evaluator:        evaluator,
		Metrics:          recorder,
		PodSpecExtractor: admission.DefaultPodSpecExtractor{},
		PodLister:        noPods{},
		NamespaceGetter:  admission.NamespaceGetterFromListerAndClient(corev1listers.NewNamespaceLister(namespaces), nil),
	}
	must(delegate.CompleteConfiguration())
	must(delegate.ValidateConfiguration())
	return delegate, evaluator
}

// noPods is never asked: pods are listed only when a Namespace's enforce label changes.
type noPods struct{}

func (noPods) ListPods(context.Context, string) ([]*corev1.Pod, error) { return nil, nil }

// handle is server.HandleValidate without HTTP: bytes in, bytes out.
func handle(delegate *admission.Admission, body []byte) []byte {
	review := decodeReview(body)
	response := delegate.Validate(context.Background(), api.RequestAttributes(review.Request, codecs.UniversalDeserializer()))
	response.UID = review.Request.UID
	review.Response = response
	var out bytes.Buffer
	must(json.NewEncoder(&out).Encode(review))
	return out.Bytes()
}

func decodeReview(body []byte) *admissionv1.AdmissionReview {
	object, gvk, err := codecs.UniversalDeserializer().Decode(body, &reviewKind, nil)
	must(err)
	if *gvk != reviewKind {
		must(fmt.Errorf("unexpected kind %s", gvk))
	}
	return object.(*admissionv1.AdmissionReview)
}

func podSpecOf(request *admissionv1.AdmissionRequest) (*metav1.ObjectMeta, *corev1.PodSpec) {
	object, err := api.RequestAttributes(request, codecs.UniversalDeserializer()).GetObject()
	must(err)
	meta, spec, err := admission.DefaultPodSpecExtractor{}.ExtractPodSpec(object)
	must(err)
	return meta, spec
}

// verdictOf summarises a response so a run shows what upstream decided.
func verdictOf(out []byte) string {
	var review admissionv1.AdmissionReview
	must(json.Unmarshal(out, &review))
	r := review.Response
	switch {
	case !r.Allowed:
		return fmt.Sprintf("denied (%d bytes out)", len(out))
	case len(r.Warnings) > 0:
		return fmt.Sprintf("allowed, %d warning(s) (%d bytes out)", len(r.Warnings), len(out))
	default:
		return fmt.Sprintf("allowed (%d bytes out)", len(out))
	}
}

func run(op func(), d time.Duration) ([]time.Duration, time.Duration) {
	samples := make([]time.Duration, 0, 1<<20)
	start := time.Now()
	for time.Since(start) < d {
		t := time.Now()
		op()
		samples = append(samples, time.Since(t))
	}
	return samples, time.Since(start)
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	return sorted[int(q*float64(len(sorted)-1))]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "psa-bench:", err)
		os.Exit(1)
	}
}
