package dev.fleetbackup.cli;

/** Exit statuses, as {@code kubectl diff} and compilers use them. */
public enum ExitCode {
  /** Valid, no differences, done. */
  OK(0),
  /** Invalid config, or differences found. */
  FINDINGS(1),
  /** Usage error, unreachable cluster, or an internal error. */
  ERROR(2);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
