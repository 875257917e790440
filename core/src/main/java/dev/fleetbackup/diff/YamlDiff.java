package dev.fleetbackup.diff;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** A unified diff of two objects rendered as YAML, with three lines of context around each change. */
final class YamlDiff {
  private static final int CONTEXT = 3;
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .build();

  private YamlDiff() {}

  static String yaml(JsonNode node) {
    return node == null ? "" : YAML.writeValueAsString(node);
  }

  /** Hunks of {@code @@ -a,b +c,d @@} lines; empty when both render alike. */
  static String unified(JsonNode before, JsonNode after) {
    List<String> a = lines(yaml(before));
    List<String> b = lines(yaml(after));
    List<Line> script = script(a, b);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < script.size()) {
      if (script.get(i).op == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      // one hunk while changes are at most 2 * CONTEXT lines apart
      int lastChange = i;
      for (int j = i; j < script.size(); j++) {
        if (script.get(j).op != ' ') {
          lastChange = j;
        } else if (j - lastChange > 2 * CONTEXT) {
          break;
        }
      }
      int end = Math.min(script.size() - 1, lastChange + CONTEXT);
      int oldStart = 1;
      int newStart = 1;
      for (int k = 0; k < start; k++) {
        if (script.get(k).op != '+') {
          oldStart++;
        }
        if (script.get(k).op != '-') {
          newStart++;
        }
      }
      int oldCount = 0;
      int newCount = 0;
      StringBuilder body = new StringBuilder();
      for (int k = start; k <= end; k++) {
        Line line = script.get(k);
        if (line.op != '+') {
          oldCount++;
        }
        if (line.op != '-') {
          newCount++;
        }
        body.append(line.op).append(line.text).append('\n');
      }
      out.append("@@ -").append(oldCount == 0 ? oldStart - 1 : oldStart).append(',').append(oldCount)
          .append(" +").append(newCount == 0 ? newStart - 1 : newStart).append(',').append(newCount).append(" @@\n")
          .append(body);
      i = end + 1;
    }
    return out.toString();
  }

  private record Line(char op, String text) {}

  /** The shortest edit script by longest common subsequence; objects are small, so O(n·m) is fine. */
  private static List<Line> script(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<Line> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n && j < m) {
      if (a.get(i).equals(b.get(j))) {
        out.add(new Line(' ', a.get(i++)));
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.add(new Line('-', a.get(i++)));
      } else {
        out.add(new Line('+', b.get(j++)));
      }
    }
    while (i < n) {
      out.add(new Line('-', a.get(i++)));
    }
    while (j < m) {
      out.add(new Line('+', b.get(j++)));
    }
    return out;
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    return List.of((text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1));
  }
}
