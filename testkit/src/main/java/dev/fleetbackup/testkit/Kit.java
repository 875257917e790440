package dev.fleetbackup.testkit;

/** What every part of one fleet shares: the binaries, the port allocator, the process registry. */
record Kit(TestkitBinaries binaries, Ports ports, ProcessRegistry registry) {

  static Kit create() {
    TestkitBinaries bins = TestkitBinaries.locate();
    return new Kit(bins, new Ports(), new ProcessRegistry(bins.cacheDir().resolve("run")));
  }
}
