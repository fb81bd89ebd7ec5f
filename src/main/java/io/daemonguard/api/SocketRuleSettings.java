package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SocketRuleSettings extends RuleSettings {
  @JsonPropertyDescription("More absolute socket paths to protect (e.g. /opt/acme/runtime.sock), beyond the built-in Docker,"
      + " containerd, CRI-O and cri-dockerd ones; a mount of the path or of a directory above it is refused.")
  private List<String> extraPaths;

  public List<String> getExtraPaths() {
    return extraPaths;
  }

  public void setExtraPaths(List<String> extraPaths) {
    this.extraPaths = extraPaths;
  }
}
