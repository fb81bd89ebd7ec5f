package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One containerd (a node may run two: Kubernetes' and Docker's own): its process, config.toml (with imports) and the
 * gRPC API it serves, on a Unix socket and optionally on TCP.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerdFacts(
    DaemonProcess process,
    String configPath,
    Integer configVersion,
    List<Setting> settings,
    Endpoint tcp,
    Boolean tcpTls,
    Boolean tcpClientCa,
    List<FileFact> sockets,
    List<Unknown> unknown) {}
