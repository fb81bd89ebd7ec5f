package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The kubelet's effective authentication and read-only port, merged as the kubelet does: built-in flag defaults (the
 * insecure ones), or the config file's defaults (the safe ones) when {@code --config} is given, then the file's values,
 * then explicit flags. Each value's source says which won; null values are unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KubeletFacts(
    DaemonProcess process,
    String configPath,
    Setting anonymousAuth,
    Setting readOnlyPort,
    Setting authorizationMode,
    Boolean readOnlyPortLive,
    List<Unknown> unknown) {

  public Boolean anonymousAuthEnabled() {
    return anonymousAuth == null ? null : Boolean.valueOf(anonymousAuth.value());
  }

  public Integer readOnlyPortNumber() {
    return readOnlyPort == null ? null : Integer.valueOf(readOnlyPort.value());
  }
}
