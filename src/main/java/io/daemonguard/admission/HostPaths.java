package io.daemonguard.admission;

import java.util.ArrayDeque;
import java.util.Deque;

/** Lexical path handling for hostPath values: the kubelet hands these to the kernel, so every spelling of a directory counts. */
public final class HostPaths {
  private HostPaths() {}

  /**
   * Collapses repeated slashes, drops {@code .} segments, resolves {@code ..} lexically (never above the root)
   * and strips trailing slashes. A relative path is read from the root, as the kubelet would.
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

  private static String resolve(String path, boolean aliasVarRun) {
    Deque<String> segments = new ArrayDeque<>();
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
        }
      }
      start = end + 1;
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

  /** The last segment of a normalized path, or the empty string for the root. */
  public static String lastSegment(String normalized) {
    return normalized.substring(normalized.lastIndexOf('/') + 1);
  }
}
