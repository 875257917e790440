package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import dev.fleetbackup.model.SourceLocation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the policy files of one commit from their paths and sizes alone, then reads only those:
 * in path order, at most {@link PolicyFiles#MAX_FILES} files of at most
 * {@link PolicyFiles#MAX_FILE_BYTES} each and {@link PolicyFiles#MAX_TOTAL_BYTES} in all. Whatever
 * the walk finds, it keeps no more than the budget's files plus one, in whatever order it finds them,
 * so the same tree always gives the same files and refusals.
 */
final class FileSelection {
  /** How to read a file's bytes, later, once it is chosen. */
  @FunctionalInterface
  interface Content {
    byte[] read() throws IOException;
  }

  private sealed interface Candidate permits Readable, Refused {}

  private record Readable(long size, Content content) implements Candidate {}

  private record Refused(Diagnostic why) implements Candidate {}

  private final TreeMap<String, Candidate> kept = new TreeMap<>();
  private long found;

  /**
   * Whether a file at {@code path} can still be chosen; when not, the caller need not look at it
   * further (no size, no symlink to resolve) but must still {@link #skip} it, so that it is counted.
   */
  boolean wants(String path) {
    return kept.size() <= PolicyFiles.MAX_FILES || path.compareTo(kept.lastKey()) < 0;
  }

  void skip() {
    found++;
  }

  void add(String path, long size, Content content) {
    keep(path, new Readable(size, content));
  }

  void refuse(String path, Diagnostic why) {
    keep(path, new Refused(why));
  }

  private void keep(String path, Candidate candidate) {
    found++;
    kept.put(path, candidate);
    if (kept.size() > PolicyFiles.MAX_FILES + 1) {
      kept.pollLastEntry();
    }
  }

  /** Reads the chosen files, in path order. */
  PolicySnapshot read(String revision, String folder) {
    List<PolicyFile> files = new ArrayList<>();
    List<Diagnostic> refused = new ArrayList<>();
    long total = 0;
    int index = 0;
    for (Map.Entry<String, Candidate> entry : kept.entrySet()) {
      String path = entry.getKey();
      if (index == PolicyFiles.MAX_FILES) {
        refused.add(PolicyFiles.tooManyFiles(path, found));
        break;
      }
      index++;
      if (entry.getValue() instanceof Refused r) {
        refused.add(r.why());
        continue;
      }
      Readable file = (Readable) entry.getValue();
      if (file.size() > PolicyFiles.MAX_FILE_BYTES) {
        refused.add(PolicyFiles.checkSize(path, file.size()).orElseThrow());
        continue;
      }
      if (total + file.size() > PolicyFiles.MAX_TOTAL_BYTES) {
        refused.add(PolicyFiles.tooManyBytes(path, total + file.size(), found - index));
        break;
      }
      try {
        byte[] bytes = file.content().read();
        if (bytes.length > PolicyFiles.MAX_FILE_BYTES || total + bytes.length > PolicyFiles.MAX_TOTAL_BYTES) {
          // it grew between the walk and the read: refused rather than read past the budget
          refused.add(Diagnostic.error(SourceLocation.startOf(path), "file changed while it was read; refused"));
          continue;
        }
        total += bytes.length;
        files.add(new PolicyFile(path, PolicyFiles.decode(bytes)));
      } catch (CharacterCodingException e) {
        refused.add(PolicyFiles.notUtf8(path));
      } catch (IOException e) {
        refused.add(Diagnostic.error(SourceLocation.startOf(path), "cannot read: " + e.getMessage()));
      }
    }
    return new PolicySnapshot(revision, folder, files, refused);
  }
}
