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

// templatePaths says where each workload kind keeps its pod template; a Pod is its own template.
var templatePaths = map[string][]string{
	"Pod": nil, "Deployment": {"spec", "template"}, "StatefulSet": {"spec", "template"},
	"DaemonSet": {"spec", "template"}, "ReplicaSet": {"spec", "template"}, "Job": {"spec", "template"},
	"CronJob": {"spec", "jobTemplate", "spec", "template"},
}

func template(data []byte) (*metav1.ObjectMeta, *corev1.PodSpec) {
	var object map[string]interface{}
	must(yaml.Unmarshal(data, &object))
	path, known := templatePaths[fmt.Sprint(object["kind"])]
	if !known {
		panic(fmt.Sprintf("kind %v", object["kind"]))
	}
	node := object
	for _, key := range path {
		node = node[key].(map[string]interface{})
	}
	raw, err := yaml.Marshal(node)
	must(err)
	var tmpl corev1.PodTemplateSpec
	must(yaml.Unmarshal(raw, &tmpl))
	return &tmpl.ObjectMeta, &tmpl.Spec
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
