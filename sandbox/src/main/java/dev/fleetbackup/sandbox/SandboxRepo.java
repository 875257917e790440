package dev.fleetbackup.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.URIish;

/**
 * The sandbox's config repo, seeded from sample-repo/ with the fleet's real S3 endpoint, and its
 * Secrets as files: a bare repo {@code config.git} (the remote fleet-backup follows), a clone
 * {@code config/} to edit and push, and {@code secrets/<secret>/<key>}. The clone is on
 * {@link #BRANCH}, the branch the reconciler follows, tracking {@code origin/main}: a plain
 * {@code git push} lands where the reconciler looks.
 */
record SandboxRepo(Path bare, Path work, Path secrets) {
  /** The branch the sandbox's reconciler follows, and the clone's branch. */
  static final String BRANCH = "main";

  /** What the repo and its Secrets need from the sandbox's fleet. */
  record Fleet(Map<String, Path> kubeconfigs, Storage storage) {}

  /** The fleet's S3 server, as the Fleet policy and the credentials Secret name it. */
  record Storage(String endpoint, String bucket, String region, String accessKey, String secretKey) {}

  String url() {
    return bare.toUri().toString();
  }

  /** Creates the repo and secrets under {@code dir}, or reuses them if an earlier sandbox left them. */
  static SandboxRepo seed(Path dir, Path sample, Fleet fleet, int members) throws IOException, GitAPIException {
    SandboxRepo repo = new SandboxRepo(dir.resolve("config.git"), dir.resolve("config"), dir.resolve("secrets"));
    writeSecrets(repo.secrets, fleet);
    if (Files.exists(repo.bare.resolve("HEAD"))) {
      repo.trackMain();
      repo.pointAtFleet(fleet.storage(), "sandbox: point the fleet at this sandbox's S3 server");
      return repo;
    }
    Git.init().setBare(true).setDirectory(repo.bare.toFile()).setInitialBranch(BRANCH).call().close();
    try (Git git = Git.init().setDirectory(repo.work.toFile()).setInitialBranch(BRANCH).call()) {
      git.remoteAdd().setName(Constants.DEFAULT_REMOTE_NAME).setUri(new URIish(repo.url())).call();
    } catch (java.net.URISyntaxException e) {
      throw new IOException("the config repo's path is no Git URL: " + repo.url(), e);
    }
    repo.trackMain();
    copyTree(sample, repo.work);
    addMembers(repo.work, members);
    repo.pointAtFleet(fleet.storage(), "Seed from sample-repo, pointed at the sandbox's S3 server");
    return repo;
  }

  /**
   * Puts the clone on {@code main}, tracking {@code origin/main}. An earlier sandbox left a clone on
   * a local {@code master} with no upstream, where the printed {@code git push} failed; that clone is
   * moved onto {@code main} here.
   */
  private void trackMain() throws IOException, GitAPIException {
    try (Git git = Git.open(work.toFile())) {
      String current = git.getRepository().getBranch();
      if (!current.equals(BRANCH) && git.getRepository().exactRef(Constants.R_HEADS + BRANCH) == null) {
        git.branchRename().setOldName(current).setNewName(BRANCH).call();
      } else if (!current.equals(BRANCH)) {
        git.checkout().setName(BRANCH).call();
      }
      StoredConfig config = git.getRepository().getConfig();
      config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, BRANCH, ConfigConstants.CONFIG_KEY_REMOTE, Constants.DEFAULT_REMOTE_NAME);
      config.setString(ConfigConstants.CONFIG_BRANCH_SECTION, BRANCH, ConfigConstants.CONFIG_KEY_MERGE, Constants.R_HEADS + BRANCH);
      config.save();
    }
  }

  private void pointAtFleet(Storage storage, String message) throws IOException, GitAPIException {
    Path fleetFile = work.resolve("fleet/quickstart.yaml");
    String yaml = Files.readString(fleetFile)
        .replaceAll("(?m)^(\\s*bucket:).*$", "$1 " + storage.bucket())
        .replaceAll("(?m)^(\\s*endpoint:).*$", "$1 " + storage.endpoint() + "  # the sandbox's s3proxy")
        .replaceAll("(?m)^(\\s*region:).*$", "$1 " + storage.region());
    Files.writeString(fleetFile, yaml);
    try (Git git = Git.open(work.toFile())) {
      git.add().addFilepattern(".").call();
      if (!git.status().call().isClean()) {
        git.commit().setMessage(message).setAuthor("fleet-backup sandbox", "sandbox@localhost")
            .setCommitter("fleet-backup sandbox", "sandbox@localhost").call();
      }
      git.push().setRemote(Constants.DEFAULT_REMOTE_NAME).add(BRANCH).call();
    }
  }

  /** sample-repo has three members; a bigger sandbox fleet gets an AttachedCluster per extra member. */
  private static void addMembers(Path work, int members) throws IOException {
    Path fleetFile = work.resolve("fleet/quickstart.yaml");
    String fleet = Files.readString(fleetFile);
    StringBuilder extra = new StringBuilder();
    for (int i = 4; i <= members; i++) {
      String name = "kurator-member" + i;
      extra.append("    - name: ").append(name).append("\n      kind: AttachedCluster\n");
      Files.writeString(work.resolve("clusters/" + name + ".yaml"), Files.readString(work.resolve("clusters/kurator-member1.yaml"))
          .replace("kurator-member1", name).replace("Member cluster 1", "Member cluster " + i));
    }
    Files.writeString(fleetFile, fleet.replaceFirst("(?m)^  plugin:", java.util.regex.Matcher.quoteReplacement(extra.toString()) + "  plugin:"));
  }

  /** Each member's kubeconfig as its AttachedCluster names it, and the storage credentials. */
  private static void writeSecrets(Path secrets, Fleet fleet) throws IOException {
    for (Map.Entry<String, Path> member : fleet.kubeconfigs().entrySet()) {
      Path file = secrets.resolve(member.getKey()).resolve(member.getKey() + ".config");
      Files.createDirectories(file.getParent());
      Files.copy(member.getValue(), file, StandardCopyOption.REPLACE_EXISTING);
    }
    Path storage = secrets.resolve("minio-credentials");
    Files.createDirectories(storage);
    Files.writeString(storage.resolve("access-key"), fleet.storage().accessKey());
    Files.writeString(storage.resolve("secret-key"), fleet.storage().secretKey());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
