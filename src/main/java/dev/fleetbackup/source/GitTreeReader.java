package dev.fleetbackup.source;

import dev.fleetbackup.model.Diagnostic;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Reads the policy files of one commit straight from Git's object database, with the rules of
 * {@link DirectoryReader}: no work tree is checked out, so a symlink is resolved inside the commit's
 * tree and one that leaves it is refused.
 */
final class GitTreeReader {
  private final ObjectReader reader;
  private final RevTree tree;

  GitTreeReader(ObjectReader reader, RevTree tree) {
    this.reader = reader;
    this.tree = tree;
  }

  PolicySnapshot read(String revision, String subPath) throws IOException {
    List<PolicyFile> files = new ArrayList<>();
    List<Diagnostic> refused = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(false);
      String prefix = subPath.isEmpty() ? "" : subPath.replaceAll("/+$", "");
      if (!prefix.isEmpty()) {
        walk.setFilter(PathFilter.create(prefix));
      }
      while (walk.next()) {
        String path = walk.getPathString();
        FileMode mode = walk.getFileMode(0);
        if (walk.isSubtree()) {
          boolean insidePrefix = prefix.isEmpty() || path.length() > prefix.length();
          if (!(insidePrefix && PolicyFiles.isHidden(walk.getNameString()))) {
            walk.enterSubtree();
          }
        } else if (PolicyFiles.isPolicyFile(walk.getNameString())) {
          readOne(path, mode, walk.getObjectId(0), files, refused);
        }
      }
    }
    return new PolicySnapshot(revision, files, refused);
  }

  private void readOne(String path, FileMode mode, ObjectId id, List<PolicyFile> files, List<Diagnostic> refused)
      throws IOException {
    ObjectId blob = id;
    if (mode == FileMode.SYMLINK) {
      Optional<ObjectId> target = resolveLink(path, id);
      if (target.isEmpty()) {
        refused.add(PolicyFiles.symlinkEscapes(path));
        return;
      }
      blob = target.get();
    } else if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
      return; // submodules and the like hold no policy
    }
    ObjectLoader loader = reader.open(blob);
    Optional<Diagnostic> tooBig = PolicyFiles.checkSize(path, loader.getSize());
    if (tooBig.isPresent()) {
      refused.add(tooBig.get());
      return;
    }
    try {
      files.add(new PolicyFile(path, PolicyFiles.decode(loader.getBytes())));
    } catch (CharacterCodingException e) {
      refused.add(PolicyFiles.notUtf8(path));
    }
  }

  /** The blob a symlink names, when it names a regular file inside this tree. */
  private Optional<ObjectId> resolveLink(String path, ObjectId link) throws IOException {
    String target = new String(reader.open(link).getBytes(4096), StandardCharsets.UTF_8);
    Path base = Path.of("/", path).getParent();
    Path resolved = base.resolve(target).normalize();
    if (Path.of(target).isAbsolute() || !resolved.startsWith("/") || resolved.toString().equals("/")) {
      return Optional.empty();
    }
    String inTree = resolved.toString().substring(1);
    try (TreeWalk walk = TreeWalk.forPath(reader, inTree, tree)) {
      if (walk == null) {
        return Optional.empty();
      }
      FileMode mode = walk.getFileMode(0);
      boolean regular = mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
      return regular ? Optional.of(walk.getObjectId(0)) : Optional.empty();
    }
  }
}
