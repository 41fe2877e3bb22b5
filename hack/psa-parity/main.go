// Command psa-parity runs the upstream k8s.io/pod-security-admission check behind each baseline rule, at the
// Kubernetes 1.34 level, over that rule's fixtures (src/test/resources/rules/<rule-id>/{allowed,denied}) and fails
// when upstream disagrees with a fixture's verdict. It proves that our fixtures, and so our rules, match upstream.
//
//	cd hack/psa-parity && go run . ../../src/test/resources/rules
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

var ids = map[string]policy.CheckID{
	"no-privileged": "privileged", "no-host-namespaces": "hostNamespaces", "no-host-path": "hostPathVolumes",
	"no-host-ports": "hostPorts", "no-host-process": "windowsHostProcess", "baseline-capabilities": "capabilities_baseline",
	"no-unconfined-seccomp": "seccompProfile_baseline", "safe-sysctls": "sysctls", "default-proc-mount": "procMount",
	"selinux-options": "seLinuxOptions", "apparmor-profile": "appArmorProfile", "no-probe-host": "hostProbesAndHostLifecycle",
}

func template(data []byte) (*metav1.ObjectMeta, *corev1.PodSpec) {
	var tm metav1.TypeMeta
	must(yaml.Unmarshal(data, &tm))
	switch tm.Kind {
	case "Pod":
		var o corev1.Pod
		must(yaml.Unmarshal(data, &o))
		return &o.ObjectMeta, &o.Spec
	case "Deployment":
		var o appsv1.Deployment
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case "StatefulSet":
		var o appsv1.StatefulSet
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case "DaemonSet":
		var o appsv1.DaemonSet
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case "ReplicaSet":
		var o appsv1.ReplicaSet
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case "Job":
		var o batchv1.Job
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.Template.ObjectMeta, &o.Spec.Template.Spec
	case "CronJob":
		var o batchv1.CronJob
		must(yaml.Unmarshal(data, &o))
		return &o.Spec.JobTemplate.Spec.Template.ObjectMeta, &o.Spec.JobTemplate.Spec.Template.Spec
	}
	panic("kind " + tm.Kind)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	root := os.Args[1]
	checks := map[policy.CheckID]policy.Check{}
	for _, c := range policy.DefaultChecks() {
		checks[c.ID] = c
	}
	v := api.MajorMinorVersion(1, 34)
	bad := 0
	rules := make([]string, 0, len(ids))
	for rule := range ids {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	for _, rule := range rules {
		check := checks[ids[rule]]
		var fn policy.CheckPodFn
		for _, vc := range check.Versions {
			if !v.Older(vc.MinimumVersion) {
				fn = vc.CheckPod
			}
		}
		for _, verdict := range []string{"allowed", "denied"} {
			files, _ := filepath.Glob(filepath.Join(root, rule, verdict, "*.yaml"))
			for _, f := range files {
				data, _ := os.ReadFile(f)
				meta, spec := template(data)
				r := fn(meta, spec)
				ok := r.Allowed == (verdict == "allowed")
				if !ok {
					bad++
				}
				mark := "ok"
				if !ok {
					mark = "MISMATCH"
				}
				fmt.Printf("%-8s %s/%s/%s: upstream allowed=%v %s\n", mark, rule, verdict, filepath.Base(f), r.Allowed,
					strings.TrimSpace(r.ForbiddenReason+": "+r.ForbiddenDetail))
			}
		}
	}
	fmt.Println("mismatches:", bad)
	if bad > 0 {
		os.Exit(1)
	}
}
