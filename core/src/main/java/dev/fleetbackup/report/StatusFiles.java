package dev.fleetbackup.report;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fleetbackup.model.Kind;
import dev.fleetbackup.model.WorkflowStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The files of the status branch, rendered from a {@link StatusReport}, and the report read back
 * from {@code status.json}.
 *
 * <p>The branch holds exactly the files {@link #render} returns: {@code README.md} for people,
 * {@code status.json} for machines (schema {@code schemas/status.schema.json}), and one file per
 * object in Kurator's status shape under {@code backups/<namespace>/<name>.yaml},
 * {@code restores/…} and {@code migrations/…}. A file not in the map (an object deleted from the
 * config repo) should be removed from the branch.
 *
 * <p>Rendering is pure and deterministic: the same report gives the same bytes. Backups, restores
 * and migrations are ordered by namespace and name; clusters keep the report's order (the fleet's).
 * The report's timing ({@code finishedAt}, {@code took}) appears only on the "Last pass" line of
 * README's banner and in status.json's {@code pass} object, so a writer can render
 * {@link StatusReport#withoutTiming()} to tell a change of content from the passing of time.
 *
 * <p>Every file has a ceiling, so that no report, however large its fleet or strange its members'
 * answers, makes a status branch nobody can read: README.md and each object file are cut at a line
 * break and end with a line that says so; status.json leaves out clusters and workflows from the end
 * of its lists and says how many in its {@code cut} object. A rejected commit carries at most
 * {@link StatusReport.Rejection#MAX_ERRORS} errors and their exact count.
 */
public final class StatusFiles {
  public static final String README = "README.md";
  public static final String STATUS_JSON = "status.json";
  /** The {@code $id} of status.json's schema, also its {@code $schema} field. */
  public static final String SCHEMA_ID = StatusJson.SCHEMA_ID;
  /** The {@code schemaVersion} this build writes and reads. */
  public static final int SCHEMA_VERSION = StatusJson.SCHEMA_VERSION;

  /** The bytes a file of the branch may take. */
  record Ceilings(int readme, int statusJson, int objectFile) {
    /** A README far longer than anyone reads on a forge; status.json well below JGit's 50 MiB for reading a blob whole. */
    static final Ceilings DEFAULTS = new Ceilings(1024 * 1024, 16 * 1024 * 1024, 1024 * 1024);
  }

  private final Ceilings ceilings;
  private final Optional<ForgeLinks> forge;

  public StatusFiles() {
    this(Optional.empty());
  }

  /** README.md links each {@code file:line} of a rejected commit to its line on the forge. */
  public StatusFiles(Optional<ForgeLinks> forge) {
    this(Ceilings.DEFAULTS, forge);
  }

  StatusFiles(Ceilings ceilings) {
    this(ceilings, Optional.empty());
  }

  private StatusFiles(Ceilings ceilings, Optional<ForgeLinks> forge) {
    this.ceilings = ceilings;
    this.forge = forge;
  }

  /** Path → content, in path order. */
  public SortedMap<String, byte[]> render(StatusReport report) {
    StatusReport ordered = ordered(report);
    SortedMap<String, byte[]> files = new TreeMap<>();
    files.put(README, cut(Readme.render(ordered, forge), ceilings.readme(),
        whole -> "\n**Cut:** README.md stops here, at its limit of " + Text.number(ceilings.readme())
            + " bytes; the whole page would have " + Text.number(whole) + ".\n"));
    files.put(STATUS_JSON, StatusJson.write(ordered, ceilings.statusJson()));
    put(files, Kind.BACKUP, ordered.backups());
    put(files, Kind.RESTORE, ordered.restores());
    put(files, Kind.MIGRATE, ordered.migrations());
    return Collections.unmodifiableSortedMap(files);
  }

  /**
   * {@code text} whole when it fits in {@code limit} bytes, else its lines up to the limit followed by
   * the note {@code marker} makes of the whole text's size.
   */
  static byte[] cut(byte[] text, int limit, LongFunction<String> marker) {
    if (text.length <= limit) {
      return text;
    }
    byte[] note = marker.apply(text.length).getBytes(StandardCharsets.UTF_8);
    int end = Math.max(0, limit - note.length);
    while (end > 0 && text[end - 1] != '\n') {
      end--;
    }
    byte[] out = Arrays.copyOf(text, end + note.length);
    System.arraycopy(note, 0, out, end, note.length);
    return out;
  }

  /**
   * The report a {@code status.json} holds: the inverse of {@link #render}'s status.json, up to the
   * order of backups, restores and migrations.
   *
   * @throws StatusFormatException when the bytes are not JSON, do not match the schema, or are of a
   *     schema version this build does not know
   */
  public StatusReport parse(byte[] statusJson) {
    JsonNode root;
    try {
      root = StatusJson.MAPPER.readTree(statusJson);
    } catch (JacksonException e) {
      throw new StatusFormatException("status.json is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new StatusFormatException("status.json does not hold a JSON object");
    }
    JsonNode version = root.get("schemaVersion");
    if (version != null && version.isInt() && version.intValue() != SCHEMA_VERSION) {
      throw new StatusFormatException("status.json has schemaVersion " + version.intValue()
          + ", this fleet-backup reads version " + SCHEMA_VERSION + ": use a fleet-backup of the same version as the reconciler");
    }
    List<Error> errors = SchemaHolder.SCHEMA.validate(root);
    if (!errors.isEmpty()) {
      String first = errors.stream().limit(5).map(Error::getMessage).collect(Collectors.joining("; "));
      throw new StatusFormatException("status.json does not match " + SCHEMA_ID + ": " + first
          + (errors.size() > 5 ? " (and " + (errors.size() - 5) + " more)" : ""));
    }
    try {
      return StatusJson.read(root);
    } catch (RuntimeException e) {
      throw new StatusFormatException("status.json cannot be read: " + e.getMessage(), e);
    }
  }

  private void put(Map<String, byte[]> files, Kind kind, List<WorkflowStatus> workflows) {
    for (WorkflowStatus workflow : workflows) {
      files.put(ObjectFiles.path(kind, workflow.id()), cut(ObjectFiles.render(kind, workflow), ceilings.objectFile(),
          whole -> "# cut: this file stops here, at its limit of " + ceilings.objectFile() + " bytes; the whole file would have "
              + whole + "\n"));
    }
  }

  /** Objects of the config repo have no order of their own: namespace, then name. */
  static StatusReport ordered(StatusReport report) {
    Comparator<WorkflowStatus> byId = Comparator.comparing(WorkflowStatus::id);
    return new StatusReport(report.finishedAt(), report.took(), report.applied(), report.rejected(),
        report.sourceProblem(), report.clusters(), report.backups().stream().sorted(byId).toList(),
        report.restores().stream().sorted(byId).toList(), report.migrations().stream().sorted(byId).toList(),
        report.interval());
  }

  /** Loaded once, on first use, from the jar's {@code schemas/}. */
  private static final class SchemaHolder {
    static final Schema SCHEMA = load();

    private static Schema load() {
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
          builder -> builder.schemaIdResolvers(ids -> ids.mapPrefix("https://fleet-backup.dev/schemas/", "classpath:schemas/")));
      Schema schema = registry.getSchema(SchemaLocation.of(SCHEMA_ID));
      schema.initializeValidators();
      return schema;
    }
  }
}
