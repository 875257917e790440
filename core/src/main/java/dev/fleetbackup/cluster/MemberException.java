package dev.fleetbackup.cluster;

/** A request to a member failed; {@link #failure()} says how. */
public final class MemberException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient MemberFailure failure;

  public MemberException(MemberFailure failure) {
    super(failure.message());
    this.failure = failure;
  }

  public MemberFailure failure() {
    return failure;
  }

  public MemberFailure.Kind kind() {
    return failure.kind();
  }
}
