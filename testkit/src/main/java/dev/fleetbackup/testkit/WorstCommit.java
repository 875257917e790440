package dev.fleetbackup.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The commit that takes the most memory to validate while passing every budget: as many files as
 * allowed (20,000), as many YAML nodes (500,000) and as many bytes (just under 16 MiB), all of it
 * valid, so that every document is bound and kept until the end. Each file is one AttachedCluster
 * with 13 labels (a label is a map entry in the model besides its position) and an annotation
 * padding the file to its share of the bytes; the annotation holds a character outside Latin-1, so
 * that Java keeps the file and the annotation two bytes a character.
 */
public final class WorstCommit {
  public static final int FILES = 20_000;
  public static final int NODES_PER_FILE = 25;
  static final int LABELS = NODES_PER_FILE - 12;
  /** 16 MiB shared out, less a little to spare. */
  static final int BYTES_PER_FILE = (16 * 1024 * 1024) / FILES - 8;

  private WorstCommit() {}

  public static void write(Path repo) throws IOException {
    for (int i = 0; i < FILES; i++) {
      Path file = repo.resolve("clusters/%02d/member-%05d.yaml".formatted(i / 1000, i));
      Files.createDirectories(file.getParent());
      Files.write(file, document(i));
    }
  }

  /** {@value #NODES_PER_FILE} nodes: the document, apiVersion, kind, metadata, name, labels and its values, annotations and its value, spec, kubeconfig, its name. */
  static byte[] document(int i) {
    StringBuilder yaml = new StringBuilder()
        .append("apiVersion: cluster.kurator.dev/v1alpha1\nkind: AttachedCluster\nmetadata:\n")
        .append("  name: member-").append(i).append('\n')
        .append("  labels:\n");
    for (int l = 0; l < LABELS; l++) {
      yaml.append("    label-").append(l).append(": value-").append(l).append('\n');
    }
    yaml.append("  annotations:\n    note: \"\u0100");
    String tail = "\"\nspec:\n  kubeconfig:\n    name: member-" + i + "\n";
    int used = yaml.toString().getBytes(StandardCharsets.UTF_8).length + tail.length();
    yaml.append("x".repeat(Math.max(0, BYTES_PER_FILE - used))).append(tail);
    return yaml.toString().getBytes(StandardCharsets.UTF_8);
  }
}
