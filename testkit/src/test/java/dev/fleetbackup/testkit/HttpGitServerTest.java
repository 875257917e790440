package dev.fleetbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.fleetbackup.testkit.HttpGitServer.Exchange;
import dev.fleetbackup.testkit.HttpGitServer.Fault;
import dev.fleetbackup.testkit.HttpGitServer.Service;
import dev.fleetbackup.testkit.HttpGitServer.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The faults the Git server plays, seen from a JGit client as fleet-backup is one. */
class HttpGitServerTest {
  private static final UsernamePasswordCredentialsProvider BOT = new UsernamePasswordCredentialsProvider("bot", "t0ken");

  @TempDir
  Path dir;

  @Test
  void aRefusedFetchHasItsRefsAdvertisedAndItsObjectsRefused() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"));
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
      remote.commit(Map.of("a.yaml", "a: 1\n"), "one");
      server.inject(Service.FETCH, Fault.REFUSE);

      assertThatThrownBy(() -> Git.cloneRepository().setURI(server.url()).setCredentialsProvider(BOT)
          .setDirectory(dir.resolve("clone").toFile()).call().close())
          .isInstanceOf(TransportException.class).hasMessageContaining("503");
      assertThat(server.exchanges()).extracting(Exchange::service, Exchange::step, Exchange::status)
          .as("the refs listed, then the objects refused")
          .endsWith(tuple(Service.FETCH, Step.REFS, 200), tuple(Service.FETCH, Step.OBJECTS, 503))
          .doesNotContain(tuple(Service.FETCH, Step.REFS, 503));

      server.heal();
      Git.cloneRepository().setURI(server.url()).setCredentialsProvider(BOT).setDirectory(dir.resolve("clone-2").toFile())
          .call().close();
      assertThat(dir.resolve("clone-2/a.yaml")).hasContent("a: 1");
      assertThat(server.exchanges()).extracting(Exchange::step, Exchange::status).last().isEqualTo(tuple(Step.OBJECTS, 200));
    }
  }

  @Test
  void aPushWhoseAnswerIsLostLandsAndTheClientIsToldItFailed() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"));
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
      String first = remote.commit(Map.of("a.yaml", "a: 1\n"), "one");
      try (Git clone = Git.cloneRepository().setURI(server.url()).setCredentialsProvider(BOT)
          .setDirectory(dir.resolve("clone").toFile()).call()) {
        Files.writeString(dir.resolve("clone/a.yaml"), "a: 2\n");
        clone.commit().setAll(true).setMessage("two").setAuthor("T", "t@example.com").call();
        server.inject(Service.PUSH, Fault.LOSE_ANSWER);

        assertThatThrownBy(() -> clone.push().setCredentialsProvider(BOT).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call())
            .isInstanceOf(TransportException.class).hasMessageContaining("500");
        assertThat(remote.log("main")).extracting(c -> c.getShortMessage()).containsExactly("two", "one");
        assertThat(remote.log("main").get(1).name()).isEqualTo(first);
      }
    }
  }

  @Test
  void anotherWriterRunBeforeThePushesAdvertisementMakesItANonFastForward() throws Exception {
    try (ConfigRemote remote = ConfigRemote.create(dir.resolve("git"));
         HttpGitServer server = new HttpGitServer(remote.bare, "bot", "t0ken")) {
      remote.commit(Map.of("a.yaml", "a: 1\n"), "one");
      try (Git clone = Git.cloneRepository().setURI(server.url()).setCredentialsProvider(BOT)
          .setDirectory(dir.resolve("clone").toFile()).call()) {
        Files.writeString(dir.resolve("clone/a.yaml"), "a: 2\n");
        clone.commit().setAll(true).setMessage("mine").setAuthor("T", "t@example.com").call();
        server.beforeNextAdvertisement(Service.PUSH, () -> remote.commit(Map.of("b.yaml", "b: 1\n"), "theirs"));

        Iterable<PushResult> results = clone.push().setCredentialsProvider(BOT).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
        assertThat(results.iterator().next().getRemoteUpdate("refs/heads/main").getStatus())
            .isEqualTo(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
        assertThat(remote.log("main")).extracting(c -> c.getShortMessage()).containsExactly("theirs", "one");

        results = clone.push().setCredentialsProvider(BOT).setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
        assertThat(results.iterator().next().getRemoteUpdate("refs/heads/main").getStatus())
            .isEqualTo(RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD);
        assertThat(remote.log("main")).as("the other writer wrote once").hasSize(2);
      }
    }
  }
}
