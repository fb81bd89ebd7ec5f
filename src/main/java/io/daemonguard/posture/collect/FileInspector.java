package io.daemonguard.posture.collect;

import io.daemonguard.posture.FileFact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Owner, group and mode of a host file or socket, read with {@code unix:*} attributes, names from the host. */
final class FileInspector {
  private final HostRoot host;
  private final Accounts accounts;
  private final Listeners listeners;

  FileInspector(HostRoot host, Accounts accounts, Listeners listeners) {
    this.host = host;
    this.accounts = accounts;
    this.listeners = listeners;
  }

  FileFact inspect(String hostPath, String source) {
    Path path = host.path(hostPath);
    if (!Files.exists(path)) {
      if (host.danglingLink(hostPath)) {
        return FileFact.unknown(hostPath, source, "dangling symbolic link");
      }
      return FileFact.absent(hostPath, source);
    }
    try {
      Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,gid,mode");
      int uid = (Integer) attributes.get("uid");
      int gid = (Integer) attributes.get("gid");
      int mode = (Integer) attributes.get("mode");
      String type = switch (mode & 0170000) {
        case 0140000 -> "socket";
        case 0100000 -> "file";
        case 0040000 -> "directory";
        default -> "other";
      };
      Boolean listening = type.equals("socket") && listeners != null ? listeners.unixListening(hostPath) : null;
      return new FileFact(hostPath, source, true, type, uid, accounts.user(uid), gid, accounts.group(gid),
          String.format("%04o", mode & 07777), listening, null);
    } catch (IOException | UnsupportedOperationException e) {
      return FileFact.unknown(hostPath, source, e instanceof IOException io ? HostRoot.reason(io) : e.toString());
    }
  }
}
