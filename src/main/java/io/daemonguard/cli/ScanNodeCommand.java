package io.daemonguard.cli;

import io.daemonguard.api.Severity;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.collect.HostRoot;
import io.daemonguard.posture.collect.LoopbackProbe;
import io.daemonguard.posture.collect.NodeCollector;
import io.daemonguard.posture.evaluate.Evaluation;
import io.daemonguard.posture.evaluate.PostureEvaluator;
import io.daemonguard.posture.evaluate.PosturePolicy;
import io.daemonguard.report.PostureReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daemonguard scan-node}: the container daemons' posture on this node, read from its files and /proc. */
@Command(
    name = "scan-node",
    mixinStandardHelpOptions = true,
    description = {
        "Reads how this node's dockerd, containerd, CRI-O and kubelet are exposed (sockets, TCP listeners, TLS,"
            + " user namespaces, kubelet authentication) and judges it.",
        "Exit codes: 0 no finding at or above --fail-on (or --exit-zero), 1 there is one, 2 error."},
    sortOptions = false)
public final class ScanNodeCommand implements Callable<Integer> {

  public static final int EXIT_CLEAN = 0;
  public static final int EXIT_FINDINGS = 1;
  public static final int EXIT_ERROR = 2;

  @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/",
      description = "Where the host's root filesystem is (default /; /host in the image with -v /:/host:ro).")
  Path hostRoot;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "high",
      description = "The least severe finding that exits 1: critical, high (default), medium, low or info.")
  String failOn;

  @Option(names = "--exit-zero",
      description = "Exit 0 even when a finding is at or above --fail-on; errors still exit 2: for the in-cluster"
          + " scan, where the operator judges.")
  boolean exitZero;

  @Option(names = "--probe",
      description = "Confirm each TCP listener of a daemon with a harmless request over loopback (2 s at most each).")
  boolean probe;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default), json (one object: node, facts, findings) or junit (one test case per check).")
  String output;

  @Option(names = "--output-file", paramLabel = "FILE",
      description = "Write the -o report to FILE (whole, or not at all) and the text report to standard output.")
  Path outputFile;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private static final List<String> FORMATS = List.of("text", "json", "junit");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!FORMATS.contains(output)) {
      err.println("daemonguard scan-node: -o " + output + ": expected text, json or junit");
      return EXIT_ERROR;
    }
    Severity threshold;
    try {
      threshold = Severity.parse(failOn, "--fail-on");
    } catch (IllegalArgumentException e) {
      err.println("daemonguard scan-node: " + e.getMessage());
      return EXIT_ERROR;
    }
    if (!Files.isDirectory(hostRoot)) {
      err.println("daemonguard scan-node: --host-root " + hostRoot + ": not a directory");
      return EXIT_ERROR;
    }
    HostRoot host = new HostRoot(hostRoot);
    NodeFacts facts = NodeCollector.collect(host, nodeName(host));
    if (probe) {
      facts = facts.withProbes(LoopbackProbe.probe(facts, Duration.ofSeconds(2)));
    }
    Evaluation evaluation = PostureEvaluator.evaluate(facts, new PosturePolicy(threshold, Set.of()));
    NodeFacts finalFacts = facts;
    if (outputFile == null) {
      report(output, out, finalFacts, evaluation);
    } else {
      try {
        OutputFile.write(outputFile, file -> report(output, file, finalFacts, evaluation));
      } catch (OutputFile.WriteException e) {
        PostureReport.text(out, finalFacts, evaluation);
        err.println("daemonguard scan-node: " + e.getMessage());
        err.flush();
        return EXIT_ERROR;
      }
      PostureReport.text(out, finalFacts, evaluation);
    }
    out.flush();
    return evaluation.failed() && !exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
  }

  private static void report(String format, PrintWriter out, NodeFacts facts, Evaluation evaluation) {
    switch (format) {
      case "json" -> PostureReport.json(out, facts, evaluation);
      case "junit" -> PostureReport.junit(out, facts, evaluation);
      default -> PostureReport.text(out, facts, evaluation);
    }
  }

  /** NODE_NAME (the scan Job sets it from the downward API), else the host's etc/hostname, else the host root. */
  private static String nodeName(HostRoot host) {
    String env = System.getenv("NODE_NAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      String name = host.readIfExists("/etc/hostname");
      if (name != null && !name.isBlank()) {
        return name.strip();
      }
    } catch (HostRoot.Unreadable e) {
      // fall through
    }
    try {
      String name = Files.readString(host.proc("sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }
}
