package dev.fleetbackup.pipeline;

import dev.fleetbackup.cluster.CredentialSource;
import dev.fleetbackup.cluster.CredentialsUnavailableException;
import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.PolicySet;
import dev.fleetbackup.model.ResourceId;
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
