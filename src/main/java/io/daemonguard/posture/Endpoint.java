package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API address a daemon is configured with or found listening on. {@code live}: true when a listening socket
 * stands behind it (the ground truth), false when configuration names it but nothing listens, null when unknown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoint(
    String address, String scheme, String host, Integer port, String source, Boolean live, String liveEvidence) {

  public boolean overTcp() {
    return "tcp".equals(scheme);
  }

  public boolean overUnix() {
    return "unix".equals(scheme);
  }

  public Endpoint withLive(Boolean isLive, String evidence) {
    return new Endpoint(address, scheme, host, port, source, isLive, evidence);
  }
}
