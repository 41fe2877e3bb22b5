// Command psa-parity runs the upstream k8s.io/pod-security-admission check(s) behind each Pod Security rule
// (baseline and restricted), at the Kubernetes 1.34 level, over that rule's fixtures
// (src/test/resources/rules/<rule-id>/{allowed,denied}) and fails when upstream disagrees with a fixture's verdict.
// It checks verdicts per fixture, not field paths: those are ours. Which checks stand behind which rule it reads from
// checks.txt (generated from each rule's RuleInfo). Needs Go and, the first time, the module proxy.
//
//	hack/psa-parity/run.sh    # as ./mvnw verify runs it; or: cd hack/psa-parity && go run . ../../src/test/resources/rules
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
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// checksFile names the upstream check(s) behind each Pod Security rule, one rule a line: generated from the rule
// classes by hack/regenerate.sh, so that this tool keeps no list of rules of its own.
const checksFile = "checks.txt"

// readCheckIDs reads checksFile; a fixture is allowed only when all of a rule's checks allow it.
func readCheckIDs(known map[policy.CheckID]policy.Check) map[string][]policy.CheckID {
	data, err := os.ReadFile(checksFile)
	must(err)
	ids := map[string][]policy.CheckID{}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) < 2 {
			fail("%s: rule %s names no check", checksFile, fields[0])
		}
		for _, id := range fields[1:] {
			if _, ok := known[policy.CheckID(id)]; !ok {
				fail("%s: rule %s names %q, which is not an upstream check", checksFile, fields[0], id)
			}
			ids[fields[0]] = append(ids[fields[0]], policy.CheckID(id))
		}
	}
	return ids
}

// templatePaths says where each workload kind keeps its pod template; a Pod is its own template.
var templatePaths = map[string][]string{
	"Pod": nil, "Deployment": {"spec", "template"}, "StatefulSet": {"spec", "template"},
	"DaemonSet": {"spec", "template"}, "ReplicaSet": {"spec", "template"}, "Job": {"spec", "template"},
	"CronJob": {"spec", "jobTemplate", "spec", "template"}, "ReplicationController": {"spec", "template"},
	"PodTemplate": {"template"},
}

// knownDivergences are fixtures upstream cannot judge as our rules do, each with the reason.
var knownDivergences = map[string]string{
	"restricted-volume-types/denied/podtemplate-unknown-source.yaml": "a volume source Kubernetes 1.34 does not know:" +
		" its API server would drop the field and default the volume to emptyDir; our rule denies unknown sources",
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
	// Admission sees defaulted objects; the one default the checks can tell apart is SetDefaults_Volume's:
	// a volume without a source becomes an emptyDir.
	for i := range tmpl.Spec.Volumes {
		if ptr.AllPtrFieldsNil(&tmpl.Spec.Volumes[i].VolumeSource) {
			tmpl.Spec.Volumes[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
	return &tmpl.ObjectMeta, &tmpl.Spec
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "psa-parity: "+format+"\n", args...)
	os.Exit(2)
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
	checkIDs := readCheckIDs(checks)
	rules := make([]string, 0, len(checkIDs))
	for rule := range checkIDs {
		rules = append(rules, rule)
	}
	sort.Strings(rules)
	bad := 0
	for _, rule := range rules {
		for _, verdict := range []string{"allowed", "denied"} {
			files, _ := filepath.Glob(filepath.Join(root, rule, verdict, "*.yaml"))
			for _, f := range files {
				data, _ := os.ReadFile(f)
				meta, spec := template(data)
				allowed, reasons := true, []string{}
				for _, id := range checkIDs[rule] {
					if r := at134(checks[id])(meta, spec); !r.Allowed {
						allowed = false
						reasons = append(reasons, r.ForbiddenReason+": "+r.ForbiddenDetail)
					}
				}
				mark := "ok"
				if reason, known := knownDivergences[rule+"/"+verdict+"/"+filepath.Base(f)]; known {
					mark, reasons = "KNOWN", []string{reason}
				} else if allowed != (verdict == "allowed") {
					mark = "MISMATCH"
					bad++
				}
				fmt.Printf("%-8s %s/%s/%s: upstream allowed=%v %s\n", mark, rule, verdict, filepath.Base(f), allowed,
					strings.Join(reasons, "; "))
			}
		}
	}
	fmt.Println("mismatches:", bad)
	if bad > 0 {
		os.Exit(1)
	}
}

// at134 is the version of the check that Kubernetes 1.34 enforces: the newest one not newer than 1.34.
func at134(check policy.Check) policy.CheckPodFn {
	v134 := api.MajorMinorVersion(1, 34)
	var fn policy.CheckPodFn
	for _, vc := range check.Versions {
		if !v134.Older(vc.MinimumVersion) {
			fn = vc.CheckPod
		}
	}
	return fn
}
