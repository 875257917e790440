package dev.fleetbackup.source;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder a clone lives in, private to the user that runs fleet-backup: created {@code 0700}
 * (with any missing parents), and an existing one is used only when this user owns it and no one
 * else can write to it; otherwise an error names it before anything in it is read. A clone that
 * someone else could write to could be given another remote, objects or refs; its hooks would
 * never run anyway ({@link NoProgramsFs}).
 */
final class WorkFolder {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private WorkFolder() {}

  /** Makes sure {@code dir} is a private folder of this user, creating it if needed. */
  static void claim(Path dir) throws SourceException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      create(dir, false); // not a POSIX file system: nothing to check ownership against
      return;
    }
    if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
      create(dir, true);
    }
    try {
      PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isDirectory()) {
        throw refused(dir, attributes.isSymbolicLink() ? "is a symbolic link" : "is not a folder");
      }
      long owner = ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
      long self = new UnixSystem().getUid();
      if (owner != self) {
        throw refused(dir, "belongs to uid " + owner + ", not to uid " + self + " that runs fleet-backup");
      }
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw refused(dir, "can be written by others (mode " + PosixFilePermissions.toString(permissions) + ")");
      }
    } catch (IOException e) {
      throw new SourceException("cannot check work dir " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path dir, boolean posix) throws SourceException {
    try {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createDirectories(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // a file or a dangling link of that name: the check says which
    } catch (IOException e) {
      throw new SourceException("cannot create work dir " + dir + ": " + e.getMessage(), e);
    }
  }

  private static SourceException refused(Path dir, String why) {
    return new SourceException("refusing work dir " + dir + ": it " + why
        + "; a work dir must be this user's alone (fleet-backup creates one with mode 700)");
  }
}
