package dev.fleetbackup.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
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
 * tree and one that leaves it is refused; the budgets are applied from the tree's names and blob
 * sizes before any blob is read.
 */
final class GitTreeReader {
  private static final int MAX_LINK_BYTES = 4096;

  private final ObjectReader reader;
  private final RevTree tree;
  private final IgnorePatterns ignore;

  GitTreeReader(ObjectReader reader, RevTree tree, IgnorePatterns ignore) {
    this.reader = reader;
    this.tree = tree;
    this.ignore = ignore;
  }

  PolicySnapshot read(String revision, String subPath) throws IOException {
    FileSelection selection = new FileSelection();
    String prefix = subPath.isEmpty() ? "" : subPath.replaceAll("/+$", "");
    // the ignore rules of each folder the walk is in, by depth: the root's at the bottom
    Deque<Ignores> folders = new ArrayDeque<>();
    folders.push(ignoresIn("", Ignores.forRead(ignore, selection), selection));
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(false);
      if (!prefix.isEmpty()) {
        walk.setFilter(PathFilter.create(prefix));
      }
      while (walk.next()) {
        while (folders.size() > walk.getDepth() + 1) {
          folders.pop();
        }
        String path = walk.getPathString();
        FileMode mode = walk.getFileMode(0);
        Ignores rules = folders.peek();
        if (walk.isSubtree()) {
          boolean insidePrefix = prefix.isEmpty() || path.length() > prefix.length();
          if (!(insidePrefix && (PolicyFiles.isHidden(walk.getNameString()) || rules.ignored(path, true)))) {
            walk.enterSubtree();
            folders.push(ignoresIn(path, rules, selection));
          }
        } else if (PolicyFiles.isPolicyFile(walk.getNameString()) && !rules.ignored(path, false)) {
          offer(path, mode, walk.getObjectId(0), selection);
        }
      }
    }
    return selection.read(revision, prefix.isEmpty() ? revision : revision + ":" + prefix);
  }

  /** {@code above} and the rules of the folder's {@code .sourceignore}, when it has one. */
  private Ignores ignoresIn(String folder, Ignores above, FileSelection selection) throws IOException {
    String path = folder.isEmpty() ? Ignores.FILE : folder + "/" + Ignores.FILE;
    try (TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
      if (walk == null) {
        return above;
      }
      FileMode mode = walk.getFileMode(0);
      if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
        selection.refuse(path, PolicyFiles.notRegular(path));
        return above;
      }
      ObjectId blob = walk.getObjectId(0);
      return above.enter(folder, reader.getObjectSize(blob, Constants.OBJ_BLOB),
          () -> reader.open(blob, Constants.OBJ_BLOB).getBytes());
    }
  }

  private void offer(String path, FileMode mode, ObjectId id, FileSelection selection) throws IOException {
    if (mode != FileMode.SYMLINK && mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
      return; // submodules and the like hold no policy
    }
    if (!selection.wants(path)) {
      selection.skip();
      return;
    }
    ObjectId blob = id;
    if (mode == FileMode.SYMLINK) {
      Optional<ObjectId> target = resolveLink(path, id);
      if (target.isEmpty()) {
        selection.refuse(path, PolicyFiles.symlinkEscapes(path));
        return;
      }
      blob = target.get();
    }
    ObjectId chosen = blob;
    selection.add(path, reader.getObjectSize(chosen, Constants.OBJ_BLOB),
        () -> reader.open(chosen, Constants.OBJ_BLOB).getBytes());
  }

  /** The blob a symlink names, when it names a regular file inside this tree. */
  private Optional<ObjectId> resolveLink(String path, ObjectId link) throws IOException {
    ObjectLoader loader = reader.open(link, Constants.OBJ_BLOB);
    if (loader.getSize() > MAX_LINK_BYTES) {
      return Optional.empty(); // no path inside a repo is that long
    }
    String target = new String(loader.getBytes(), StandardCharsets.UTF_8);
    Path resolved;
    try {
      resolved = Path.of("/", path).getParent().resolve(target).normalize();
      if (Path.of(target).isAbsolute() || !resolved.startsWith("/") || resolved.toString().equals("/")) {
        return Optional.empty();
      }
    } catch (InvalidPathException e) {
      return Optional.empty(); // a NUL or the like: names no file
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
