package io.daemonguard.posture.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The host's filesystem seen from below a directory ({@code --host-root}). Symbolic links are followed inside that
 * directory, as the host's kernel would: with the host's root mounted at /host, the host's {@code /var/run -> /run}
 * must lead to /host/run, not to the scanner's own /run.
 */
public final class HostRoot {
  static final long MAX_CONFIG_BYTES = 1 << 20;
  private static final int MAX_LINKS = 40;

  private final Path root;
  private final boolean realRoot;

  public HostRoot(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.getParent() == null;
  }

  public Path root() {
    return root;
  }

  /** Thrown with a reason a person understands: "is a directory", "permission denied", "dangling symbolic link". */
  public static final class Unreadable extends Exception {
    public Unreadable(String reason) {
      super(reason);
    }
  }

  /** The host's {@code hostPath} below the root, links resolved within it. */
  public Path path(String hostPath) {
    if (realRoot) {
      return Path.of(hostPath.startsWith("/") ? hostPath : "/" + hostPath);
    }
    Deque<String> parts = new ArrayDeque<>(List.of(hostPath.split("/")));
    Path current = root;
    int links = 0;
    while (!parts.isEmpty()) {
      String part = parts.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      if (links < MAX_LINKS && Files.isSymbolicLink(next)) {
        links++;
        try {
          String target = Files.readSymbolicLink(next).toString();
          String[] targetParts = target.split("/");
          for (int i = targetParts.length - 1; i >= 0; i--) {
            parts.push(targetParts[i]);
          }
          if (target.startsWith("/")) {
            current = root;
          }
          continue;
        } catch (IOException e) {
          return next;
        }
      }
      current = next;
    }
    return current;
  }

  /** A host path below /proc, never resolved through links: {@code /proc/<pid>/fd/*} are links to read, not follow. */
  public Path proc(String relative) {
    return root.resolve("proc").resolve(relative);
  }

  /** A config file's text, or null when it does not exist; any other failure is {@link Unreadable}. */
  public String readIfExists(String hostPath) throws Unreadable {
    Path file = path(hostPath);
    if (!Files.exists(file)) {
      if (danglingLink(hostPath)) {
        throw new Unreadable("dangling symbolic link");
      }
      return null;
    }
    return read(file);
  }

  /** A file's text; absence is {@link Unreadable} too. */
  public static String read(Path file) throws Unreadable {
    try {
      if (Files.isDirectory(file)) {
        throw new Unreadable("is a directory, not a file");
      }
      if (!Files.isRegularFile(file)) {
        throw new Unreadable(Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.exists(file)
            ? "dangling symbolic link" : Files.exists(file) ? "not a regular file" : "no such file");
      }
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw new Unreadable("larger than 1 MiB, not a config file");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Unreadable(reason(e));
    }
  }

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "not UTF-8 text";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** True when the path's last component is a symbolic link whose target (on the host) does not exist. */
  public boolean danglingLink(String hostPath) {
    Path file = path(hostPath);
    if (Files.exists(file)) {
      return false;
    }
    int slash = hostPath.lastIndexOf('/');
    Path parent = slash <= 0 ? root : path(hostPath.substring(0, slash));
    return Files.isSymbolicLink(parent.resolve(hostPath.substring(slash + 1))) || Files.isSymbolicLink(file);
  }

  /** A path as the host names it, with {@code /var/run} read as {@code /run}, for comparing socket paths. */
  public static String canonical(String hostPath) {
    String normalized = Path.of("/").resolve(hostPath).normalize().toString();
    return normalized.equals("/var/run") || normalized.startsWith("/var/run/") ? normalized.substring(4) : normalized;
  }
}
