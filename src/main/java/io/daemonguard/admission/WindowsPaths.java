package io.daemonguard.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hostPath as a Windows node reads it. The webhook cannot know where a pod will run, so every host path is judged in
 * both readings: {@link HostPaths} for Linux, this for Windows.
 *
 * <p>Windows compares names without regard to case, takes {@code \} and {@code /} alike, collapses repeated
 * separators, resolves {@code .} and {@code ..} and drops trailing dots and spaces from a name. The result is written
 * lower-case with {@code /} separators, its root first: {@code c:} for a drive, {@code //./} for the device namespace
 * (where the named pipes live, also spelled {@code \\?\}), {@code //server/} for a share, or nothing for a path rooted
 * on the current drive.
 */
public record WindowsPaths(String root, List<String> segments) {

  /** The device namespace, whatever prefix named it ({@code \\.\} or {@code \\?\}). */
  public static final String DEVICES = "//./";

  public WindowsPaths {
    segments = List.copyOf(segments);
  }

  public static WindowsPaths read(String path) {
    String p = path.replace('\\', '/').toLowerCase(Locale.ROOT);
    String root;
    String rest;
    if (p.startsWith("//")) {
      int end = p.indexOf('/', 2);
      String server = end < 0 ? p.substring(2) : p.substring(2, end);
      rest = end < 0 ? "" : p.substring(end);
      root = server.equals(".") || server.equals("?") ? DEVICES : "//" + server + "/";
    } else if (isDrive(p)) {
      root = p.substring(0, 2);
      rest = p.substring(2); // "c:x", relative to the drive's working directory, is read from its root
    } else {
      root = "";
      rest = p;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rest.split("/", -1)) {
      if (segment.stripTrailing().equals("..")) { // Windows drops the spaces, then reads ".."
        if (!segments.isEmpty()) {
          segments.remove(segments.size() - 1);
        }
        continue;
      }
      String name = stripTrailingDotsAndSpaces(segment);
      if (!name.isEmpty()) {
        segments.add(name);
      }
    }
    if (root.equals(DEVICES) && !segments.isEmpty() && isDrive(segments.get(0)) && segments.get(0).length() == 2) {
      // \\?\C:\ and \\.\C:\ are the drive itself
      return new WindowsPaths(segments.get(0), segments.subList(1, segments.size()));
    }
    return new WindowsPaths(root, segments);
  }

  /**
   * The root of a volume: a drive ({@code C:\}, {@code c:/}, {@code \\?\C:\}), a volume GUID path
   * ({@code \\?\Volume{...}\}), a volume's device name ({@code \\?\GLOBALROOT\Device\HarddiskVolume3\}), or
   * {@code \} (the root of the current drive).
   */
  public boolean isVolumeRoot() {
    if (root.equals(DEVICES)) {
      // \\?\Volume{guid}\, and the NT name of a volume through the object namespace:
      // \\?\GLOBALROOT\Device\HarddiskVolume3\ (any device but the pipe and mailslot file systems: a volume's
      // root is all that name can mount)
      return segments.size() == 1 && segments.get(0).startsWith("volume{")
          || segments.size() == 3 && segments.get(0).equals("globalroot") && segments.get(1).equals("device")
              && !segments.get(2).equals("namedpipe") && !segments.get(2).equals("mailslot");
    }
    return segments.isEmpty() && (root.isEmpty() || isDrive(root));
  }

  /** The pipe's name for a named-pipe path ({@code \\.\pipe\NAME}, or on any server), "" for the pipe namespace itself. */
  public String pipeName() {
    int pipes = pipeDirectory();
    return pipes < 0 ? null : String.join("/", segments.subList(pipes + 1, segments.size()));
  }

  /**
   * True for a path that holds every named pipe: the device namespace or a server, its {@code pipe} directory, or
   * the object namespace on the way to it ({@code \\?\GLOBALROOT}, {@code \\?\GLOBALROOT\Device}).
   */
  public boolean holdsPipes() {
    if (!root.startsWith("//")) {
      return false;
    }
    int pipes = pipeDirectory();
    return segments.isEmpty() || pipes == segments.size() - 1
        || segments.get(0).equals("globalroot") && segments.size() <= 2;
  }

  /**
   * Where the pipe directory is: {@code pipe} ({@code \\.\pipe\}) or the named-pipe device reached through the
   * object namespace ({@code \\?\GLOBALROOT\Device\NamedPipe\}, {@code \\?\GLOBALROOT\GLOBAL??\pipe\}); -1
   * when the path is not in one. Read near the root only, where those names live.
   */
  private int pipeDirectory() {
    if (!root.startsWith("//")) {
      return -1;
    }
    for (int i = 0; i < Math.min(segments.size(), 3); i++) {
      String segment = segments.get(i);
      if (segment.equals("pipe") || segment.equals("namedpipe")) {
        return i;
      }
    }
    return -1;
  }

  /** A drive path with its root ({@code C:\dir}, not {@code C:dir}) or a device or share path ({@code \\.\pipe\x}). */
  public static boolean isAbsolute(String path) {
    return path.matches("(?s)([A-Za-z]:[\\\\/]|[\\\\/]{2}).*");
  }

  /** Whether a hostPath looks written for Windows at all: a drive letter, a backslash, or a device or share prefix. */
  public static boolean looksWindows(String path) {
    return path.indexOf('\\') >= 0 || isDrive(path.toLowerCase(Locale.ROOT))
        || path.startsWith("//./") || path.startsWith("//?/");
  }

  /** {@code c:/dir/file}, {@code //./pipe/name}, {@code //server/share}, or {@code /dir} on the current drive. */
  @Override
  public String toString() {
    return (root.startsWith("//") ? root : root + "/") + String.join("/", segments);
  }

  private static boolean isDrive(String p) {
    return p.length() >= 2 && p.charAt(1) == ':' && p.charAt(0) >= 'a' && p.charAt(0) <= 'z';
  }

  private static String stripTrailingDotsAndSpaces(String segment) {
    if (segment.equals(".")) {
      return "";
    }
    int end = segment.length();
    while (end > 0 && (segment.charAt(end - 1) == '.' || segment.charAt(end - 1) == ' ')) {
      end--;
    }
    return segment.substring(0, end);
  }
}
