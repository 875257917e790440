# fleet-backup — see README.md. `make run` and `make test` work on a fresh machine.
MVN ?= mvn -B -ntp
JAR := cli/target/fleet-backup.jar
SANDBOX_JAR := sandbox/target/fleet-backup-sandbox.jar
SOURCES := $(shell find pom.xml */pom.xml core/src cli/src testkit/src sandbox/src schemas -type f 2>/dev/null)

.PHONY: build test run testkit bench clean

# The product jar (what the image and bin/fleet-backup run) and the sandbox's jar.
build: $(JAR) $(SANDBOX_JAR)

$(JAR) $(SANDBOX_JAR) &: $(SOURCES)
	$(MVN) -q package -DskipTests

# Builds the real-cluster kit (kube-apiserver, etcd, kubectl, Velero, s3proxy) once, cached outside the repo.
testkit:
	bash testkit/build.sh

test: testkit
	$(MVN) verify

# The whole product on an embedded sandbox: real member clusters, Velero and S3 on this machine.
run: testkit build
	java -jar $(SANDBOX_JAR) sandbox $(SANDBOX_ARGS)

# Prints speed and memory figures; asserts nothing. The benchmarks live in core's tests.
bench: testkit
	$(MVN) -q -pl core -am test-compile exec:java -Dexec.mainClass=dev.fleetbackup.bench.ValidateBenchmark
	$(MVN) -q -pl core -am test-compile exec:java -Dexec.mainClass=dev.fleetbackup.bench.PassBenchmark
	$(MVN) -q -pl cli -am package -DskipTests
	$(MVN) -q -pl cli -am test-compile exec:java -Dbench.core.skip=true -Dexec.mainClass=dev.fleetbackup.cli.FleetBenchmark $(if $(BENCH_MEMBERS),-Dexec.args="$(BENCH_MEMBERS)")

clean:
	$(MVN) -q clean
