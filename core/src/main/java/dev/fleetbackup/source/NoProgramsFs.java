package dev.fleetbackup.source;

import java.io.File;
import java.io.OutputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;
import org.eclipse.jgit.util.ProcessResult;

/**
 * The file system JGit sees in fleet-backup's clones: POSIX, but one that finds no hook and starts
 * no program. JGit runs every hook (pre-push on a push; pre-commit, commit-msg and post-commit in
 * its CommitCommand) through {@link FS#runHookIfPresent} after {@link FS#findHook}, and every other
 * program it would start (a clean/smudge filter, a {@code remote.*.uploadpack} or {@code receivepack}
 * for a local remote, an SSH signer) through {@link FS#runInShell}. None of that depends on a file
 * in the clone that someone could edit: whatever {@code hooks/} or {@code core.hooksPath} holds,
 * nothing runs.
 */
final class NoProgramsFs extends FS_POSIX {
  NoProgramsFs() {
    // a fixed umask, so that JGit never asks a shell for it
    setUmask(0077);
  }

  private NoProgramsFs(NoProgramsFs src) {
    super(src);
  }

  @Override
  public FS newInstance() {
    return new NoProgramsFs(this);
  }

  @Override
  public File findHook(Repository repository, String hookName) {
    return null;
  }

  @Override
  public ProcessResult runHookIfPresent(Repository repository, String hookName, String[] args,
      OutputStream outRedirect, OutputStream errRedirect, String stdinArgs) {
    return new ProcessResult(ProcessResult.Status.NOT_PRESENT);
  }

  @Override
  public ProcessBuilder runInShell(String cmd, String[] args) {
    throw new ProgramRefused(cmd);
  }

  /** What JGit gets instead of a process; a fetch or push that meets it fails with a {@link SourceException}. */
  static final class ProgramRefused extends UnsupportedOperationException {
    ProgramRefused(String command) {
      super("fleet-backup runs no program for Git: " + command);
    }
  }

  /** No search of the PATH for a git binary, and so no system config found through one. */
  @Override
  protected File discoverGitExe() {
    return null;
  }
}
