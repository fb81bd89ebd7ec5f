package io.daemonguard.posture.evaluate;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import java.util.EnumMap;
import java.util.Map;

/**
 * What each check judges, at which severity, under which CIS id (CIS Docker Benchmark v1.2.0 to 1.6.0 numbering as
 * noted, CIS Kubernetes Benchmark 1.6+), and how a person fixes it.
 */
public record CheckDefinition(PostureCheck check, Severity severity, String cis, String title, String remediation) {

  private static final Map<PostureCheck, CheckDefinition> ALL = new EnumMap<>(PostureCheck.class);

  private static void define(PostureCheck check, Severity severity, String cis, String title, String remediation) {
    ALL.put(check, new CheckDefinition(check, severity, cis, title, remediation));
  }

  static {
    define(PostureCheck.DOCKER_TCP_WITHOUT_TLS, Severity.CRITICAL,
        "CIS Docker 2.6: Ensure TLS authentication for Docker daemon is configured",
        "Docker's API on TCP without TLS",
        "Anyone who reaches this port is root on the node. Remove the tcp:// host (from -H in docker.service's"
            + " ExecStart and its drop-ins, from \"hosts\" in daemon.json, from ListenStream in docker.socket) and use"
            + " the Unix socket or ssh://; or serve it with mutual TLS: \"tlsverify\": true, \"tlscacert\","
            + " \"tlscert\", \"tlskey\" in daemon.json. Then: systemctl daemon-reload && systemctl restart docker.");
    define(PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY, Severity.HIGH,
        "CIS Docker 2.6: Ensure TLS authentication for Docker daemon is configured",
        "Docker's API on TCP with TLS but without client certificates",
        "TLS without client verification encrypts the connection but lets any client in. Set \"tlsverify\": true"
            + " and \"tlscacert\" (the CA that signs your clients' certificates) in daemon.json, or --tlsverify"
            + " --tlscacert=FILE, and restart docker.");
    define(PostureCheck.DOCKER_SOCKET_PERMISSIONS, Severity.HIGH,
        "CIS Docker 3.16: Ensure that Docker socket file permissions are set to 660 or more restrictive",
        "docker.sock mode wider than 0660",
        "chmod 660 on the socket; when docker.socket creates it (socket activation) set SocketMode=0660 in a"
            + " drop-in (systemctl edit docker.socket) so that it stays so after a restart.");
    define(PostureCheck.DOCKER_SOCKET_OWNERSHIP, Severity.HIGH,
        "CIS Docker 3.15: Ensure that Docker socket file ownership is set to root:docker",
        "docker.sock not owned by root:docker",
        "chown root:docker on the socket; with socket activation set SocketUser=root and SocketGroup=docker in"
            + " docker.socket (or dockerd's --group). Whoever is in that group is root on the node: keep it to"
            + " administrators.");
    define(PostureCheck.DOCKER_USERNS_REMAP_DISABLED, Severity.MEDIUM,
        "CIS Docker 2.8: Enable user namespace support",
        "Docker runs containers' root as the host's root",
        "Set \"userns-remap\": \"default\" in /etc/docker/daemon.json (Docker creates the dockremap user and its"
            + " subordinate ids) and restart docker; images and volumes written as root need their ownership"
            + " shifted. Or run Docker rootless.");
    define(PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS, Severity.MEDIUM,
        "CIS Docker 3.17 and 3.18: daemon.json ownership root:root, permissions 644 or more restrictive",
        "daemon.json writable by others than root",
        "chown root:root /etc/docker/daemon.json && chmod 644 /etc/docker/daemon.json (whoever can write it"
            + " chooses dockerd's hosts and TLS on its next start).");
    define(PostureCheck.CONTAINERD_TCP_WITHOUT_TLS, Severity.CRITICAL, null,
        "containerd's gRPC API on TCP without TLS",
        "Anyone who reaches this port controls every container on the node. Remove [grpc] tcp_address from"
            + " config.toml and its imports, or set tcp_tls_cert, tcp_tls_key and tcp_tls_ca; then systemctl"
            + " restart containerd.");
    define(PostureCheck.CONTAINERD_TCP_WITHOUT_CLIENT_VERIFY, Severity.HIGH, null,
        "containerd's gRPC API on TCP with TLS but no client CA",
        "Set [grpc] tcp_tls_ca to the CA that signs your clients' certificates (containerd then requires and"
            + " verifies one), or remove tcp_address; restart containerd.");
    define(PostureCheck.CONTAINERD_SOCKET_PERMISSIONS, Severity.HIGH, null,
        "containerd's socket reachable by others than root",
        "The socket should be root:root, mode 0660 or stricter: set [grpc] uid = 0 and gid = 0 in config.toml (and"
            + " no group you would not make root), restart containerd; chown root:root and chmod 660 fix it until"
            + " then.");
    define(PostureCheck.CRIO_SOCKET_PERMISSIONS, Severity.HIGH, null,
        "CRI-O's socket reachable by others than root",
        "The socket should be root:root, mode 0660 or stricter: chown root:root and chmod 660 it, and find what"
            + " widened it (a unit's ExecStartPost, a tmpfiles.d rule).");
    define(PostureCheck.KUBELET_ANONYMOUS_AUTH, Severity.HIGH,
        "CIS Kubernetes 4.2.1: Ensure that the --anonymous-auth argument is set to false",
        "the kubelet answers anonymous requests",
        "Set authentication.anonymous.enabled: false in the kubelet's config file (or --anonymous-auth=false) and"
            + " authorization.mode: Webhook, then systemctl restart kubelet.");
    define(PostureCheck.KUBELET_READONLY_PORT, Severity.MEDIUM,
        "CIS Kubernetes 4.2.4: Ensure that the --read-only-port argument is set to 0",
        "the kubelet's unauthenticated read-only port",
        "Set readOnlyPort: 0 in the kubelet's config file (or --read-only-port=0) and restart the kubelet; metrics"
            + " and pod lists stay on the authenticated port 10250.");
  }

  /** "CIS Docker 2.6", without the recommendation's title; null where no benchmark covers the check. */
  public String cisId() {
    return cis == null ? null : cis.substring(0, cis.indexOf(':'));
  }

  public static CheckDefinition of(PostureCheck check) {
    return ALL.get(check);
  }
}
