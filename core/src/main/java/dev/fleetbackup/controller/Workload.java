package dev.fleetbackup.controller;

import dev.fleetbackup.ops.Health;
import dev.fleetbackup.ops.Leadership;
import dev.fleetbackup.pipeline.FleetPass;
import dev.fleetbackup.pipeline.GitOpsLoop;
import dev.fleetbackup.report.StatusReport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the controller runs, open for one run: the loop over the config repo and, with leader
 * election, a candidate for the Lease. Closing it closes the clone and the clients.
 * {@link RepoWorkload} is the real one; tests bring their own.
 */
interface Workload extends AutoCloseable {
  Loop loop();

  /** A candidate for the Lease that tells {@code listener} when this instance starts and stops leading. */
  Candidate candidate(Controller.Election election, Health health, Leadership.Listener listener);

  /** {@code listener} hears of drift in the members and of the requests each pass sent to them. */
  default void listen(FleetPass.Listener listener) {}

  @Override
  void close();

  /** Opens the workload; each finished pass's report goes to {@code passed} before it is published. */
  @FunctionalInterface
  interface Opener {
    Workload open(Passes passed) throws Exception;
  }

  /** Hears of each finished pass ({@link #accept}, before its report is published) and of each report the status branch took. */
  interface Passes extends Consumer<StatusReport> {
    default void published(StatusReport report) {}
  }

  /** The Git loop ({@link GitOpsLoop}). */
  interface Loop {
    GitOpsLoop.Iteration iterate();

    /** Iterations until {@code stop} says so, waiting on {@code trigger} between them. */
    void run(GitOpsLoop.Trigger trigger, BooleanSupplier stop) throws InterruptedException;
  }

  /** One instance's part in leader election ({@link Leadership}). */
  interface Candidate extends AutoCloseable {
    /** Joins the election; returns at once. */
    void start();

    boolean isLeader();

    /** Leaves the election, releasing the Lease when leading (the listener hears it stop first). */
    @Override
    void close();
  }
}
