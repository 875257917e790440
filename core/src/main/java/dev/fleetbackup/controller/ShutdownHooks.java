package dev.fleetbackup.controller;

/** Where the controller hears that the process is asked to stop (SIGTERM, Ctrl-C): the JVM's hooks, or a test. */
interface ShutdownHooks {
  /** Runs {@code hook} when the process is asked to stop, until the returned registration is closed. */
  Registration add(Runnable hook);

  /** A hook that is no longer wanted once closed. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /** The JVM's shutdown hooks. */
  ShutdownHooks JVM = hook -> {
    Thread thread = new Thread(hook, "shutdown");
    Runtime.getRuntime().addShutdownHook(thread);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(thread);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running
      }
    };
  };
}
