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

  /** {@code /var/run} is a symlink to {@code /run} on every current distribution; both name the same directory. */
  public static String canonical(String path) {
    String normalized = normalize(path);
    if (normalized.equals("/var/run")) {
      return "/run";
    }
    if (normalized.startsWith("/var/run/")) {
      return normalized.substring("/var".length());
    }
    return normalized;
  }

  /** True when {@code ancestor} is a strict ancestor directory of {@code path}; both already normalized. */
  public static boolean isStrictAncestor(String ancestor, String path) {
    if (ancestor.equals("/")) {
      return !path.equals("/");
    }
    return path.length() > ancestor.length() && path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/';
  }

  /** The last segment of a normalized path, or the empty string for the root. */
  public static String lastSegment(String normalized) {
    return normalized.substring(normalized.lastIndexOf('/') + 1);
  }
}
