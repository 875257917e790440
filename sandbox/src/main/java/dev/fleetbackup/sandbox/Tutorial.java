package dev.fleetbackup.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the sandbox tells a newcomer to try once the demo is done, as shell commands they can paste:
 * edit a policy in the clone, commit and push it to the branch the reconciler follows, start a pass.
 * {@code TutorialTest} runs these very commands.
 */
record Tutorial(SandboxRepo repo, Path triggerFile, String statusBranch) {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/._+:=@%,-]+");

  /** The policy the tutorial suggests editing, in the clone. */
  Path policy() {
    return repo.work().resolve("backups/select-labels.yaml");
  }

  /** Commits every edit in the clone and pushes it: a plain {@code git push}, as the clone tracks {@code origin/main}. */
  String commitAndPush() {
    String git = "git -C " + shell(repo.work());
    return git + " commit -am 'shorter ttl' && " + git + " push";
  }

  /** Starts a pass now. */
  String trigger() {
    return "touch " + shell(triggerFile);
  }

  List<String> lines() {
    String work = shell(repo.work());
    return List.of(
        "  The config repo:    " + work + "   (branch " + SandboxRepo.BRANCH + ", tracking " + repo.url() + ")",
        "  The status branch:  git -C " + work + " fetch && git -C " + work + " show origin/" + statusBranch + ":README.md",
        "                      or: bin/fleet-backup status --repo " + shell(repo.bare()),
        "  Try a change:       edit " + shell(policy()) + " (say, ttl: 240h), then",
        "                      " + commitAndPush(),
        "                      — the next pass applies it as a new backup run; a broken commit is rejected and shown.",
        "  Start a pass now:   " + trigger(),
        "  Stop:               Ctrl-C (stops every process the sandbox started)");
  }

  /** A path as a POSIX shell reads it back: as it is when it is plain, else in single quotes. */
  static String shell(Path path) {
    String text = path.toString();
    return PLAIN.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
  }
}
