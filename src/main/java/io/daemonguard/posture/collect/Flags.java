package io.daemonguard.posture.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Go daemon's command line read as its flag library does (pflag, urfave/cli): {@code --name=value},
 * {@code --name value}, {@code -H value}, {@code -H=value}, {@code -Hvalue}; a boolean flag takes a value only after
 * {@code =}, so {@code --tlsverify tcp://...} is the flag and then an argument. Only long names are kept; shorthands
 * are mapped to them.
 */
public final class Flags {
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  private Flags() {}

  /**
   * @param valueFlags long names of flags that take a value; every other flag is boolean
   * @param shorthands single-letter names to long ones, e.g. H to host
   */
  public static Flags parse(List<String> args, Set<String> valueFlags, Map<String, String> shorthands) {
    Flags flags = new Flags();
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        continue;
      }
      String name;
      String value = null;
      if (arg.startsWith("--")) {
        name = arg.substring(2);
      } else {
        String letter = arg.substring(1, 2);
        String mapped = shorthands.get(letter);
        // containerd's urfave/cli and others take single-dash long names too (-config)
        name = mapped != null ? mapped : arg.substring(1);
        if (mapped != null && arg.length() > 2) {
          value = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
        }
      }
      int eq = name.indexOf('=');
      if (value == null && eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (value == null) {
        if (valueFlags.contains(name)) {
          value = i + 1 < args.size() ? args.get(++i) : "";
        } else {
          value = "true";
        }
      }
      flags.values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return flags;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Every value of a repeatable flag, in order. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** The last value given, as Go's flag libraries keep it. */
  public String last(String name) {
    List<String> list = values.get(name);
    return list == null ? null : list.get(list.size() - 1);
  }

  /** The last value given, or {@code fallback} (the daemon's default) when the flag is absent. */
  public String last(String name, String fallback) {
    String value = last(name);
    return value == null ? fallback : value;
  }

  /** A boolean flag's value, or null when absent; a value Go would refuse ("yes") reads as null too. */
  public Boolean bool(String name) {
    String value = last(name);
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "t" -> Boolean.TRUE;
      case "false", "0", "f" -> Boolean.FALSE;
      default -> null;
    };
  }
}
