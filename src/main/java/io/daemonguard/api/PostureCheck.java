package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The posture check ids (design §3, stable) that {@code spec.nodes.disabledChecks} may name. A new check gets a new
 * constant here, so that the CRD's schema admits it.
 */
public enum PostureCheck {
  @JsonProperty("docker-tcp-without-tls") DOCKER_TCP_WITHOUT_TLS("docker-tcp-without-tls"),
  @JsonProperty("docker-tcp-without-client-verify") DOCKER_TCP_WITHOUT_CLIENT_VERIFY("docker-tcp-without-client-verify"),
  @JsonProperty("docker-socket-permissions") DOCKER_SOCKET_PERMISSIONS("docker-socket-permissions"),
  @JsonProperty("docker-socket-ownership") DOCKER_SOCKET_OWNERSHIP("docker-socket-ownership"),
  @JsonProperty("docker-userns-remap-disabled") DOCKER_USERNS_REMAP_DISABLED("docker-userns-remap-disabled"),
  @JsonProperty("docker-daemon-json-permissions") DOCKER_DAEMON_JSON_PERMISSIONS("docker-daemon-json-permissions"),
  @JsonProperty("containerd-tcp-without-tls") CONTAINERD_TCP_WITHOUT_TLS("containerd-tcp-without-tls"),
  @JsonProperty("containerd-tcp-without-client-verify")
  CONTAINERD_TCP_WITHOUT_CLIENT_VERIFY("containerd-tcp-without-client-verify"),
  @JsonProperty("containerd-socket-permissions") CONTAINERD_SOCKET_PERMISSIONS("containerd-socket-permissions"),
  @JsonProperty("crio-socket-permissions") CRIO_SOCKET_PERMISSIONS("crio-socket-permissions"),
  @JsonProperty("kubelet-anonymous-auth") KUBELET_ANONYMOUS_AUTH("kubelet-anonymous-auth"),
  @JsonProperty("kubelet-readonly-port") KUBELET_READONLY_PORT("kubelet-readonly-port");

  private final String id;

  PostureCheck(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Parses a check id; names the field when the input is not one. */
  public static PostureCheck parse(String value, String field) {
    for (PostureCheck check : values()) {
      if (check.id.equals(value)) {
        return check;
      }
    }
    throw new IllegalArgumentException(field + ": \"" + value + "\" is not a posture check id");
  }
}
