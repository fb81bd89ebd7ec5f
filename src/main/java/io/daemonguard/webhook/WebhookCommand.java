package io.daemonguard.webhook;

import io.daemonguard.ServingOptions;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.manifest.ManifestReader;
import io.daemonguard.policy.ClusterPolicies;
import io.daemonguard.policy.FixedPolicies;
import io.daemonguard.policy.PolicyFiles;
import io.daemonguard.policy.PolicySource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daemonguard webhook}: the validating admission webhook, HTTPS only. */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    description = "Serves AdmissionReview v1 on POST /validate over TLS, with /healthz, /readyz and /metrics.",
    sortOptions = false)
public final class WebhookCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookCommand.class);
  public static final long DEFAULT_MAX_BODY_BYTES = 6L * 1024 * 1024;

  @CommandLine.Mixin
  ServingOptions serving = new ServingOptions();

  @Option(names = "--max-body-bytes", defaultValue = "" + DEFAULT_MAX_BODY_BYTES,
      description = "Largest AdmissionReview accepted; larger ones get 400 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "DaemonSecurityPolicy file(s) to enforce instead of the built-in default policy. Repeatable.")
  List<Path> policyFiles = new ArrayList<>();

  @Option(names = "--policies-from-cluster",
      description = "Follow the cluster's DaemonSecurityPolicies (list and watch; not ready until listed) instead of"
          + " --policy files. With none in the cluster, the built-in default policy applies.")
  boolean policiesFromCluster;

  @Option(names = "--exempt-namespace", paramLabel = "NS",
      description = "More namespaces the default policy exempts, beside kube-system and $POD_NAMESPACE. Repeatable.")
  List<String> exemptNamespaces = new ArrayList<>();

  @Option(names = "--exemption-admin-group", paramLabel = "GROUP",
      description = "A group whose members may add, change or remove the namespace label daemonguard.io/exempt"
          + " (Kubernetes 1.20). Repeatable; replaces the default, system:masters.")
  List<String> exemptionAdminGroups = new ArrayList<>();

  @Option(names = "--exemption-admin-user", paramLabel = "USER",
      description = "A user (e.g. system:serviceaccount:NS:NAME) who may do the same. Repeatable.")
  List<String> exemptionAdminUsers = new ArrayList<>();

  @Option(names = "--shutdown-delay", defaultValue = "2", paramLabel = "SECONDS",
      description = "On SIGTERM, how long to keep serving while not ready, so endpoints drop the pod first"
          + " (default: ${DEFAULT-VALUE}).")
  double shutdownDelaySeconds;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    serving.apply(spec.commandLine());
    if (maxBodyBytes < 1024) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-body-bytes must be at least 1024");
    }
    if (shutdownDelaySeconds < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--shutdown-delay must not be negative");
    }
    if (Stream.concat(exemptionAdminGroups.stream(), exemptionAdminUsers.stream()).anyMatch(String::isBlank)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--exemption-admin-group and --exemption-admin-user take a non-empty name");
    }
    if (policiesFromCluster && !policyFiles.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--policies-from-cluster and --policy are exclusive: the policies come from one place");
    }
    List<AdmissionPolicy> policies;
    String ownNamespace = System.getenv("POD_NAMESPACE");
    if (policyFiles.isEmpty()) {
      policies = List.of(AdmissionPolicy.defaultPolicy(ownNamespace, new HashSet<>(exemptNamespaces)));
    } else {
      try {
        policies = PolicyFiles.load(policyFiles);
      } catch (ManifestReader.ManifestException e) {
        spec.commandLine().getErr().println("daemonguard webhook: " + e.getMessage());
        return 2;
      }
    }
    WebhookMetrics metrics = new WebhookMetrics();
    ExemptionLabelGuard guard = new ExemptionLabelGuard(Set.copyOf(exemptionAdminUsers),
        exemptionAdminGroups.isEmpty() ? Set.of(ExemptionLabelGuard.CLUSTER_ADMINS) : Set.copyOf(exemptionAdminGroups));
    // closing the client also stops the informer that follows the policies
    KubernetesClient cluster = policiesFromCluster ? new KubernetesClientBuilder().build() : null;
    PolicySource source = cluster == null
        ? new FixedPolicies(policies) : new ClusterPolicies(policies.get(0)).start(cluster);
    AdmissionHandler handler = new AdmissionHandler(source, guard, metrics);
    int cores = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
    WebhookServer.Config config = new WebhookServer.Config(serving.host, serving.port, serving.tlsCert,
        serving.tlsKey, maxBodyBytes, serving.certReloadMillis(), cores);
    WebhookServer server;
    try {
      server = WebhookServer.start(vertx, config, handler, metrics).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      spec.commandLine().getErr().println("daemonguard webhook: cannot start: " + e.getMessage());
      vertx.close();
      if (cluster != null) {
        cluster.close();
      }
      return 2;
    }
    LOG.atInfo().setMessage("webhook ready").addKeyValue("port", server.port())
        .addKeyValue("policies", policiesFromCluster ? "the cluster's DaemonSecurityPolicies"
            : policies.stream().map(AdmissionPolicy::name).toList())
        .addKeyValue("eventLoops", cores).log();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("SIGTERM: no longer ready, finishing in-flight requests");
      try {
        server.markNotReady();
        Thread.sleep((long) (shutdownDelaySeconds * 1000));
        server.shutdown(10_000).await(15, TimeUnit.SECONDS);
        vertx.close().await(15, TimeUnit.SECONDS);
        if (cluster != null) {
          cluster.close();
        }
      } catch (Exception e) {
        LOG.warn("shutdown was not clean: {}", e.toString());
      }
      LOG.info("webhook stopped");
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
