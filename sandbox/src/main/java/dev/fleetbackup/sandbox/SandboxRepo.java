package dev.fleetbackup.sandbox;

import dev.fleetbackup.testkit.Member;
import dev.fleetbackup.testkit.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The sandbox's config repo, seeded from sample-repo/ with the fleet's real S3 endpoint, and its
 * Secrets as files: a bare repo {@code config.git} (the remote fleet-backup follows), a clone
 * {@code config/} to edit and push, and {@code secrets/<secret>/<key>}.
 */
record SandboxRepo(Path bare, Path work, Path secrets) {

  String url() {
    return bare.toUri().toString();
  }

  /** Creates the repo and secrets under {@code dir}, or reuses them if an earlier sandbox left them. */
  static SandboxRepo seed(Path dir, Path sample, TestFleet fleet, int members) throws IOException, GitAPIException {
    SandboxRepo repo = new SandboxRepo(dir.resolve("config.git"), dir.resolve("config"), dir.resolve("secrets"));
    writeSecrets(repo.secrets, fleet);
    if (Files.exists(repo.bare.resolve("HEAD"))) {
      pointAtFleet(repo, fleet, "sandbox: point the fleet at this sandbox's S3 server");
      return repo;
    }
    Git.init().setBare(true).setDirectory(repo.bare.toFile()).setInitialBranch("main").call().close();
    try (Git git = Git.cloneRepository().setURI(repo.url()).setDirectory(repo.work.toFile()).call()) {
      copyTree(sample, repo.work);
      addMembers(repo.work, members);
    }
    pointAtFleet(repo, fleet, "Seed from sample-repo, pointed at the sandbox's S3 server");
    return repo;
  }

  private static void pointAtFleet(SandboxRepo repo, TestFleet fleet, String message) throws IOException, GitAPIException {
    Path fleetFile = repo.work.resolve("fleet/quickstart.yaml");
    String yaml = Files.readString(fleetFile)
        .replaceAll("(?m)^(\\s*bucket:).*$", "$1 " + fleet.s3().bucket())
        .replaceAll("(?m)^(\\s*endpoint:).*$", "$1 " + fleet.s3().endpoint() + "  # the sandbox's s3proxy")
        .replaceAll("(?m)^(\\s*region:).*$", "$1 " + fleet.s3().region());
    Files.writeString(fleetFile, yaml);
    try (Git git = Git.open(repo.work.toFile())) {
      git.add().addFilepattern(".").call();
      if (!git.status().call().isClean()) {
        git.commit().setMessage(message).setAuthor("fleet-backup sandbox", "sandbox@localhost").call();
        git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
      }
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
  private static void writeSecrets(Path secrets, TestFleet fleet) throws IOException {
    for (Member member : fleet.members()) {
      Path file = secrets.resolve(member.name()).resolve(member.name() + ".config");
      Files.createDirectories(file.getParent());
      Files.copy(member.kubeconfig(), file, StandardCopyOption.REPLACE_EXISTING);
    }
    Path storage = secrets.resolve("minio-credentials");
    Files.createDirectories(storage);
    Files.writeString(storage.resolve("access-key"), fleet.s3().accessKey());
    Files.writeString(storage.resolve("secret-key"), fleet.s3().secretKey());
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
