# fleet-backup — see README.md. `make run` and `make test` work on a fresh machine.
MVN ?= mvn -B -ntp
JAR := target/fleet-backup.jar

.PHONY: build test run testkit bench clean

build: $(JAR)

$(JAR): pom.xml $(shell find src schemas -type f 2>/dev/null)
	$(MVN) -q package -DskipTests

# Builds the real-cluster kit (kube-apiserver, etcd, kubectl, Velero, s3proxy) once, cached outside the repo.
testkit:
	bash testkit/build.sh

test: testkit
	$(MVN) verify

# The whole product on an embedded sandbox: real member clusters, Velero and S3 on this machine.
run: testkit build
	java -jar $(JAR) sandbox $(SANDBOX_ARGS)

# Prints speed and memory figures; asserts nothing.
bench: testkit
	$(MVN) -q test-compile exec:java -Dexec.mainClass=dev.fleetbackup.bench.ValidateBenchmark
	$(MVN) -q exec:java -Dexec.mainClass=dev.fleetbackup.bench.PassBenchmark

clean:
	$(MVN) -q clean
