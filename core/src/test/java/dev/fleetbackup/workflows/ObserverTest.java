package dev.fleetbackup.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ObserverTest {
  @Test
  void theVeleroVersionIsTheImageTagWhenThereIsOne() {
    assertThat(Observer.tag("velero/velero:v1.18.1")).contains("v1.18.1");
    assertThat(Observer.tag("registry.example.com:5000/velero/velero:v1.17.0")).contains("v1.17.0");
    assertThat(Observer.tag("registry.example.com:5000/velero/velero")).isEmpty();
    assertThat(Observer.tag("velero/velero:v1.18.1@sha256:abc")).contains("v1.18.1");
    assertThat(Observer.tag("velero/velero@sha256:abc")).isEmpty();
  }
}
