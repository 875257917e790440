# The fleet-backup controller image: the project's own Maven build, then the jar on a JRE.
#   docker build -t registry.example.com/platform/fleet-backup:0.1.0 .
# (The development machines have no container engine; build it in CI or on a workstation.)

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so that a source change does not download them again
COPY pom.xml .
COPY core/pom.xml core/
COPY cli/pom.xml cli/
COPY testkit/pom.xml testkit/
COPY sandbox/pom.xml sandbox/
RUN mvn -B -ntp -q -pl cli -am dependency:go-offline
COPY schemas schemas
COPY core/src core/src
COPY cli/src cli/src
# the test kit is a test-scoped dependency of core and cli, so Maven builds it, but none of it is in the jar
COPY testkit/src testkit/src
# the product's jar only; -Dmaven.test.skip: the tests need the real-cluster kit (make test), not an image build
RUN mvn -B -ntp -q -pl cli -am package -Dmaven.test.skip=true

FROM eclipse-temurin:17-jre
# a fixed non-root UID/GID, the one deploy/base runs as (runAsUser: 65532)
RUN groupadd --system --gid 65532 fleet-backup \
 && useradd --system --uid 65532 --gid 65532 --home-dir /var/lib/fleet-backup --no-create-home fleet-backup
COPY --from=build /src/cli/target/fleet-backup.jar /opt/fleet-backup/fleet-backup.jar
USER 65532:65532
WORKDIR /var/lib/fleet-backup
EXPOSE 8080
# out of memory, exit at once so that the container is restarted (deploy/base sets it too)
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/fleet-backup/fleet-backup.jar"]
CMD ["run", "--in-cluster"]
