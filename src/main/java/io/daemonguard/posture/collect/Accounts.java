package io.daemonguard.posture.collect;

import java.util.HashMap;
import java.util.Map;

/** The host's user and group names (its etc/passwd and etc/group, not the scanner's), for evidence and ownership. */
public final class Accounts {
  private final Map<Integer, String> users;
  private final Map<Integer, String> groups;
  private final Map<Integer, String> homes;

  Accounts(Map<Integer, String> users, Map<Integer, String> groups, Map<Integer, String> homes) {
    this.users = users;
    this.groups = groups;
    this.homes = homes;
  }

  static Accounts read(HostRoot host) {
    Map<Integer, String> users = new HashMap<>();
    Map<Integer, String> homes = new HashMap<>();
    Map<Integer, String> groups = new HashMap<>();
    parse(host, "/etc/passwd", users, homes);
    parse(host, "/etc/group", groups, null);
    return new Accounts(users, groups, homes);
  }

  private static void parse(HostRoot host, String file, Map<Integer, String> names, Map<Integer, String> homes) {
    String text;
    try {
      text = host.readIfExists(file);
    } catch (HostRoot.Unreadable e) {
      return; // names are for reading only: ownership is judged on the numeric ids
    }
    if (text == null) {
      return;
    }
    for (String line : text.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length < 3 || line.startsWith("#")) {
        continue;
      }
      try {
        int id = Integer.parseInt(fields[2].trim());
        names.putIfAbsent(id, fields[0]);
        if (homes != null && fields.length >= 6) {
          homes.putIfAbsent(id, fields[5]);
        }
      } catch (NumberFormatException ignored) {
        // a malformed line names nobody
      }
    }
  }

  public String user(Integer uid) {
    return uid == null ? null : users.get(uid);
  }

  public String group(Integer gid) {
    return gid == null ? null : groups.get(gid);
  }

  public String home(Integer uid) {
    return uid == null ? null : homes.get(uid);
  }
}
