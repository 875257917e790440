package dev.fleetbackup.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan of the sample config repo as text: every member, every desired object with its run
 * identity and its whole manifest, every unrendered object. Also a {@code main}, so that a test can
 * render it in a JVM of its own (another locale, time zone, charset and identity hash codes) and
 * compare the bytes.
 *
 * <p>Argument: the file to write, in UTF-8.
 */
final class PlanPrinter {
  private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private PlanPrinter() {}

  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), sampleRepoPlan(), StandardCharsets.UTF_8);
  }

  static String sampleRepoPlan() {
    var policies = Fixtures.policies(Fixtures.SAMPLE_REPO);
    return render(new Planner(PlanSettings.DEFAULTS).plan(policies, Fixtures.credentials(policies)));
  }

  private static String restores(RestoreOf of) {
    return of instanceof RestoreOf.FromMigration m ? " restores migration " + m.migrate().id().qualifiedName() + " from " + m.source()
        : " restores backup " + ((RestoreOf.FromBackup) of).backup().id().qualifiedName();
  }

  static String render(FleetPlan plan) {
    StringBuilder out = new StringBuilder();
    for (MemberPlan member : plan.members()) {
      out.append("=== member ").append(member.cluster()).append(" (namespace ").append(member.namespace())
          .append(", fleet ").append(member.fleet().orElse("none")).append(")\n");
      for (DesiredObject o : member.objects()) {
        out.append("--- ").append(o.ref());
        o.run().ifPresent(r -> out.append(" run ").append(r.base()).append(" spec ").append(r.specHash())
            .append(r.restores().map(PlanPrinter::restores).orElse("")));
        out.append('\n').append(JSON.writeValueAsString(o.manifest())).append('\n');
      }
      for (Unrendered u : member.unrendered()) {
        out.append("--- unrendered ").append(u.ref()).append(' ').append(u.reason()).append(": ").append(u.message()).append('\n');
      }
    }
    return out.toString();
  }
}
