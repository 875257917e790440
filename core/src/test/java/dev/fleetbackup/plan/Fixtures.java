package dev.fleetbackup.plan;

import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.source.DirectoryReader;
import dev.fleetbackup.validate.ValidationReport;
import dev.fleetbackup.validate.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The sample config repo of the project, validated, as the plan tests' input. */
final class Fixtures {
  static final Path SAMPLE_REPO = Path.of("sample-repo");
  static final StorageCredentials CREDENTIALS =
      new StorageCredentials(new SecretValue("AKIDEXAMPLE"), new SecretValue("s3cr3t-Value-42"));

  private Fixtures() {}

  static PolicySet policies(Path repo) {
    try {
      ValidationReport report = new Validator().validate(new DirectoryReader(repo).read("test", ""));
      if (!report.valid()) {
        throw new IllegalStateException("fixture repo is invalid: " + report.diagnostics());
      }
      return report.policies();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<ResourceId, StorageCredentials> credentials(PolicySet policies) {
    return Map.of(policies.fleets().get(0).id(), CREDENTIALS);
  }
}
