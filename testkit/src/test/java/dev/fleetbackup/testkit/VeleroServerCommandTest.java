package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class VeleroServerCommandTest {

  @Test
  void takesServerFlagsFromTheContainerAndDropsTheOnesNamingHostResources() {
    Deployment d = new DeploymentBuilder(VeleroInstallFixture.deployment("v1.18.1", "v1.14.2"))
        .editSpec().editTemplate().editSpec().editFirstContainer()
        .withArgs("server", "--uploader-type=kopia", "--default-volumes-to-fs-backup",
            "--metrics-address=:8085", "--plugin-dir", "/plugins", "--log-level=debug")
        .endContainer().endSpec().endTemplate().endSpec()
        .build();

    VeleroServerCommand cmd = VeleroServerCommand.from(d);

    assertThat(cmd.serverFlags())
        .containsExactly("--uploader-type=kopia", "--default-volumes-to-fs-backup", "--log-level=debug");
  }

  @Test
  void resolvesTheNamespaceFieldRefAndDropsImageOnlyEnvironment() {
    VeleroServerCommand cmd = VeleroServerCommand.from(VeleroInstallFixture.deployment("v1.18.1", "v1.14.2"));

    assertThat(cmd.literalEnv())
        .containsEntry("VELERO_NAMESPACE", "velero")
        .containsEntry("AWS_SHARED_CREDENTIALS_FILE", "/credentials/cloud")
        .containsEntry("VELERO_SCRATCH_DIR", "/scratch")
        .doesNotContainKey("LD_LIBRARY_PATH");
    assertThat(cmd.unresolvedEnv()).isEmpty();
  }

  @Test
  void findsTheSecretVolumeBehindTheCredentialsFile() {
    VeleroServerCommand cmd = VeleroServerCommand.from(VeleroInstallFixture.deployment("v1.18.1", "v1.14.2"));

    assertThat(cmd.mountFor("/credentials/cloud")).hasValueSatisfying(m -> {
      assertThat(m.volumeName()).isEqualTo("cloud-credentials");
      assertThat(m.secretName()).contains("cloud-credentials");
    });
    assertThat(cmd.mountFor("/scratch")).hasValueSatisfying(m -> assertThat(m.secretName()).isEmpty());
    assertThat(cmd.mountFor("/elsewhere/file")).isEmpty();
    assertThat(cmd.initContainerImages()).containsExactly("velero/velero-plugin-for-aws:v1.14.2");
  }

  @Test
  void recognisesVeleroServerDeploymentsAndCrdJobs() {
    assertThat(VeleroNode.isVeleroServer(VeleroInstallFixture.deployment("v1.18.1", "v1.14.2"))).isTrue();
    assertThat(VeleroNode.isCrdInstallJob(VeleroInstallFixture.crdInstallJob("v1.18.1"))).isTrue();
    Deployment other = new DeploymentBuilder(VeleroInstallFixture.deployment("v1.18.1", "v1.14.2"))
        .editSpec().editTemplate().editSpec().editFirstContainer()
        .withImage("nginx:1.27").withCommand("nginx").withArgs("-g", "daemon off;")
        .endContainer().endSpec().endTemplate().endSpec().build();
    assertThat(VeleroNode.isVeleroServer(other)).isFalse();
  }
}
