package dev.fleetbackup.source;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
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

  /** SSH with exactly the given key and known_hosts; no ~/.ssh of whoever runs the process. */
  private SshdSessionFactory sshSessionFactory() {
    Path key = credentials.sshKey().orElseThrow();
    File sshDir = key.toAbsolutePath().getParent().toFile();
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(sshDir)
        .setSshDirectory(sshDir)
        .setDefaultIdentities(dir -> List.of(key))
        .setDefaultKnownHostsFiles(dir -> credentials.knownHosts().map(List::of).orElse(List.of()))
        .build(null);
  }
}
