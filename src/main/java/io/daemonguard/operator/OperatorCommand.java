package io.daemonguard.operator;

import io.daemonguard.ServingOptions;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.operator.scan.NodeScanSettings;
import io.daemonguard.operator.scan.ScanJobs;
import io.daemonguard.operator.sweep.SweepSettings;
import io.daemonguard.policy.Durations;
import io.daemonguard.report.PolicyReports;
import io.daemonguard.tls.HttpsServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daemonguard operator}: reconciles DaemonSecurityPolicies; health and metrics over HTTPS. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Reconciles DaemonSecurityPolicies (status, Events), audits what already runs (Events,"
        + " PolicyReports, status.audit) and scans the nodes' container daemons (NodeDaemonPostures, node labels and"
        + " Events, status.nodes), leader-elected; serves /healthz, /readyz and /metrics over TLS.",
    sortOptions = false)
public final class OperatorCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorCommand.class);

  @CommandLine.Mixin
  ServingOptions serving = new ServingOptions();

  @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Elect one acting replica through a Lease (default: ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "daemonguard-operator", paramLabel = "NAME",
      description = "The Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", paramLabel = "NS",
      description = "Namespace of the Lease (default: $POD_NAMESPACE).")
  String leaseNamespace;

  @Option(names = "--events-namespace", defaultValue = "default", paramLabel = "NS",
      description = "Where Events about cluster-scoped objects go, as client-go does (default: ${DEFAULT-VALUE}).")
  String eventsNamespace;

  @Option(names = "--reconcile-interval", defaultValue = "600", paramLabel = "SECONDS",
      description = "Each policy is reconciled at least this often, which writes nothing when nothing changed"
          + " (default: ${DEFAULT-VALUE}).")
  long reconcileSeconds;

  @Option(names = "--audit", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Audit what already runs: Events, reports, status.audit, metrics (default: ${DEFAULT-VALUE}).")
  boolean audit;

  @Option(names = "--audit-interval", defaultValue = "3600", paramLabel = "SECONDS",
      description = "Everything is judged again at least this often, beside every change (default: ${DEFAULT-VALUE}).")
  long auditSeconds;

  @Option(names = "--report-format", defaultValue = "wgpolicyk8s", paramLabel = "FORMAT",
      description = "wgpolicyk8s (PolicyReport v1alpha2), openreports (Report v1alpha1) or none"
          + " (default: ${DEFAULT-VALUE}).")
  String reportFormat;

  @Option(names = "--report-pass", description = "Also write pass results: a report for every audited object.")
  boolean reportPass;

  @Option(names = "--audit-writes-per-second", defaultValue = "50", paramLabel = "N",
      description = "The audit's write budget: reports, Events and statuses together (default: ${DEFAULT-VALUE}).")
  double auditWritesPerSecond;

  @Option(names = "--exempt-namespace", paramLabel = "NS",
      description = "More namespaces the built-in default policy exempts, beside kube-system and $POD_NAMESPACE, as"
          + " the webhook's flag of that name. Repeatable.")
  List<String> exemptNamespaces = new ArrayList<>();

  @Option(names = "--node-scan", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Scan the nodes the policies select and report their daemon posture: NodeDaemonPostures, node"
          + " labels, taints and Events, reports, status.nodes, metrics (default: ${DEFAULT-VALUE}).")
  boolean nodeScan;

  @Option(names = "--scan-pod-template", paramLabel = "FILE",
      description = "The scan pod (a pod template: image, host mounts, capabilities, resources); the chart renders"
          + " it. Needed with --node-scan.")
  Path scanPodTemplate;

  @Option(names = "--scan-namespace", paramLabel = "NS",
      description = "Where the scan Jobs run (default: $POD_NAMESPACE).")
  String scanNamespace;

  @Option(names = "--scan-concurrency", defaultValue = "5", paramLabel = "N",
      description = "Scan Jobs at once, cluster-wide (default: ${DEFAULT-VALUE}).")
  int scanConcurrency;

  @Option(names = "--scan-deadline", defaultValue = "2m", paramLabel = "DURATION",
      description = "A scan's lifetime, Pending included, e.g. 90s, 2m (default: ${DEFAULT-VALUE}).")
  String scanDeadline;

  @Option(names = "--scan-retry", defaultValue = "10m", paramLabel = "DURATION",
      description = "After a failed scan, the wait before the next try (default: ${DEFAULT-VALUE}).")
  String scanRetry;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    serving.apply(spec.commandLine());
    if (reconcileSeconds < 1 || auditSeconds < 1 || auditWritesPerSecond <= 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--reconcile-interval, --audit-interval and --audit-writes-per-second must be positive");
    }
    PolicyReports.Format format;
    try {
      format = "none".equals(reportFormat) ? null : PolicyReports.Format.parse(reportFormat);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    SweepSettings sweepSettings = !audit ? null : SweepSettings.defaults()
        .withInterval(Duration.ofSeconds(auditSeconds)).withFormat(format).withReportPass(reportPass)
        .withWritesPerSecond(auditWritesPerSecond);
    String namespace = leaseNamespace != null ? leaseNamespace : System.getenv("POD_NAMESPACE");
    if (leaderElection && (namespace == null || namespace.isBlank())) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "leader election needs --lease-namespace (or $POD_NAMESPACE); or pass --no-leader-election");
    }
    NodeScanSettings nodeScanSettings = nodeScan ? nodeScanSettings(format) : null;
    PolicyOperator.Settings settings = PolicyOperator.Settings.defaults(identity())
        .withEventsNamespace(eventsNamespace)
        .withReconcileInterval(Duration.ofSeconds(reconcileSeconds));
    if (leaderElection) {
      settings = settings.withLease(leaseName, namespace);
    }

    OperatorMetrics metrics = new OperatorMetrics();
    Vertx vertx = Vertx.vertx();
    AtomicReference<PolicyOperator> running = new AtomicReference<>();
    HttpsServer server;
    try {
      // the probes answer before the informers sync: alive, not ready
      server = HttpsServer.start(vertx, new HttpsServer.Config(serving.host, serving.port, serving.tlsCert,
          serving.tlsKey, serving.certReloadMillis()), routes(vertx, metrics, running))
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      spec.commandLine().getErr().println("daemonguard operator: cannot start: " + e.getMessage());
      vertx.close();
      return 2;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PolicyOperator operator;
    try {
      operator = PolicyOperator.start(client, settings, metrics, sweepSettings,
          AdmissionPolicy.defaultPolicy(System.getenv("POD_NAMESPACE"), new HashSet<>(exemptNamespaces)),
          nodeScanSettings);
    } catch (RuntimeException e) {
      LOG.atError().setMessage("cannot start the operator").addKeyValue("error", rootMessage(e)).log();
      spec.commandLine().getErr().println("daemonguard operator: cannot start: " + rootMessage(e));
      server.shutdown(1000).await(5, TimeUnit.SECONDS);
      vertx.close();
      client.close();
      return 2;
    }
    running.set(operator);
    LOG.atInfo().setMessage("operator ready").addKeyValue("port", server.port()).log();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: stopping; the lease goes to the standby");
      try {
        operator.stop();
        server.shutdown(5000).await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
        client.close();
      } catch (Exception e) {
        LOG.warn("shutdown was not clean: {}", e.toString());
      }
      LOG.info("operator stopped");
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  private NodeScanSettings nodeScanSettings(PolicyReports.Format format) {
    String namespace = scanNamespace != null ? scanNamespace : System.getenv("POD_NAMESPACE");
    if (scanPodTemplate == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--node-scan needs --scan-pod-template FILE (the chart renders it); or pass --no-node-scan");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--node-scan needs --scan-namespace (or $POD_NAMESPACE); or pass --no-node-scan");
    }
    try {
      return new NodeScanSettings(ScanJobs.loadTemplate(scanPodTemplate), namespace, scanConcurrency,
          Durations.parse(scanDeadline, "--scan-deadline"), Durations.parse(scanRetry, "--scan-retry"), format,
          reportPass);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** {@code running} is set once the operator has started; until then the probes say alive, not ready. */
  private static Router routes(Vertx vertx, OperatorMetrics metrics, AtomicReference<PolicyOperator> running) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
    router.get("/readyz").handler(ctx -> {
      PolicyOperator operator = running.get();
      boolean ready = operator != null && operator.ready();
      ctx.response().setStatusCode(ready ? 200 : 503)
          .end(ready ? (operator.leading() ? "ready, leading" : "ready, standing by") : "informers not synced");
    });
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.registry().scrape()));
    return router;
  }

  /**
   * The pod's name and a per-process suffix, as client-go does (hostname_uuid): a container restarted in the same pod
   * must not find itself named in the Lease and carry on as leader; it waits for the lease like any other replica.
   */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    String host;
    if (pod != null && !pod.isBlank()) {
      host = pod;
    } else {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "daemonguard-operator";
      }
    }
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + cause.getMessage();
  }
}
