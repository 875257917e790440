package dev.fleetbackup.plan;

import dev.fleetbackup.model.Fleet;
import dev.fleetbackup.model.VeleroRelease;
import dev.fleetbackup.model.VeleroValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Fleet's chart values resolved against the install settings, once per member: the Velero image
 * (from {@code image}, else the release {@code chart.version} ships, else the settings), the plugin
 * init containers and the flags of the server and the node agent. Validation has checked every
 * value; nothing here refuses one.
 */
record InstallValues(VeleroValues chart, String veleroImage, String pullPolicy, List<VeleroValues.PluginContainer> pluginContainers,
    List<String> serverArgs, List<String> nodeAgentArgs) {
  static final String AWS_PLUGIN = "velero-plugin-for-aws";

  static InstallValues of(PlanSettings settings, Fleet.BackupConfig backup) {
    VeleroValues chart = backup.extraArgs();
    Optional<VeleroRelease> release = backup.chart().flatMap(Fleet.Chart::version).flatMap(VeleroRelease::ofChart);
    Optional<VeleroValues.Image> image = chart.image();
    String repository = image.flatMap(VeleroValues.Image::repository).orElse(repositoryOf(settings.veleroImage()));
    String tag = image.flatMap(VeleroValues.Image::tag).or(() -> release.map(VeleroRelease::velero))
        .orElse(tagOf(settings.veleroImage()));
    String pullPolicy = image.flatMap(VeleroValues.Image::pullPolicy).orElse("IfNotPresent");
    String awsPlugin = release.map(r -> repositoryOf(settings.awsPluginImage()) + ":" + r.awsPlugin()).orElse(settings.awsPluginImage());

    // The AWS plugin serves the fleet's storage, so it is always there; an entry of its name pins its image.
    List<VeleroValues.PluginContainer> plugins = new ArrayList<>();
    if (chart.initContainers().stream().noneMatch(c -> c.name().equals(AWS_PLUGIN))) {
      plugins.add(new VeleroValues.PluginContainer(AWS_PLUGIN, awsPlugin, Optional.empty(), Optional.empty()));
    }
    plugins.addAll(chart.initContainers());

    VeleroValues.Configuration configuration = chart.configurationValues();
    List<String> common = new ArrayList<>();
    configuration.features().ifPresent(f -> common.add("--features=" + f));
    configuration.logLevel().ifPresent(l -> common.add("--log-level=" + l));
    configuration.logFormat().ifPresent(f -> common.add("--log-format=" + f));

    List<String> server = new ArrayList<>(List.of("server", "--uploader-type=" + configuration.uploaderType().orElse("kopia")));
    if (configuration.defaultVolumesToFsBackup().orElse(settings.defaultVolumesToFsBackup())) {
      server.add("--default-volumes-to-fs-backup");
    }
    server.addAll(common);
    server.addAll(configuration.extraArgs());

    List<String> nodeAgent = new ArrayList<>(List.of("node-agent", "server"));
    nodeAgent.addAll(common);
    nodeAgent.addAll(chart.nodeAgentValues().extraArgs());
    return new InstallValues(chart, repository + ":" + tag, pullPolicy, plugins, server, nodeAgent);
  }

  /** {@code velero/velero} of {@code velero/velero:v1.18.1}; a port in the registry's name is no tag. */
  static String repositoryOf(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
  }

  static String tagOf(String image) {
    int colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
  }
}
