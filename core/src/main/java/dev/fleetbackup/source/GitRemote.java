package dev.fleetbackup.source;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/** A remote config repo and how to reach it: URL, credentials, timeout. Shared by fetch and push. */
public record GitRemote(String url, GitCredentials credentials, Duration timeout) {

  /** The URL without any password it may carry. */
  @Override
  public String toString() {
    try {
      return new URIish(url).toString(); // URIish leaves the password out
    } catch (URISyntaxException e) {
      return "<unparsable URL>";
    }
  }

  /** Applies credentials and timeout to a fetch or push. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    command.setTimeout((int) Math.max(1, timeout.toSeconds()));
    credentials.httpProvider().ifPresent(command::setCredentialsProvider);
    if (credentials.sshKey().isPresent()) {
      SshdSessionFactory ssh = sshSessionFactory();
      command.setTransportConfigCallback(transport -> {
        if (transport instanceof SshTransport sshTransport) {
          sshTransport.setSshSessionFactory(ssh);
        }
      });
    }
    return command;
  }

  /**
   * SSH with exactly the given key and known_hosts; no ~/.ssh of whoever runs the process, and no
   * ssh config file at all (not even one beside the key), so a host key that known_hosts does not
   * name is refused, never learned, and only public-key authentication is tried.
   */
  private SshdSessionFactory sshSessionFactory() {
    Path key = credentials.sshKey().orElseThrow();
    File sshDir = key.toAbsolutePath().getParent().toFile();
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(sshDir)
        .setSshDirectory(sshDir)
        .setConfigStoreFactory((home, configFile, localUser) -> STRICT_SSH_CONFIG)
        .setPreferredAuthentications("publickey")
        .setDefaultIdentities(dir -> List.of(key))
        .setDefaultKnownHostsFiles(dir -> credentials.knownHosts().map(List::of).orElse(List.of()))
        .build(null);
  }

  /** The ssh config of every host: {@code StrictHostKeyChecking yes} and nothing else. */
  private static final SshConfigStore STRICT_SSH_CONFIG = new SshConfigStore() {
    private final HostConfig strict = new HostConfig() {
      @Override
      public String getValue(String option) {
        return SshConstants.STRICT_HOST_KEY_CHECKING.equalsIgnoreCase(option) ? "yes" : null;
      }

      @Override
      public List<String> getValues(String option) {
        return List.of();
      }

      @Override
      public Map<String, String> getOptions() {
        return Map.of(SshConstants.STRICT_HOST_KEY_CHECKING, "yes");
      }

      @Override
      public Map<String, List<String>> getMultiValuedOptions() {
        return Map.of();
      }
    };

    @Override
    public HostConfig lookup(String hostName, int port, String userName) {
      return strict;
    }

    @Override
    public HostConfig lookupDefault(String hostName, int port, String userName) {
      return strict;
    }
  };
}
