package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Docker's daemon as found on the node: its process, its merged configuration (command line or systemd ExecStart,
 * daemon.json, docker.socket), the endpoints that configuration names checked against the live sockets, and the
 * effective TLS and user-namespace settings. {@code tls}, {@code tlsVerify} and {@code usernsRemap} are null when a
 * source they depend on could not be read; {@code unknown} says which.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DockerFacts(
    DaemonProcess process,
    boolean rootless,
    List<Setting> settings,
    List<Endpoint> endpoints,
    Boolean tls,
    Boolean tlsVerify,
    Boolean usernsRemap,
    FileFact daemonJson,
    List<FileFact> sockets,
    List<Unknown> unknown) {}
