// Command cert-manager-controller runs cert-manager's certificate and issuer controllers (from the
// github.com/cert-manager/cert-manager module) against one API server, the way upstream's controller binary does,
// for the end-to-end tests only. See ../go.mod for why this main exists and what it leaves out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Each import registers its controllers (controller.Register in init) or its issuer type.
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"

	"hardening-operator/hack/tools/certmanager/internal/buildinfo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cert-manager-controller:", err)
		os.Exit(1)
	}
}

func run() error {
	var opts controller.ContextOptions
	version := flag.Bool("version", false, "print the cert-manager version this was built from and exit")
	flag.StringVar(&opts.Kubeconfig, "kubeconfig", "", "kubeconfig of the API server (required)")
	flag.StringVar(&opts.ClusterResourceNamespace, "cluster-resource-namespace", "",
		"namespace of the Secrets that ClusterIssuers refer to (required)")
	flag.StringVar(&opts.Namespace, "namespace", "", "watch only this namespace (default: all)")
	klog.InitFlags(flag.CommandLine)
	flag.Parse()
	if *version {
		fmt.Println(buildinfo.Version())
		return nil
	}
	if opts.Kubeconfig == "" || opts.ClusterResourceNamespace == "" {
		return fmt.Errorf("--kubeconfig and --cluster-resource-namespace are required")
	}
	// upstream's defaults for the flags this main does not expose
	opts.KubernetesAPIQPS, opts.KubernetesAPIBurst = 20, 50
	opts.CertificateRequestMinimumBackoffDuration = time.Hour
	opts.CertificateRequestMaximumBackoffDuration = 32 * time.Hour
	opts.MaxConcurrentChallenges = 60

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, klog.Background(), "cert-manager-controller")

	factory, err := controller.NewContextFactory(ctx, opts)
	if err != nil {
		return err
	}
	// No leader election: the tests run one controller per API server.
	var names []string
	for name := range controller.Known() {
		if opts.Namespace != "" && name == "clusterissuers" {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var wg sync.WaitGroup
	errs := make(chan error, len(names))
	for _, name := range names {
		c, err := controller.Known()[name](factory)
		if err != nil {
			return fmt.Errorf("controller %s: %w", name, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Run(5, ctx); err != nil {
				errs <- fmt.Errorf("controller %s: %w", name, err)
				stop()
			}
		}()
	}
	// The factories are shared by every Context the factory builds; the controllers registered their informers above.
	shared, err := factory.Build()
	if err != nil {
		return err
	}
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	klog.InfoS("started controllers", "controllers", names)
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}
