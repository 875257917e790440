// Command velero is Velero's CLI and server, unchanged except for one thing:
// the environment variable VELERO_CR_METRICS_BIND_ADDRESS, when set, becomes
// controller-runtime's default metrics bind address (Velero hard-codes none,
// so every `velero server` binds :8080 and a second one on the same host dies).
// "0" disables that metrics server; "127.0.0.1:0" picks a free port.
//
// The body otherwise mirrors github.com/vmware-tanzu/velero/cmd/velero.
package main

import (
	"os"
	"path/filepath"

	"k8s.io/klog/v2"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/vmware-tanzu/velero/pkg/cmd"
	"github.com/vmware-tanzu/velero/pkg/cmd/velero"
)

const crMetricsBindAddressEnv = "VELERO_CR_METRICS_BIND_ADDRESS"

func main() {
	if addr, ok := os.LookupEnv(crMetricsBindAddressEnv); ok {
		metricsserver.DefaultBindAddress = addr
	}
	defer klog.Flush()
	baseName := filepath.Base(os.Args[0])
	err := velero.NewCommand(baseName).Execute()
	cmd.CheckError(err)
}
