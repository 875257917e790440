package dev.fleetbackup.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostTest {
  @Test
  void entriesAreReadAndShownNormalised() {
    assertThat(List.of("*", "MinIO.velero.svc.", "*.Example.com", "10.0.0.5", "[fd00::5]", "10.1.2.3/8", "fd00:ec2::/32"))
        .extracting(e -> AllowedHost.parse(e).toString())
        .containsExactly("*", "minio.velero.svc", "*.example.com", "10.0.0.5", "fd00:0:0:0:0:0:0:5", "10.0.0.0/8", "fd00:ec2:0:0:0:0:0:0/32");
  }

  @Test
  void aDomainEntryMatchesTheNamesBelowItNotTheDomain() {
    AllowedHost domain = AllowedHost.parse("*.example.com");
    assertThat(domain.matches(Host.parse("s3.eu.example.com"))).isTrue();
    assertThat(domain.matches(Host.parse("example.com"))).isFalse();
    assertThat(domain.matches(Host.parse("badexample.com"))).isFalse();
  }

  @Test
  void aNetworkMatchesItsAddressesOfTheSameFamily() {
    AllowedHost network = AllowedHost.parse("10.0.0.0/8");
    assertThat(network.matches(Host.parse("10.255.0.1"))).isTrue();
    assertThat(network.matches(Host.parse("11.0.0.1"))).isFalse();
    assertThat(network.matches(Host.parse("[::ffff:10.0.0.1]"))).as("an IPv4-mapped address is the IPv4 address").isTrue();
    assertThat(network.matches(Host.parse("ten.example.com"))).isFalse();
  }

  @Test
  void whatIsNoHostNameAddressOrNetworkIsRefusedWithTheForms() {
    assertThatThrownBy(() -> AllowedHost.parse("http://minio:9000")).hasMessage("\"http://minio:9000\" is a URL or has a port "
        + "(an entry is *, a host name, *.domain, an IP address or a network such as 10.0.0.0/8, without scheme or port)");
    assertThatThrownBy(() -> AllowedHost.parse("minio:9000")).hasMessageStartingWith("\"minio:9000\" is a URL or has a port");
    assertThatThrownBy(() -> AllowedHost.parse("10.0.0.0/33")).hasMessageStartingWith(
        "\"10.0.0.0/33\" is not a network: the prefix length must be a number from 0 to 32");
    assertThatThrownBy(() -> AllowedHost.parse("minio_s3")).hasMessageStartingWith("\"minio_s3\" is not a valid host name");
    assertThatThrownBy(() -> AllowedHost.parse("017.0.0.1")).hasMessageStartingWith("\"017.0.0.1\" is not a valid IPv4 address");
    assertThatThrownBy(() -> AllowedHost.parse("*.10.0.0.1")).hasMessageStartingWith("\"*.10.0.0.1\" is not a domain");
  }
}
