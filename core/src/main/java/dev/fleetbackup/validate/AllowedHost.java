package dev.fleetbackup.validate;

import dev.fleetbackup.model.SafeText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of the guardrail {@value Guardrails#ALLOWED_STORAGE_HOSTS}: {@code *} (any host but
 * link-local and metadata addresses), a name ({@code minio.velero.svc}), every name under a domain
 * ({@code *.example.com}), an address ({@code 10.0.0.5}, {@code fd00::5}) or a network
 * ({@code 10.0.0.0/8}). Any entry but {@code *} that matches a link-local or metadata host allows it.
 */
public final class AllowedHost {
  public static final AllowedHost ANY = new AllowedHost("*", null, null, 0);

  private final String canonical;
  /** An exact name, or {@code .example.com} for {@code *.example.com}; null for addresses. */
  private final String name;
  private final InetAddress network;
  private final int prefixLength;

  private AllowedHost(String canonical, String name, InetAddress network, int prefixLength) {
    this.canonical = canonical;
    this.name = name;
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** @throws IllegalArgumentException with a message that quotes {@code text} */
  public static AllowedHost parse(String text) {
    String entry = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (entry.equals("*")) {
        return ANY;
      }
      if (entry.contains("://") || entry.chars().filter(c -> c == ':').count() == 1) {
        throw new IllegalArgumentException("is a URL or has a port");
      }
      if (entry.startsWith("*.")) {
        Host domain = Host.parse(entry.substring(2));
        if (!(domain instanceof Host.Name n)) {
          throw new IllegalArgumentException("is not a domain");
        }
        return new AllowedHost("*." + n.name(), "." + n.name(), null, 0);
      }
      int slash = entry.indexOf('/');
      if (slash >= 0) {
        return network(entry.substring(0, slash), entry.substring(slash + 1));
      }
      Host host = Host.parse(entry);
      if (host instanceof Host.Name n) {
        return new AllowedHost(n.name(), n.name(), null, 0);
      }
      InetAddress address = ((Host.Address) host).address();
      return new AllowedHost(address.getHostAddress(), null, address, address.getAddress().length * 8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SafeText.quote(text) + " " + e.getMessage()
          + " (an entry is *, a host name, *.domain, an IP address or a network such as 10.0.0.0/8, without scheme or port)");
    }
  }

  private static AllowedHost network(String addressText, String lengthText) {
    if (!(Host.parse(addressText) instanceof Host.Address a)) {
      throw new IllegalArgumentException("is not a network: the part before / must be an IP address");
    }
    int bits = a.address().getAddress().length * 8;
    int length;
    try {
      length = Integer.parseInt(lengthText);
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("is not a network: the prefix length must be a number from 0 to " + bits);
    }
    InetAddress masked = masked(a.address(), length);
    return new AllowedHost(masked.getHostAddress() + "/" + length, null, masked, length);
  }

  private static InetAddress masked(InetAddress address, int length) {
    byte[] bytes = address.getAddress();
    for (int bit = length; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  boolean isAny() {
    return this == ANY;
  }

  boolean matches(Host host) {
    if (isAny()) {
      return true;
    }
    if (host instanceof Host.Name n) {
      return name != null && (name.startsWith(".") ? n.name().endsWith(name) : n.name().equals(name));
    }
    InetAddress address = ((Host.Address) host).address();
    return network != null && address.getClass() == network.getClass()
        && Arrays.equals(masked(address, prefixLength).getAddress(), network.getAddress());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AllowedHost a && a.canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return Objects.hash(canonical);
  }

  /** The entry as a flag takes it, normalised: {@code 10.0.0.0/8}, {@code *.example.com}. */
  @Override
  public String toString() {
    return canonical;
  }
}
