package dev.fleetbackup.plan;

import java.util.Objects;

/**
 * A credential. Its {@link #toString()} is masked, so it cannot leak through logs, exception
 * messages or a record's generated {@code toString}; the value is read only where it is written
 * into a Secret manifest.
 */
public final class SecretValue {
  private final String value;

  public SecretValue(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The clear text. Call it only to build the one manifest that carries it. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***";
  }
}
