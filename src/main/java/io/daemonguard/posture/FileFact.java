package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file or Unix socket on the host, its owner, group and mode. {@code unknown} says why the rest could not be read;
 * {@code exists} false with no {@code unknown} means the file is truly absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileFact(
    String path,
    String source,
    boolean exists,
    String type,
    Integer uid,
    String owner,
    Integer gid,
    String group,
    String mode,
    Boolean listening,
    String unknown) {

  public static FileFact unknown(String path, String source, String reason) {
    return new FileFact(path, source, false, null, null, null, null, null, null, null, reason);
  }

  public static FileFact absent(String path, String source) {
    return new FileFact(path, source, false, null, null, null, null, null, null, null, null);
  }

  /** The permission bits (no file type), or -1 when unknown. */
  public int permissionBits() {
    return mode == null ? -1 : Integer.parseInt(mode, 8) & 07777;
  }

  /** {@code root:docker 0660}: how evidence names the ownership and mode. */
  public String describeOwnership() {
    return (owner != null ? owner : String.valueOf(uid)) + ":" + (group != null ? group : String.valueOf(gid)) + " "
        + mode;
  }
}
