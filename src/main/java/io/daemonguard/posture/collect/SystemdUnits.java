package io.daemonguard.posture.collect;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A systemd unit as systemd assembles it: the unit file from the most important directory that has it
 * ({@code /etc} over {@code /run} over {@code /usr/lib} and {@code /lib}), then its drop-ins ({@code NAME.d/*.conf})
 * from all of them in file-name order, a drop-in in a more important directory masking one of the same name. A list
 * setting (ExecStart, ListenStream) accumulates, and an empty assignment resets it.
 */
public final class SystemdUnits {
  static final List<String> DIRECTORIES = List.of(
      "/lib/systemd/system", "/usr/lib/systemd/system", "/run/systemd/system", "/etc/systemd/system");

  private SystemdUnits() {}

  /** A unit's settings (key to values, sections flattened) and the files read, in order. */
  public record Unit(String name, List<String> files, Map<String, List<String>> settings) {
    public List<String> values(String key) {
      return settings.getOrDefault(key, List.of());
    }

    public String describe() {
      return name + " (" + String.join(", ", files) + ")";
    }
  }

  /** The unit, or null when no directory has it or it is masked (a link to /dev/null). */
  public static Unit read(HostRoot host, String name) {
    String main = null;
    for (String dir : DIRECTORIES) {
      Path file = host.path(dir + "/" + name);
      if (Files.isRegularFile(file)) {
        main = dir + "/" + name;
      } else if (isMask(host, dir + "/" + name)) {
        return null;
      }
    }
    Map<String, String> dropIns = new TreeMap<>();
    for (String dir : DIRECTORIES) {
      Path d = host.path(dir + "/" + name + ".d");
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(d, "*.conf")) {
        for (Path entry : entries) {
          dropIns.put(entry.getFileName().toString(), dir + "/" + name + ".d/" + entry.getFileName());
        }
      } catch (IOException ignored) {
        // an unlistable drop-in directory: the unit is read without it, and its files list says which were read
      }
    }
    if (main == null && dropIns.isEmpty()) {
      return null;
    }
    Map<String, List<String>> settings = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    List<String> order = new ArrayList<>();
    if (main != null) {
      order.add(main);
    }
    order.addAll(dropIns.values());
    for (String file : order) {
      String text;
      try {
        text = host.readIfExists(file);
      } catch (HostRoot.Unreadable e) {
        continue;
      }
      if (text == null) {
        continue;
      }
      files.add(file);
      apply(text, settings);
    }
    return new Unit(name, files, settings);
  }

  private static boolean isMask(HostRoot host, String hostPath) {
    Path literal = host.root().resolve(hostPath.substring(1));
    try {
      return Files.isSymbolicLink(literal) && Files.readSymbolicLink(literal).toString().equals("/dev/null");
    } catch (IOException e) {
      return false;
    }
  }

  static void apply(String text, Map<String, List<String>> settings) {
    StringBuilder pending = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (pending.isEmpty() && (line.startsWith("#") || line.startsWith(";") || line.startsWith("["))) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      String whole = pending.toString();
      pending.setLength(0);
      int eq = whole.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = whole.substring(0, eq).strip();
      String value = whole.substring(eq + 1).strip();
      if (value.isEmpty()) {
        settings.put(key, new ArrayList<>());
      } else {
        settings.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
  }

  /** An ExecStart line split into arguments as systemd does (quotes, no shell), its prefixes (-, @, +, !) dropped. */
  public static List<String> commandLine(String execStart) {
    String line = execStart.replaceFirst("^[-@+!:]+", "");
    List<String> args = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean inArg = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length()) {
          current.append(line.charAt(++i));
        } else {
          current.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inArg = true;
      } else if (Character.isWhitespace(c)) {
        if (inArg) {
          args.add(current.toString());
          current.setLength(0);
          inArg = false;
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        current.append(line.charAt(++i));
        inArg = true;
      } else {
        current.append(c);
        inArg = true;
      }
    }
    if (inArg) {
      args.add(current.toString());
    }
    return args;
  }
}
