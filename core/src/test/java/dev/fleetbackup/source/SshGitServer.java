package dev.fleetbackup.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.git.pack.GitPackCommandFactory;
import org.apache.sshd.server.SshServer;

/**
 * A real SSH Git server on loopback (Apache MINA sshd with sshd-git's git-upload-pack and
 * git-receive-pack on JGit) that serves one bare repo at {@code /config.git}, with its own
 * generated host key, to whoever holds the one accepted public key, under any user name.
 */
public final class SshGitServer implements AutoCloseable {
  private static final String REPO = "config.git";

  private final SshServer server;
  private final KeyPair hostKey;

  public SshGitServer(Path bareRepo, PublicKey acceptedKey) throws IOException, GeneralSecurityException {
    if (!bareRepo.getFileName().toString().equals(REPO)) {
      throw new IllegalArgumentException("serves a repo named " + REPO + ", not " + bareRepo);
    }
    hostKey = generateKey();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(acceptedKey, key));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setHostBasedAuthenticator(null);
    server.setGSSAuthenticator(null);
    Path root = bareRepo.getParent();
    server.setCommandFactory(new GitPackCommandFactory((command, args, session, fs) -> {
      // args[1] is the repo path the client asked for; only the one repo is served.
      String asked = args.length < 2 ? "" : args[1].replaceFirst("^/", "");
      if (!asked.equals(REPO)) {
        throw new IOException("no repository " + asked);
      }
      return root;
    }));
    server.start();
  }

  /** An ECDSA P-256 key pair: the JDK alone makes and checks it, and OpenSSH files hold it. */
  public static KeyPair generateKey() throws GeneralSecurityException {
    return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
  }

  /** Writes {@code key} as an unencrypted OpenSSH private key file, owner-only, as ssh-keygen does. */
  public static Path writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "fleet-backup-test", null, out);
    }
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the temp dir's ACLs already keep it to the owner.
    }
    return file;
  }

  /** The known_hosts line naming this server's host key, as {@code ssh-keyscan -p} would print it. */
  public String knownHostsLine() {
    return knownHostsLine(port(), hostKey.getPublic());
  }

  static String knownHostsLine(int port, PublicKey key) {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key);
  }

  public int port() {
    return server.getPort();
  }

  public String url() {
    return "ssh://git@127.0.0.1:" + port() + "/" + REPO;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
