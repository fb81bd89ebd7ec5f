package io.daemonguard.admission;

import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical path handling for hostPath values: the kubelet hands these to the kernel, so every spelling of a directory counts. */
public final class HostPaths {
  private HostPaths() {}

  /**
   * Collapses repeated slashes, drops {@code .} segments, resolves {@code ..} lexically (never above the root)
   * and strips trailing slashes. A relative path is read from the root, as the kubelet would. A link out of procfs
   * into another process's directories ({@code /proc/1/root}, {@code /proc/self/cwd}, {@code /dev/fd/3}...) is read as
   * the root, and the rest of the path from there: {@code /proc/1/root/run} is {@code /run}.
   */
  public static String normalize(String path) {
    return resolve(path, false);
  }

  /**
   * Like {@link #normalize} but reads {@code /var/run} as {@code /run}, which it is (a symlink) on every current
   * distribution, also while resolving: {@code /var/run/..} is the root, as the kernel would find it.
   */
  public static String canonical(String path) {
    return resolve(path, true);
  }

  /**
   * True when the kernel would resolve the path through a link under {@code /proc} (or {@code /dev/fd}) into another
   * process's directory, which {@link #canonical} reads as the root: see {@link #procLinkEnd}.
   */
  public static boolean throughProcLink(String path) {
    return resolve(path, true, true) != null;
  }

  private static String resolve(String path, boolean aliasVarRun) {
    return resolve(path, aliasVarRun, false);
  }

  /** With {@code onlyIfLinked}, null unless a /proc link was crossed. */
  private static String resolve(String path, boolean aliasVarRun, boolean onlyIfLinked) {
    Deque<String> segments = new ArrayDeque<>();
    boolean linked = false;
    int start = 0;
    int length = path.length();
    while (start <= length) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = length;
      }
      String segment = path.substring(start, end);
      if (segment.isEmpty() || segment.equals(".")) {
        // repeated or trailing slash, or a no-op segment
      } else if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
        if (aliasVarRun && segments.size() == 2 && segment.equals("run") && segments.peekFirst().equals("var")) {
          segments.clear();
          segments.addLast("run");
        } else if (procLinkEnd(segments)) {
          // The container runtime resolves a bind mount's source on the host, so the link leads out of /proc into
          // a process's root (the host's /), its working directory or an open file; what follows, ".." included,
          // is read from there, and the root is the only safe reading of a directory we cannot see.
          segments.clear();
          linked = true;
        }
      }
      start = end + 1;
    }
    if (onlyIfLinked && !linked) {
      return null;
    }
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length());
    for (String segment : segments) {
      out.append('/').append(segment);
    }
    return out.toString();
  }

  /**
   * Whether the segments read so far end in a link the kernel follows out of procfs: {@code /proc/P/root},
   * {@code /proc/P/cwd}, {@code /proc/P/fd/N}, the same under {@code /proc/P/task/T/}, and {@code /dev/fd/N}
   * (a link to {@code /proc/self/fd}), and {@code /dev/stdin}, {@code /dev/stdout}, {@code /dev/stderr} (links to its
   * first three). P is any name: a pid, {@code self} or {@code thread-self}; one that does not
   * exist fails to mount anyway.
   */
  private static boolean procLinkEnd(Deque<String> segments) {
    int size = segments.size();
    String first = segments.peekFirst();
    String last = segments.peekLast();
    if (first.equals("dev")) {
      return size == 3 && nth(segments, 1).equals("fd")
          || size == 2 && (last.equals("stdin") || last.equals("stdout") || last.equals("stderr"));
    }
    if (size < 3) {
      return false;
    }
    if (!first.equals("proc")) {
      return false;
    }
    int base;
    if (size == 3 || size == 4) {
      base = 2; // /proc/P/...
    } else if ((size == 5 || size == 6) && nth(segments, 2).equals("task")) {
      base = 4; // /proc/P/task/T/...
    } else {
      return false;
    }
    if (size == base + 1) {
      return last.equals("root") || last.equals("cwd");
    }
    return nth(segments, base).equals("fd");
  }

  private static String nth(Deque<String> segments, int index) {
    int i = 0;
    for (String segment : segments) {
      if (i++ == index) {
        return segment;
      }
    }
    throw new IndexOutOfBoundsException(index);
  }

  /** The last segment of a normalized path, or the empty string for the root. */
  public static String lastSegment(String normalized) {
    return normalized.substring(normalized.lastIndexOf('/') + 1);
  }
}
