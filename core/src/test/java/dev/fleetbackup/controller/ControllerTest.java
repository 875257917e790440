package dev.fleetbackup.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetbackup.apply.ApplyOptions;
import dev.fleetbackup.model.MemberFailure;
import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.pipeline.ExitCode;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.pipeline.MemberOutcome;
import dev.fleetbackup.pipeline.PassOutcome;
import dev.fleetbackup.report.StatusReport;
import dev.fleetbackup.validate.Guardrails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's lifecycle over a loop, a Lease and shutdown hooks that the test drives: which
 * runs when, what stops it, and the exit status it ends with.
 */
class ControllerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T02:00:00Z"), ZoneOffset.UTC);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeLoop loop = new FakeLoop();
  private final FakeHooks hooks = new FakeHooks();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private volatile FakeCandidate candidate;
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void stopThreads() {
    threads.forEach(Thread::interrupt);
  }

  private static Controller.Settings settings(Controller.Schedule schedule, Optional<Controller.Election> election) {
    return new Controller.Settings(new Controller.Repo(null, "main", "", null),
        new Controller.StatusBranch("fleet-backup/status", "fleet-backup", "fb@localhost"),
        new Controller.Reconcile(new Controller.Local(null), ApplyOptions.DEFAULTS, Guardrails.DEFAULTS), schedule,
        Optional.empty(), election);
  }

  private static final Controller.Schedule EVERY_HOUR = new Controller.Every(Duration.ofHours(1), Optional.empty());
  private static final Optional<Controller.Election> ELECTION = Optional.of(
      new Controller.Election("fleet-backup-system", "pod-a", Leadership.Timings.FLUX));

  private Controller controller(Controller.Schedule schedule, Optional<Controller.Election> election) {
    Workload.Opener opener = passed -> {
      loop.passed = passed;
      events.add("opened");
      return new Workload() {
        @Override
        public Loop loop() {
          return loop;
        }

        @Override
        public Candidate candidate(Controller.Election e, Health health, Leadership.Listener listener) {
          candidate = new FakeCandidate(listener);
          return candidate;
        }

        @Override
        public void close() {
          events.add("closed");
        }
      };
    };
    return new Controller(settings(schedule, election), opener, hooks, CLOCK);
  }

  private CompletableFuture<Controller.Result> start(Controller controller) {
    CompletableFuture<Controller.Result> result = new CompletableFuture<>();
    Thread main = new Thread(() -> {
      try {
        result.complete(controller.run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "controller-main");
    threads.add(main);
    main.start();
    return result;
  }

  @Test
  void onceRunsOnePassPublishesItAndExitsAsItsOutcomeSays() throws Exception {
    loop.outcome = outcomeWith(new MemberOutcome.Failed("m1", MemberFailure.Reason.UNREACHABLE, "cannot reach https://m1"));

    Controller.Result result = controller(new Controller.Once(), Optional.empty()).run();

    assertThat(result).isEqualTo(new Controller.Passed(loop.outcome));
    assertThat(result.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(loop.iterations).hasValue(1);
    assertThat(loop.published).hasValue(1);
    assertThat(loop.runs).as("no loop, one iteration").hasValue(0);
    assertThat(events).containsExactly("opened", "closed");
  }

  @Test
  void onceWithNothingFailedExitsZero() throws Exception {
    assertThat(controller(new Controller.Once(), Optional.empty()).run().exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void aloneItLoopsUntilAskedToStopThenExitsZeroAndLeavesNoHookBehind() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, Optional.empty()));
    await().atMost(WAIT).until(() -> loop.iterations.get() == 1);
    loop.step();
    await().atMost(WAIT).until(() -> loop.iterations.get() == 2);
    assertThat(result).isNotDone();

    hooks.fire(); // SIGTERM

    assertThat(result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Controller.Stopped());
    assertThat(new Controller.Stopped().exitCode()).isEqualTo(ExitCode.OK);
    assertThat(loop.running).isFalse();
    assertThat(hooks.registered).as("the hook is removed once the loop stopped").isEmpty();
    assertThat(events).containsExactly("opened", "closed");
  }

  @Test
  void aCandidateAppliesNothingUntilItLeads() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);

    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> loop.iterations.get() == 0);
    assertThat(result).isNotDone();

    candidate.lead();
    await().atMost(WAIT).until(() -> loop.iterations.get() == 1);
    assertThat(loop.thread).isEqualTo("gitops-loop");
  }

  @Test
  void aLeaderThatLosesTheLeaseStopsItsLoopBeforeTheCallbackReturnsAndExitsNonZero() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);
    candidate.lead();
    await().atMost(WAIT).until(() -> loop.iterations.get() == 1);

    candidate.lose(); // not renewed in time: isLeader() turns false, then onStopLeading

    assertThat(loop.running).as("stopped by the time onStopLeading returned").isFalse();
    assertThat(loop.iterations).as("no pass after the Lease was lost").hasValue(1);
    Controller.Result ended = result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ended).isEqualTo(new Controller.LeadershipEnded());
    assertThat(ended.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(candidate.closed).as("left the election").isTrue();
    assertThat(events).containsExactly("opened", "closed");
  }

  @Test
  void theLoopChecksItStillLeadsBeforeEachIteration() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);
    candidate.lead();
    await().atMost(WAIT).until(() -> loop.iterations.get() == 1);

    candidate.leader = false; // the renew deadline passed; onStopLeading has not run yet
    loop.step();

    await().atMost(WAIT).until(() -> !loop.running);
    assertThat(loop.iterations).hasValue(1);
    assertThat(result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.ERROR);
  }

  @Test
  void askedToStopWhileLeadingItStopsTheLoopAndReleasesTheLease() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);
    candidate.lead();
    await().atMost(WAIT).until(() -> loop.iterations.get() == 1);

    hooks.fire();

    assertThat(result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Controller.LeadershipEnded());
    assertThat(candidate.released).as("released, so that a standby takes over at once").isTrue();
    assertThat(loop.running).isFalse();
    assertThat(loop.iterations).hasValue(1);
  }

  @Test
  void askedToStopWhileStandingByItNeverRunsTheLoop() throws Exception {
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);

    hooks.fire();

    assertThat(result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.ERROR);
    candidate.lead(); // a late callback: the process is stopping, no loop may start
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> loop.runs.get() == 0);
    assertThat(candidate.closed).isTrue();
  }

  @Test
  void aStopEndsTheWaitAfterAPassWhoseLibraryCallSwallowedTheInterrupt() throws Exception {
    loop.paced = true;
    CountDownLatch libraryCall = new CountDownLatch(1);
    loop.libraryCall = libraryCall;
    CompletableFuture<Controller.Result> result = start(controller(EVERY_HOUR, Optional.empty()));
    await().atMost(WAIT).until(() -> loop.inLibraryCall);

    hooks.fire(); // SIGTERM while the pass is in a call that will drop the interrupt
    libraryCall.countDown();

    assertThat(result.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("the loop does not wait out its hour-long interval").isEqualTo(new Controller.Stopped());
    assertThat(loop.iterations).hasValue(1);
  }

  @Test
  void aLeaderThatLosesTheLeaseStopsALoopWhoseInterruptWasSwallowed() throws Exception {
    loop.paced = true;
    CountDownLatch libraryCall = new CountDownLatch(1);
    loop.libraryCall = libraryCall;
    start(controller(EVERY_HOUR, ELECTION));
    await().atMost(WAIT).until(() -> candidate != null && candidate.started);
    candidate.lead();
    await().atMost(WAIT).until(() -> loop.inLibraryCall);

    Thread lost = new Thread(candidate::lose);
    lost.start();
    await().atMost(WAIT).until(() -> lost.getState() == Thread.State.TIMED_WAITING); // joining the loop
    libraryCall.countDown();
    lost.join(WAIT.toMillis());

    assertThat(lost.isAlive()).as("onStopLeading returned well within its minute").isFalse();
    assertThat(loop.running).isFalse();
    assertThat(loop.iterations).hasValue(1);
  }

  private static PassOutcome outcomeWith(MemberOutcome member) {
    return new PassOutcome(List.of(new PassOutcome.Member(member.cluster(), "default/q", member, Optional.empty())),
        List.of(), List.of(), List.of());
  }

  /**
   * A loop that iterates once, then waits for {@link #step} before checking its stop and iterating
   * again. Interrupted, it takes {@link #WIND_DOWN} to stop, as a pass does that finishes its member
   * requests.
   */
  static final class FakeLoop implements Workload.Loop {
    volatile PassOutcome outcome = PassOutcome.NONE;
    volatile Consumer<StatusReport> passed = report -> { };
    final AtomicInteger iterations = new AtomicInteger();
    final AtomicInteger published = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    static final Duration WIND_DOWN = Duration.ofMillis(300);
    final Semaphore steps = new Semaphore(0);
    volatile boolean running;
    volatile String thread = "";
    /** Waits between iterations on the controller's pacing, as the real loop does, instead of on {@link #step}. */
    volatile boolean paced;
    /** When set, each iteration blocks until it is counted down, in a call that catches interrupts and drops them, as some libraries' I/O does. */
    volatile CountDownLatch libraryCall;
    volatile boolean inLibraryCall;

    @Override
    public GitOpsLoop.Iteration iterate() {
      iterations.incrementAndGet();
      CountDownLatch call = libraryCall;
      if (call != null) {
        inLibraryCall = true;
        while (call.getCount() > 0) {
          try {
            call.await();
          } catch (InterruptedException dropped) {
            // as the library does: the interrupt ends here
          }
        }
      }
      StatusReport report = new StatusReport(CLOCK.instant(), Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(),
          outcome.clusters(), List.of(), List.of(), List.of());
      passed.accept(report);
      published.incrementAndGet();
      return new GitOpsLoop.Iteration(outcome, report);
    }

    @Override
    public void run(GitOpsLoop.Trigger trigger, BooleanSupplier stop) throws InterruptedException {
      runs.incrementAndGet();
      thread = Thread.currentThread().getName();
      running = true;
      try {
        while (!stop.getAsBoolean()) {
          iterate();
          if (paced) {
            trigger.awaitNext();
            continue;
          }
          try {
            steps.acquire();
          } catch (InterruptedException e) {
            Thread.sleep(WIND_DOWN.toMillis()); // the work a pass still does once interrupted, not a wait for the test
            throw e;
          }
        }
      } finally {
        running = false;
      }
    }

    void step() {
      steps.release();
    }
  }

  /** A Lease the test hands out and takes away; it calls the listener as {@link Leadership} does, on a thread of its own. */
  static final class FakeCandidate implements Workload.Candidate {
    private final Leadership.Listener listener;
    volatile boolean started;
    volatile boolean leader;
    volatile boolean closed;
    volatile boolean released;

    FakeCandidate(Leadership.Listener listener) {
      this.listener = listener;
    }

    @Override
    public void start() {
      started = true;
    }

    @Override
    public boolean isLeader() {
      return leader;
    }

    void lead() {
      leader = true;
      listener.onStartLeading();
    }

    /** The Lease was not renewed in time. */
    void lose() {
      leader = false;
      listener.onStopLeading();
    }

    @Override
    public synchronized void close() {
      if (leader) {
        released = true;
        lose();
      }
      closed = true;
    }
  }

  /** Shutdown hooks the test fires, each on a thread of its own as the JVM runs them. */
  static final class FakeHooks implements ShutdownHooks {
    final List<Runnable> registered = new CopyOnWriteArrayList<>();

    @Override
    public Registration add(Runnable hook) {
      registered.add(hook);
      return () -> registered.remove(hook);
    }

    void fire() throws InterruptedException {
      List<Thread> running = registered.stream().map(Thread::new).toList();
      running.forEach(Thread::start);
      for (Thread t : running) {
        t.join(WAIT.toMillis());
      }
    }
  }
}
