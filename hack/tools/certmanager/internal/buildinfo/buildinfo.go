// Package buildinfo says which cert-manager module a binary of this tools module was built from.
package buildinfo

import "runtime/debug"

// Version is "cert-manager <module version>", what --version prints and hack/ensure-k8s-tools.sh checks.
func Version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/cert-manager/cert-manager" {
				return "cert-manager " + dep.Version
			}
		}
	}
	return "cert-manager (unknown version)"
}
