package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

class S3ServerIT {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void inProcessServerStoresListsAndReturnsObjects() {
    try (S3Server s3 = S3Server.startInProcess(dir, "bucket-a")) {
      exercise(s3);
    }
  }

  @Test
  void standaloneServerStoresListsAndReturnsObjects() {
    try (S3Server s3 = S3Server.startProcess(dir, "bucket-b")) {
      exercise(s3);
    }
  }

  private static void exercise(S3Server s3) {
    assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(s3.listKeys()).isEmpty();
    s3.putObject("member1/backups/b1/velero-backup.json", "{}".getBytes(StandardCharsets.UTF_8));
    s3.putObject("member1/backups/b1/b1.tar.gz", new byte[] {1, 2, 3});
    s3.putObject("member2/backups/b2/velero-backup.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(s3.listKeys("member1/"))
        .containsExactlyInAnyOrder("member1/backups/b1/velero-backup.json", "member1/backups/b1/b1.tar.gz");
    assertThat(s3.listKeys()).hasSize(3);
    assertThat(new String(s3.getObject("member2/backups/b2/velero-backup.json"), StandardCharsets.UTF_8))
        .isEqualTo("{\"x\":1}");

    // the credentials are checked (AWS Signature V4)
    S3Client wrongSecret = new S3Client(s3.endpoint(), s3.region(), s3.accessKey(), "not-the-secret");
    assertThatThrownBy(() -> wrongSecret.listKeys(s3.bucket(), "")).hasMessageContaining("HTTP 403");
  }
}
