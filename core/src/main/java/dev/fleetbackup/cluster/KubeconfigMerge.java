package dev.fleetbackup.cluster;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubeconfig files merged as kubectl merges the files of {@code $KUBECONFIG} (client-go's loading
 * rules): each file in turn, the first to name a cluster, user or context keeps it, later files
 * never override it; {@code current-context} is the first one set. Every file is read through
 * {@link KubeconfigYaml}, with its bounds, whether or not the context in use needs it. With more
 * than one file, every path in a message starts with the file's path.
 */
final class KubeconfigMerge {
  static final List<String> LISTS = List.of("clusters", "users", "contexts");

  private final Optional<String> currentContext;
  private final Map<String, Map<String, Named>> lists;

  private KubeconfigMerge(Optional<String> currentContext, Map<String, Map<String, Named>> lists) {
    this.currentContext = currentContext;
    this.lists = lists;
  }

  /** An entry of a list, where it is ({@code clusters[2]}, or {@code /home/me/b.config: clusters[2]}), and how often the file that won names it. */
  record Named(String path, Map<?, ?> fields, int inItsFile) {}

  static KubeconfigMerge of(List<Kubeconfig.File> files) throws KubeconfigCheck.Refusal {
    Optional<String> current = Optional.empty();
    Map<String, Map<String, Named>> lists = new HashMap<>();
    LISTS.forEach(list -> lists.put(list, new LinkedHashMap<>()));
    for (Kubeconfig.File file : files) {
      String prefix = files.size() > 1 ? file.path() + ": " : "";
      Map<?, ?> root;
      try {
        root = KubeconfigYaml.read(file.text());
      } catch (KubeconfigCheck.Refusal r) {
        throw r.in(prefix);
      }
      if (current.isEmpty()) {
        current = KubeconfigCheck.text(root, "current-context", prefix + "current-context");
      }
      for (String list : LISTS) {
        Map<String, Named> inFile = new LinkedHashMap<>();
        for (KubeconfigCheck.Entry e : KubeconfigCheck.list(root.get(list), prefix + list)) {
          if (e.fields().get("name") instanceof String name) {
            Named first = inFile.get(name);
            inFile.put(name, first == null ? new Named(e.path(), e.fields(), 1) : new Named(first.path(), first.fields(), first.inItsFile() + 1));
          }
        }
        Map<String, Named> merged = lists.get(list);
        inFile.forEach(merged::putIfAbsent);
      }
    }
    return new KubeconfigMerge(current, lists);
  }

  Optional<String> currentContext() {
    return currentContext;
  }

  /** The entry {@code name} of {@code list} ({@code clusters}, {@code users}, {@code contexts}), if any file names it. */
  Optional<Named> entry(String list, String name) {
    return Optional.ofNullable(lists.get(list).get(name));
  }
}
