package dev.fleetbackup.pipeline;

import java.util.Comparator;
import java.util.stream.Stream;

/** Exit statuses, as {@code kubectl diff} and compilers use them; a worse one wins over a better one. */
public enum ExitCode {
  /** Valid, no differences, done. */
  OK(0),
  /** Invalid config, or differences found. */
  FINDINGS(1),
  /** Usage error, a member that failed, or an internal error. */
  ERROR(2);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The worst of {@code codes}: an error over findings over OK; OK when there is none. */
  public static ExitCode worst(Stream<ExitCode> codes) {
    return codes.max(Comparator.naturalOrder()).orElse(OK);
  }
}
