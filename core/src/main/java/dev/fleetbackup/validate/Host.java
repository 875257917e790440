package dev.fleetbackup.validate;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host of a storage endpoint as Velero's AWS plugin (Go) dials it: an IP address written as
 * one, or a DNS name. Read literally and offline: a name is never resolved, so a name that
 * resolves to a refused address is not recognised (the README says so).
 */
sealed interface Host permits Host.Name, Host.Address {

  /** A DNS name, lower case, without a trailing dot. */
  record Name(String name) implements Host {}

  record Address(InetAddress address) implements Host {}

  /**
   * Cloud metadata and credential services outside the link-local ranges, which are refused whole:
   * AWS's IPv6 instance metadata and EKS Pod Identity addresses, Alibaba Cloud's metadata address,
   * Azure's WireServer; and the names that reach a metadata service (GCE, AWS, Tencent Cloud).
   */
  Set<String> METADATA_ADDRESSES = Set.of("fd00:ec2:0:0:0:0:0:254", "fd00:ec2:0:0:0:0:0:23", "100.100.100.200", "168.63.129.16");
  Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal",
      "metadata.tencentyun.com");

  Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-f:][0-9a-f:.]*");
  Pattern NUMERIC_LABEL = Pattern.compile("\\d+|0x[0-9a-f]*");
  Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /**
   * Reads a host as written in a URL ({@code [fe80::1]} in brackets) or in a flag.
   *
   * @throws IllegalArgumentException for what is neither an address nor a DNS name, and for
   *     numbers that are not a dotted quad ({@code 2852039166}, {@code 0251.0376.0251.0376},
   *     {@code 0xa9fea9fe}): some resolvers read them as addresses, others as names
   */
  static Host parse(String text) {
    String host = text.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      return new Address(ipv6(host.substring(1, host.length() - 1)));
    }
    if (host.contains(":")) {
      return new Address(ipv6(host));
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String lastLabel = host.substring(host.lastIndexOf('.') + 1);
    if (NUMERIC_LABEL.matcher(lastLabel).matches()) {
      return new Address(ipv4(host));
    }
    if (host.length() > 253 || Arrays.stream(host.split("\\.", -1)).anyMatch(l -> l.length() > 63 || !DNS_LABEL.matcher(l).matches())) {
      throw new IllegalArgumentException("is not a valid host name");
    }
    return new Name(host);
  }

  /** Why a storage endpoint must not point here unless the operator names it, if so. */
  default Optional<String> refusedBecause() {
    if (this instanceof Name n) {
      return METADATA_NAMES.contains(n.name()) ? Optional.of("is the name of a cloud metadata service") : Optional.empty();
    }
    InetAddress address = embeddedIpv4(((Address) this).address());
    if (address.isLinkLocalAddress()) {
      return Optional.of("is a link-local address (" + (address instanceof Inet4Address ? "169.254.0.0/16" : "fe80::/10")
          + "), where cloud metadata services answer");
    }
    if (METADATA_ADDRESSES.contains(address.getHostAddress())) {
      return Optional.of("is the address of a cloud metadata service");
    }
    return Optional.empty();
  }

  /** The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d}) address. */
  private static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address v6)) {
      return address;
    }
    byte[] b = v6.getAddress();
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
        && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
    if (!v6.isIPv4CompatibleAddress() && !nat64) {
      return address;
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an IPv4 address
    }
  }

  /** A dotted quad as Go reads one: four decimal numbers up to 255, no leading zeros (which some read as octal). */
  private static InetAddress ipv4(String text) {
    if (!DOTTED_QUAD.matcher(text).matches()) {
      throw new IllegalArgumentException("is not a valid IPv4 address: write it as four decimal numbers, such as 10.0.0.1");
    }
    String[] parts = text.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int value = Integer.parseInt(parts[i]);
      if (value > 255 || parts[i].length() > 1 && parts[i].startsWith("0")) {
        throw new IllegalArgumentException("is not a valid IPv4 address: write it as four decimal numbers, such as 10.0.0.1");
      }
      bytes[i] = (byte) value;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InetAddress ipv6(String text) {
    int zone = text.indexOf('%');
    String address = zone < 0 ? text : text.substring(0, zone);
    // Only hex digits, colons and dots, starting with a hex digit or colon: the JDK parses such a
    // literal and never asks DNS.
    if (!IPV6_CHARACTERS.matcher(address).matches() || !address.contains(":")) {
      throw new IllegalArgumentException("is not a valid IPv6 address");
    }
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("is not a valid IPv6 address");
    }
  }
}
