// Wrapper module: builds the velero binary for the fleet-backup test kit
// (testkit/build.sh) from a tiny main (main.go) that lets each process choose
// controller-runtime's metrics bind address. Not part of the product.
module dev.fleetbackup/testkit/velero

go 1.25.0

require github.com/vmware-tanzu/velero v1.18.1

// Same replace as Velero's own go.mod: a dependency's replace lines are ignored,
// and upstream kopia does not build with Velero 1.18.
replace github.com/kopia/kopia => github.com/project-velero/kopia v0.0.0-20251230033609-d946b1e75197
