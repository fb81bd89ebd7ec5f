package io.daemonguard.report;

import io.daemonguard.admission.RuleId;
import java.util.List;

/**
 * What each rule is and how to fix what it finds, for reports read away from this README: SARIF's rule metadata (shown
 * by GitHub code scanning beside each alert) and JUnit's failure bodies. An exhaustive switch, so that a new rule id
 * does not compile without its help.
 */
public record RuleHelp(
    RuleId rule, String name, String shortDescription, String fullDescription, String fix, String securitySeverity,
    List<String> tags) {

  /** The rules section of the README: the one place that says precisely what each rule refuses. */
  public static final String HELP_URI = "https://github.com/daemonguard/daemonguard/blob/main/README.md#the-rules";

  public static final String INFORMATION_URI = "https://github.com/daemonguard/daemonguard";

  /** trivy's scale, which GitHub maps to its own: 9.0 and above is critical. Each rule here hands over the node. */
  private static final String CRITICAL = "9.5";

  private static final List<String> TAGS = List.of("security", "kubernetes");

  public static RuleHelp of(RuleId rule) {
    return switch (rule) {
      case HOST_ROOT_MOUNT -> new RuleHelp(rule, "HostRootMount",
          "A host volume mounts the node's root filesystem",
          "A hostPath volume (or a PersistentVolume's hostPath or local source) whose path is the node's root in any"
              + " spelling: /, //, /tmp/../.., a link through /proc such as /proc/1/root, or on Windows nodes a"
              + " drive or volume root (C:\\). Whoever mounts the root can read and write every file of the node,"
              + " its container daemon's socket and the kubelet's credentials included.",
          "Mount only the host directory the workload needs (for example /var/log), read-only where it can be, or"
              + " use an emptyDir, configMap, secret or persistent volume instead of a hostPath.",
          CRITICAL, TAGS);
      case PRIVILEGED_CONTAINER -> new RuleHelp(rule, "PrivilegedContainer",
          "A container runs privileged",
          "A container, init container or ephemeral container with securityContext.privileged: true, or one that"
              + " runs as a Windows host process (securityContext.windowsOptions.hostProcess: true, its own or the"
              + " pod's). It gets every capability and device of the node and can reach the container daemon.",
          "Remove privileged: true (and hostProcess: true) and add only the capabilities the process needs under"
              + " securityContext.capabilities.add, with allowPrivilegeEscalation: false. A workload that must run"
              + " privileged (a CNI or CSI node plugin) belongs in a namespace exempted by a DaemonSecurityPolicy.",
          CRITICAL, TAGS);
      case RUNTIME_SOCKET_MOUNT -> new RuleHelp(rule, "RuntimeSocketMount",
          "A host volume exposes the container runtime's API",
          "A host path that is a container runtime's API socket (docker.sock, containerd.sock, crio.sock, ...), a"
              + " directory holding one (/var/run, /run, /run/containerd), a file named like one, or on Windows"
              + " nodes a runtime's named pipe. Whoever reaches the runtime's API can start a privileged container"
              + " and so owns the node.",
          "Do not mount the runtime's socket or a directory above it. Build images with a daemonless builder"
              + " (BuildKit rootless, kaniko, buildah), read container metadata through the Kubernetes API, and"
              + " mount the specific host directory needed instead of /var/run or /run.",
          CRITICAL, TAGS);
    };
  }

  public String id() {
    return rule.id();
  }

  /** What it is and how to fix it, as plain text. */
  public String helpText() {
    return fullDescription + "\n\nHow to fix: " + fix + "\n\nSee " + HELP_URI;
  }

  /** The same as Markdown, as GitHub shows it. */
  public String helpMarkdown() {
    return "**" + id() + "**: " + fullDescription + "\n\n**How to fix:** " + fix + "\n\nSee [the rules](" + HELP_URI
        + ").";
  }
}
