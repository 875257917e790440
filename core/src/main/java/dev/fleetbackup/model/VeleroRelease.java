package dev.fleetbackup.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Velero versions fleet-backup installs, and the Velero Helm chart versions that ship each of
 * them (vmware-tanzu/helm-charts, charts/velero/Chart.yaml {@code appVersion}), so that a Kurator
 * Fleet's {@code chart.version} chooses a Velero version. Only the versions the test kit runs are
 * supported: every other one is refused, as fleet-backup has never seen it work.
 *
 * @param velero the Velero version, as its image tag ({@code v1.18.1})
 * @param awsPlugin the velero-plugin-for-aws version that goes with it
 * @param charts the chart versions whose appVersion it is, oldest first
 */
public record VeleroRelease(String velero, String awsPlugin, List<String> charts) {

  /** The supported releases, oldest first. */
  public static final List<VeleroRelease> SUPPORTED = List.of(
      new VeleroRelease("v1.18.1", "v1.14.2", List.of("12.0.2", "12.0.3", "12.1.0")));

  /** Known chart versions of Velero versions fleet-backup does not support, for a precise refusal. */
  private static final Map<String, String> UNSUPPORTED_CHARTS = unsupportedCharts();

  public VeleroRelease {
    charts = List.copyOf(charts);
  }

  public static VeleroRelease latest() {
    return SUPPORTED.get(SUPPORTED.size() - 1);
  }

  public static Optional<VeleroRelease> ofChart(String chartVersion) {
    return SUPPORTED.stream().filter(r -> r.charts().contains(chartVersion)).findFirst();
  }

  public static Optional<VeleroRelease> ofTag(String tag) {
    return SUPPORTED.stream().filter(r -> r.velero().equals(tag)).findFirst();
  }

  /** The Velero version an unsupported chart version ships, when fleet-backup knows it. */
  public static Optional<String> veleroOfUnsupportedChart(String chartVersion) {
    return Optional.ofNullable(UNSUPPORTED_CHARTS.get(chartVersion));
  }

  /** "Velero v1.18.1 (chart 12.0.2, 12.0.3, 12.1.0)", for messages. */
  public static String supportedRange() {
    return String.join("; ", SUPPORTED.stream()
        .map(r -> "Velero " + r.velero() + " (chart " + String.join(", ", r.charts()) + ")").toList());
  }

  private static Map<String, String> unsupportedCharts() {
    Map<String, String> charts = new LinkedHashMap<>();
    charts.put("5.0.2", "v1.11.1"); // Kurator's default
    for (String c : List.of("11.4.0", "11.5.0", "12.0.0", "12.0.1")) {
      charts.put(c, "v1.18.0");
    }
    for (String c : List.of("11.0.0", "11.0.1", "11.1.1")) {
      charts.put(c, "v1.17.0");
    }
    for (String c : List.of("11.2.0", "11.3.0")) {
      charts.put(c, "v1.17.1");
    }
    for (String c : List.of("10.0.5", "10.0.6", "10.0.7", "10.0.8", "10.0.9", "10.0.10", "10.0.11", "10.0.12")) {
      charts.put(c, "v1.16.1");
    }
    for (String c : List.of("10.1.0", "10.1.1", "10.1.2", "10.1.3")) {
      charts.put(c, "v1.16.2");
    }
    for (String c : List.of("8.3.0", "8.4.0", "8.5.0", "8.6.0", "8.7.0", "8.7.1", "8.7.2")) {
      charts.put(c, "v1.15.2");
    }
    return Map.copyOf(charts);
  }
}
