package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
import dev.fleetbackup.plan.SecretValue;
import dev.fleetbackup.plan.StorageCredentials;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage credentials of every fleet with the backup plugin. One that cannot be read is left
 * out: the planner leaves that fleet's Secret unrendered, and applying its members fails with
 * {@code CREDENTIALS_UNAVAILABLE}.
 */
final class FleetCredentials {
  private static final Logger logger = LoggerFactory.getLogger(FleetCredentials.class);

  private FleetCredentials() {}

  /**
   * Stand-ins for every fleet's storage credentials, naming where the real ones are read from: an
   * offline plan shows no value, and needs no Secret.
   */
  static Map<ResourceId, StorageCredentials> placeholders(PolicySet policies) {
    Map<ResourceId, StorageCredentials> credentials = new HashMap<>();
    for (Fleet fleet : policies.fleets()) {
      fleet.backup().ifPresent(backup -> {
        String secret = fleet.metadata().namespace() + "/" + backup.storage().secretName();
        credentials.put(fleet.id(), new StorageCredentials(new SecretValue("<access-key of Secret " + secret + ">"),
            new SecretValue("<secret-key of Secret " + secret + ">")));
      });
    }
    return credentials;
  }

  static Map<ResourceId, StorageCredentials> read(PolicySet policies, CredentialSource source) {
    Map<ResourceId, StorageCredentials> credentials = new HashMap<>();
    for (Fleet fleet : policies.fleets()) {
      if (fleet.backup().isEmpty()) {
        continue;
      }
      try {
        credentials.put(fleet.id(), source.storage(fleet));
      } catch (CredentialsUnavailableException e) {
        logger.warn("fleet {}: {}", fleet.metadata().name(), e.getMessage());
      }
    }
    return credentials;
  }
}
