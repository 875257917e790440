package dev.fleetbackup.cluster;

/** A request to a member failed; {@link #failure()} says how. */
public final class MemberException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient RequestFailure failure;

  public MemberException(RequestFailure failure) {
    super(failure.message());
    this.failure = failure;
  }

  public RequestFailure failure() {
    return failure;
  }

  public RequestFailure.Kind kind() {
    return failure.kind();
  }
}
