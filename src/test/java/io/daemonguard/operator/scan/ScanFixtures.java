package io.daemonguard.operator.scan;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.daemonguard.api.NodePostureSpec;
import io.daemonguard.api.PostureFindingStatus;
import io.daemonguard.api.Remediation;
import io.daemonguard.posture.ContainerdFacts;
import io.daemonguard.posture.DaemonProcess;
import io.daemonguard.posture.DockerFacts;
import io.daemonguard.posture.Endpoint;
import io.daemonguard.posture.FileFact;
import io.daemonguard.posture.KubeletFacts;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.Setting;
import io.daemonguard.posture.Unknown;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/**
 * Facts as the collector would have read them (built as records, no host needed) and policies as a user writes them.
 */
final class ScanFixtures {
  private ScanFixtures() {}

  static DaemonProcess dockerd(int pid) {
    return new DaemonProcess(pid, "dockerd", 0, List.of("/usr/bin/dockerd", "-H", "tcp://0.0.0.0:2375"));
  }

  /**
   * dockerd (pid) serving its API on tcp://0.0.0.0:2375 without TLS (critical docker-tcp-without-tls), without
   * userns-remap (medium docker-userns-remap-disabled), its socket root:docker 0660 (passes).
   */
  static NodeFacts openDocker(int pid) {
    return new NodeFacts("node-1", "/host", List.of(), docker(pid, true, false), null, null, null, null, List.of());
  }

  /** dockerd on its Unix socket only, with userns-remap: no finding. */
  static NodeFacts quietDocker() {
    return new NodeFacts("node-1", "/host", List.of(), docker(100, false, true), null, null, null, null, List.of());
  }

  /** dockerd without userns-remap only: one medium finding. */
  static NodeFacts mediumOnly() {
    return new NodeFacts("node-1", "/host", List.of(), docker(100, false, false), null, null, null, null, List.of());
  }

  private static DockerFacts docker(int pid, boolean tcp, boolean userns) {
    List<Endpoint> endpoints = tcp
        ? List.of(new Endpoint("tcp://0.0.0.0:2375", "tcp", "0.0.0.0", 2375, "command line", true,
            "0.0.0.0:2375 held by dockerd (pid " + pid + ")"))
        : List.of();
    FileFact socket = new FileFact("/var/run/docker.sock", "default", true, "socket", 0, "root", 998, "docker",
        "0660", true, null);
    return new DockerFacts(dockerd(pid), false, List.of(new Setting("tls", "false", "default")), endpoints, false,
        false, userns, null, List.of(socket), List.of());
  }

  /** {@link #openDocker} plus a containerd and a kubelet whose anonymous-auth could not be read (an unknown). */
  static NodeFacts openDockerContainerdAndKubelet() {
    NodeFacts docker = openDocker(100);
    ContainerdFacts containerd = new ContainerdFacts(new DaemonProcess(200, "containerd", 0, List.of("containerd")),
        "/etc/containerd/config.toml", 2, List.of(), null, null, null, List.of(), List.of());
    KubeletFacts kubelet = new KubeletFacts(new DaemonProcess(300, "kubelet", 0, List.of("kubelet")), null, null,
        new Setting("read-only-port", "0", "config file"), null, false,
        List.of(new Unknown("anonymous-auth", "permission denied")));
    return new NodeFacts("node-1", "/host", List.of(), docker.docker(), List.of(containerd), null, kubelet, null,
        List.of());
  }

  static DaemonSecurityPolicy policy(String name, NodePostureSpec nodes) {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).build());
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    spec.setNodes(nodes);
    policy.setSpec(spec);
    return policy;
  }

  static NodePostureSpec nodes(LabelSelector selector, String failOn, List<String> disabled, Boolean label,
      Boolean taint) {
    NodePostureSpec nodes = new NodePostureSpec();
    nodes.setNodeSelector(selector);
    nodes.setFailOn(failOn);
    nodes.setDisabledChecks(disabled);
    if (label != null || taint != null) {
      Remediation remediation = new Remediation();
      remediation.setLabelNodes(label);
      remediation.setTaintNodes(taint);
      nodes.setRemediation(remediation);
    }
    return nodes;
  }

  static PostureFindingStatus finding(String check, String severity, String message, Boolean unknown) {
    PostureFindingStatus finding = new PostureFindingStatus();
    finding.setCheck(check);
    finding.setSeverity(severity);
    finding.setMessage(message);
    finding.setEvidence(List.of("daemon: " + message));
    finding.setUnknown(unknown);
    return finding;
  }
}
