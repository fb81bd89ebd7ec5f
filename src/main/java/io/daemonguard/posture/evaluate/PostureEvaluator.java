package io.daemonguard.posture.evaluate;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import io.daemonguard.posture.ContainerdFacts;
import io.daemonguard.posture.CrioFacts;
import io.daemonguard.posture.DockerFacts;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.FileFact;
import io.daemonguard.posture.KubeletFacts;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.ProbeFact;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts and a policy in, findings out: a pure function, so that facts stored in a resource can be judged again under
 * another policy without scanning again. A fact that is unknown makes its check "could not be judged", never a pass.
 */
public final class PostureEvaluator {
  private static final Set<PostureCheck> DOCKER = EnumSet.of(PostureCheck.DOCKER_TCP_WITHOUT_TLS,
      PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY, PostureCheck.DOCKER_SOCKET_PERMISSIONS,
      PostureCheck.DOCKER_SOCKET_OWNERSHIP, PostureCheck.DOCKER_USERNS_REMAP_DISABLED,
      PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS);
  private static final Set<PostureCheck> CONTAINERD = EnumSet.of(PostureCheck.CONTAINERD_TCP_WITHOUT_TLS,
      PostureCheck.CONTAINERD_TCP_WITHOUT_CLIENT_VERIFY, PostureCheck.CONTAINERD_SOCKET_PERMISSIONS);
  private static final Set<PostureCheck> KUBELET =
      EnumSet.of(PostureCheck.KUBELET_ANONYMOUS_AUTH, PostureCheck.KUBELET_READONLY_PORT);

  private final NodeFacts facts;
  private final List<Finding> findings = new ArrayList<>();
  private final Set<PostureCheck> applicable = EnumSet.noneOf(PostureCheck.class);

  private PostureEvaluator(NodeFacts facts) {
    this.facts = facts;
  }

  public static Evaluation evaluate(NodeFacts facts, PosturePolicy policy) {
    PostureEvaluator evaluator = new PostureEvaluator(facts);
    evaluator.node();
    if (facts.docker() != null) {
      evaluator.applicable.addAll(DOCKER);
      evaluator.docker(facts.docker());
    }
    if (facts.containerd() != null && !facts.containerd().isEmpty()) {
      evaluator.applicable.addAll(CONTAINERD);
      facts.containerd().forEach(evaluator::containerd);
    }
    if (facts.crio() != null) {
      evaluator.applicable.add(PostureCheck.CRIO_SOCKET_PERMISSIONS);
      evaluator.crio(facts.crio());
    }
    if (facts.kubelet() != null) {
      evaluator.applicable.addAll(KUBELET);
      evaluator.kubelet(facts.kubelet());
    }
    List<Finding> kept = evaluator.findings.stream()
        .filter(f -> !policy.disabledChecks().contains(f.check()))
        .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::unknown)
            .thenComparing(f -> f.check().ordinal()))
        .toList();
    Map<PostureCheck, CheckOutcome> outcomes = new EnumMap<>(PostureCheck.class);
    for (PostureCheck check : PostureCheck.values()) {
      CheckOutcome outcome;
      if (policy.disabledChecks().contains(check)) {
        outcome = CheckOutcome.DISABLED;
      } else if (!evaluator.applicable.contains(check)) {
        outcome = CheckOutcome.NOT_APPLICABLE;
      } else if (kept.stream().anyMatch(f -> f.check() == check && !f.unknown() && f.severity() != Severity.INFO)) {
        outcome = CheckOutcome.FAIL;
      } else if (kept.stream().anyMatch(f -> f.check() == check && f.unknown())) {
        outcome = CheckOutcome.UNKNOWN;
      } else {
        outcome = CheckOutcome.PASS;
      }
      outcomes.put(check, outcome);
    }
    List<CheckResult> checks = new ArrayList<>();
    outcomes.forEach((check, outcome) -> checks.add(new CheckResult(check, outcome)));
    return new Evaluation(kept, checks, policy);
  }

  private void node() {
    // a node whose /proc cannot be read hides every daemon: nothing here may read as "no daemon, nothing to find"
    for (Unknown u : list(facts.unknown())) {
      if (u.fact().equals("processes")) {
        for (PostureCheck check : PostureCheck.values()) {
          applicable.add(check);
          unknown(check, "the processes could not be read: " + u.reason(), List.of());
        }
      }
    }
  }

  private void docker(DockerFacts docker) {
    List<String> daemon = new ArrayList<>();
    daemon.add(docker.process() == null ? "dockerd is not running (configuration read from files)"
        : "daemon: " + docker.process().describe());
    for (Unknown u : list(docker.unknown())) {
      if (u.fact().equals("hosts")) {
        unknown(PostureCheck.DOCKER_TCP_WITHOUT_TLS, "Docker's hosts " + u.reason(), daemon);
      } else if (u.fact().equals("listeners")) {
        unknown(PostureCheck.DOCKER_TCP_WITHOUT_TLS, "Docker's unconfigured listeners: " + u.reason(), daemon,
            "Check by hand that dockerd listens on no TCP port its configuration does not name (ss -ltnp on the"
                + " node), or scan with CAP_SYS_PTRACE (the chart's operator.nodeScan.sysPtrace; it also lets the"
                + " scan reach the node's root filesystem through /proc).");
      }
    }
    for (Endpoint endpoint : list(docker.endpoints())) {
      if (endpoint.overTcp()) {
        dockerTcp(docker, endpoint, daemon);
      }
    }
    for (FileFact socket : list(docker.sockets())) {
      dockerSocket(docker, socket, daemon);
    }
    if (docker.rootless()) {
      // a rootless daemon runs in a user namespace of its own user: there is no host root to remap from
    } else if (docker.usernsRemap() == null) {
      unknown(PostureCheck.DOCKER_USERNS_REMAP_DISABLED, reason(docker.unknown(), "userns-remap"), daemon);
    } else if (!docker.usernsRemap()) {
      add(PostureCheck.DOCKER_USERNS_REMAP_DISABLED, null,
          "user namespace remapping is off: root in a container is root on the node",
          with(daemon, "no --userns-remap on the command line, no \"userns-remap\" in "
              + (docker.daemonJson() == null ? "daemon.json" : docker.daemonJson().path())));
    }
    FileFact json = docker.daemonJson();
    if (json != null) {
      // judged even when its contents could not be parsed: ownership and mode are read apart from them
      if (json.unknown() != null) {
        unknown(PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS, json.path() + ": " + json.unknown(), daemon);
      } else if (json.exists()) {
        int expectedUid = docker.rootless() && docker.process() != null && docker.process().uid() != null
            ? docker.process().uid() : 0;
        boolean owner = json.uid() == expectedUid && (docker.rootless() || json.gid() == 0);
        boolean mode = (json.permissionBits() & ~0644) == 0;
        if (!owner || !mode) {
          add(PostureCheck.DOCKER_DAEMON_JSON_PERMISSIONS, null,
              json.path() + " is " + json.describeOwnership() + "; expected "
                  + (docker.rootless() ? "its user" : "root:root") + ", 0644 or stricter",
              with(daemon, "file: " + json.path() + " " + json.describeOwnership()));
        }
      }
    }
  }

  private void dockerTcp(DockerFacts docker, Endpoint endpoint, List<String> daemon) {
    List<String> evidence = with(daemon, "endpoint: " + endpoint.address() + " from " + endpoint.source());
    if (endpoint.liveEvidence() != null) {
      evidence.add("live: " + endpoint.liveEvidence());
    }
    for (Setting s : list(docker.settings())) {
      if (s.name().startsWith("tls")) {
        evidence.add("setting: " + s.describe());
      }
    }
    if (Boolean.FALSE.equals(endpoint.live())) {
      String tls = Boolean.FALSE.equals(docker.tls()) ? "; it would be served without TLS"
          : Boolean.FALSE.equals(docker.tlsVerify()) ? "; it would be served without client verification" : "";
      add(PostureCheck.DOCKER_TCP_WITHOUT_TLS, Severity.INFO,
          "configuration names " + endpoint.address() + " but no socket listens there" + tls, evidence);
      return;
    }
    ProbeFact probe = probe(endpoint.port());
    if (probe != null) {
      evidence.add("probe: " + (probe.plainAnswer() == null ? "" : "plain HTTP: " + probe.plainAnswer())
          + (probe.tlsAnswer() == null ? "" : "; TLS without client certificate: " + probe.tlsAnswer()));
    }
    String at = endpoint.address() + (endpoint.live() == null ? " (liveness unknown)" : "");
    if (probe != null && Boolean.TRUE.equals(probe.plainHttp())) {
      add(PostureCheck.DOCKER_TCP_WITHOUT_TLS, null,
          "Docker's API answers plain HTTP on " + at + ": anyone who reaches it is root on the node", evidence);
    } else if (docker.tls() == null && (probe == null || probe.tlsWithoutClientCert() == null)) {
      unknown(PostureCheck.DOCKER_TCP_WITHOUT_TLS, "Docker listens on " + at + " and its TLS settings are unknown: "
          + reason(docker.unknown(), "tls"), evidence);
    } else if (Boolean.FALSE.equals(docker.tls()) && (probe == null || probe.tlsWithoutClientCert() == null)) {
      add(PostureCheck.DOCKER_TCP_WITHOUT_TLS, null,
          "Docker's API is served on " + at + " without TLS: anyone who reaches it is root on the node", evidence);
    } else if (probe != null && Boolean.TRUE.equals(probe.tlsWithoutClientCert())) {
      add(PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY, null,
          "Docker's API on " + at + " accepted a TLS client without a certificate", evidence);
    } else if (probe != null && Boolean.FALSE.equals(probe.tlsWithoutClientCert())) {
      return; // the live daemon refused a client without a certificate: verified, whatever the files say
    } else if (docker.tlsVerify() == null) {
      unknown(PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY, "Docker listens on " + at
          + " with TLS, and whether it verifies clients is unknown: " + reason(docker.unknown(), "tls"), evidence);
    } else if (!docker.tlsVerify()) {
      boolean verifyUnset = list(docker.settings()).stream().noneMatch(s -> s.name().equals("tlsverify"));
      add(PostureCheck.DOCKER_TCP_WITHOUT_CLIENT_VERIFY, null, "Docker's API on " + at
          + " uses TLS but does not verify clients: any client that reaches it is root on the node"
          + (verifyUnset ? " (tlsverify is unset: dockerd 20.10 and older then let any client in; newer dockerd takes"
              + " tlsverify from tls, which --probe confirms)" : " (tlsverify=false)"),
          evidence);
    }
  }

  private void dockerSocket(DockerFacts docker, FileFact socket, List<String> daemon) {
    List<String> evidence = with(daemon, "socket: " + socket.path() + " from " + socket.source());
    if (socket.unknown() != null) {
      unknown(PostureCheck.DOCKER_SOCKET_PERMISSIONS, socket.path() + ": " + socket.unknown(), evidence);
      unknown(PostureCheck.DOCKER_SOCKET_OWNERSHIP, socket.path() + ": " + socket.unknown(), evidence);
      return;
    }
    if (!socket.exists()) {
      if (docker.process() != null) {
        add(PostureCheck.DOCKER_SOCKET_PERMISSIONS, Severity.INFO,
            "configuration names the socket " + socket.path() + " but there is no file there", evidence);
      }
      return;
    }
    evidence.set(evidence.size() - 1, evidence.get(evidence.size() - 1) + ": " + socket.type() + " "
        + socket.describeOwnership() + (Boolean.FALSE.equals(socket.listening()) ? ", nothing listens on it" : ""));
    if ((socket.permissionBits() & ~0660) != 0) {
      add(PostureCheck.DOCKER_SOCKET_PERMISSIONS, null, socket.path() + " has mode " + socket.mode()
          + ((socket.permissionBits() & 07) != 0 ? ": every local user can reach Docker's API, which is root" : "")
          + "; expected 0660 or stricter", evidence);
    }
    if (docker.rootless()) {
      Integer uid = docker.process() == null ? null : docker.process().uid();
      if (uid != null && !uid.equals(socket.uid())) {
        add(PostureCheck.DOCKER_SOCKET_OWNERSHIP, null, socket.path() + " is owned by " + socket.describeOwnership()
            + ", not by the rootless daemon's user " + uid, evidence);
      }
    } else if (socket.uid() != 0 || !(socket.gid() == 0 || "docker".equals(socket.group()))) {
      add(PostureCheck.DOCKER_SOCKET_OWNERSHIP, null, socket.path() + " is owned by " + socket.describeOwnership()
          + "; expected root:docker (or root:root)", evidence);
    }
  }

  private void containerd(ContainerdFacts containerd) {
    List<String> daemon = new ArrayList<>();
    daemon.add(containerd.process() == null ? "containerd is not running (configuration read from files)"
        : "daemon: " + containerd.process().describe() + ", config " + containerd.configPath());
    Endpoint tcp = containerd.tcp();
    if (tcp == null) {
      for (Unknown u : list(containerd.unknown())) {
        if (u.fact().equals("tcp_address")) {
          unknown(PostureCheck.CONTAINERD_TCP_WITHOUT_TLS, "[grpc] tcp_address " + u.reason() + ": "
              + reason(containerd.unknown(), "config"), daemon);
        }
      }
    } else {
      List<String> evidence = with(daemon, "endpoint: " + tcp.address() + " from " + tcp.source());
      if (tcp.liveEvidence() != null) {
        evidence.add("live: " + tcp.liveEvidence());
      }
      for (Setting s : list(containerd.settings())) {
        if (s.name().startsWith("grpc.tcp_tls")) {
          evidence.add("setting: " + s.describe());
        }
      }
      ProbeFact probe = probe(tcp.port());
      if (probe != null) {
        evidence.add("probe: " + probe.plainAnswer());
      }
      if (Boolean.FALSE.equals(tcp.live())) {
        add(PostureCheck.CONTAINERD_TCP_WITHOUT_TLS, Severity.INFO, "configuration names " + tcp.address()
            + " but no socket listens there" + (containerd.tcpTls() ? "" : "; it would be served without TLS"),
            evidence);
      } else if (!containerd.tcpTls() || (probe != null && Boolean.TRUE.equals(probe.http2()))) {
        add(PostureCheck.CONTAINERD_TCP_WITHOUT_TLS, null, "containerd's gRPC API is served on " + tcp.address()
            + " without TLS: anyone who reaches it controls every container on the node", evidence);
      } else if (!containerd.tcpClientCa()) {
        add(PostureCheck.CONTAINERD_TCP_WITHOUT_CLIENT_VERIFY, null, "containerd's gRPC API on " + tcp.address()
            + " uses TLS without tcp_tls_ca: any client that reaches it is let in", evidence);
      }
    }
    for (FileFact socket : list(containerd.sockets())) {
      rootOnlySocket(PostureCheck.CONTAINERD_SOCKET_PERMISSIONS, socket, daemon);
    }
  }

  private void crio(CrioFacts crio) {
    List<String> daemon = List.of(crio.process() == null ? "crio is not running (configuration read from files)"
        : "daemon: " + crio.process().describe());
    for (FileFact socket : list(crio.sockets())) {
      rootOnlySocket(PostureCheck.CRIO_SOCKET_PERMISSIONS, socket, daemon);
    }
  }

  private void rootOnlySocket(PostureCheck check, FileFact socket, List<String> daemon) {
    List<String> evidence = with(daemon, "socket: " + socket.path() + " from " + socket.source()
        + (socket.exists() ? ": " + socket.type() + " " + socket.describeOwnership() : ""));
    if (socket.unknown() != null) {
      unknown(check, socket.path() + ": " + socket.unknown(), evidence);
    } else if (socket.exists()) {
      int bits = socket.permissionBits();
      boolean groupOk = socket.gid() == 0 || (bits & 070) == 0;
      if ((bits & ~0660) != 0 || socket.uid() != 0 || !groupOk) {
        add(check, null, socket.path() + " is " + socket.describeOwnership()
            + "; expected root:root, 0660 or stricter (whoever can open it controls every container)", evidence);
      }
    }
  }

  private void kubelet(KubeletFacts kubelet) {
    List<String> daemon = with(List.of(), "daemon: " + kubelet.process().describe()
        + (kubelet.configPath() == null ? ", no --config" : ", config " + kubelet.configPath()));
    if (kubelet.anonymousAuth() == null) {
      unknown(PostureCheck.KUBELET_ANONYMOUS_AUTH, reason(kubelet.unknown(), "anonymous-auth"), daemon);
    } else if (kubelet.anonymousAuthEnabled()) {
      List<String> evidence = with(daemon, "setting: " + kubelet.anonymousAuth().describe());
      boolean alwaysAllow = kubelet.authorizationMode() != null
          && kubelet.authorizationMode().value().contains("AlwaysAllow");
      if (kubelet.authorizationMode() != null) {
        evidence.add("setting: " + kubelet.authorizationMode().describe());
      }
      add(PostureCheck.KUBELET_ANONYMOUS_AUTH, alwaysAllow ? Severity.CRITICAL : null,
          "the kubelet accepts anonymous requests" + (alwaysAllow
              ? " and authorizes every request (AlwaysAllow): anyone who reaches port 10250 can run commands in"
                  + " its pods"
              : ""), evidence);
    }
    Integer port = kubelet.readOnlyPortNumber();
    List<String> evidence = with(daemon, kubelet.readOnlyPort() == null ? "read-only port setting unknown"
        : "setting: " + kubelet.readOnlyPort().describe());
    if (kubelet.readOnlyPortLive() != null) {
      evidence.add("live: " + (kubelet.readOnlyPortLive() ? "the kubelet listens on the read-only port"
          : "no read-only port listener held by the kubelet"));
    }
    if (Boolean.TRUE.equals(kubelet.readOnlyPortLive())) {
      add(PostureCheck.KUBELET_READONLY_PORT, null, "the kubelet serves its read-only port"
          + (port == null || port == 0 ? " " + 10255 : " " + port) + ": pods, specs and metrics without"
          + " authentication", evidence);
    } else if (port == null) {
      unknown(PostureCheck.KUBELET_READONLY_PORT, reason(kubelet.unknown(), "read-only-port"), evidence);
    } else if (port > 0 && kubelet.readOnlyPortLive() == null) {
      add(PostureCheck.KUBELET_READONLY_PORT, null, "the kubelet is configured with read-only port " + port
          + " (whether it listens is unknown)", evidence);
    } else if (port > 0) {
      add(PostureCheck.KUBELET_READONLY_PORT, Severity.INFO, "the kubelet is configured with read-only port " + port
          + " but nothing listens there", evidence);
    }
  }

  private ProbeFact probe(Integer port) {
    for (ProbeFact p : list(facts.probes())) {
      if (port != null && p.port() == port) {
        return p;
      }
    }
    return null;
  }

  private void add(PostureCheck check, Severity severity, String message, List<String> evidence) {
    CheckDefinition definition = CheckDefinition.of(check);
    findings.add(new Finding(check, severity == null ? definition.severity() : severity, message,
        definition.cisId(), List.copyOf(evidence), definition.remediation(), false));
  }

  private void unknown(PostureCheck check, String reason, List<String> evidence) {
    unknown(check, reason, evidence,
        "Make the fact readable (run as root, mount the host's root and /proc) and scan again.");
  }

  private void unknown(PostureCheck check, String reason, List<String> evidence, String remediation) {
    CheckDefinition definition = CheckDefinition.of(check);
    findings.add(new Finding(check, Severity.INFO, "could not be judged: " + reason, definition.cisId(),
        List.copyOf(evidence), remediation, true));
  }

  private static String reason(List<Unknown> unknown, String fact) {
    List<String> reasons = new ArrayList<>();
    for (Unknown u : list(unknown)) {
      if (u.fact().equals(fact) || u.fact().equals("daemon.json") || u.fact().equals("config")) {
        reasons.add(u.reason());
      }
    }
    return reasons.isEmpty() ? "unknown" : String.join("; ", reasons.stream().distinct().toList());
  }

  private static List<String> with(List<String> base, String more) {
    List<String> list = new ArrayList<>(base);
    list.add(more);
    return list;
  }

  private static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : value;
  }
}
