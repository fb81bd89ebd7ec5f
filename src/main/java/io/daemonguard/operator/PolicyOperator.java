package io.daemonguard.operator;

import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.operator.scan.NodeScanReconciler;
import io.daemonguard.operator.scan.NodeScanSettings;
import io.daemonguard.operator.sweep.SweepController;
import io.daemonguard.operator.sweep.SweepSettings;
import io.daemonguard.policy.ClusterPolicies;
import io.daemonguard.report.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * java-operator-sdk wired for daemonguard: one reconciler per resource (policies, and nodes for their posture),
 * server-side apply off,
 * leader election on a Lease, metrics without per-resource series.
 *
 * <p>SSA is off on purpose: the local cluster is Kubernetes 1.20, where server-side apply is beta with known status and
 * subresource tracking bugs (kubernetes#88981, fixed in 1.22) and could bump resourceVersion with no change, which
 * loops a reconciler. The status is written with a JSON Patch on the status subresource instead, and only when it
 * changes.
 *
 * <p>Leader election: informers run on every replica (so a standby is warm), only the leader reconciles. Losing the
 * lease exits the process, so two replicas never act at once; java-operator-sdk's own exit is off because it calls
 * System.exit from a callback that also runs during shutdown, where exit would block. On a clean stop the lease is
 * released, as client-go's ReleaseOnCancel does, so the standby takes over in a retry period, not a lease duration.
 */
public final class PolicyOperator {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyOperator.class);

  /** {@code leaseName} null: no leader election (one replica, or a test). */
  public record Settings(String identity, String eventsNamespace, String leaseName, String leaseNamespace,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Duration reconcileInterval) {

    public static Settings defaults(String identity) {
      return new Settings(identity, "default", null, null, Duration.ofSeconds(15), Duration.ofSeconds(10),
          Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    public Settings withLease(String name, String namespace) {
      return new Settings(identity, eventsNamespace, name, namespace, leaseDuration, renewDeadline, retryPeriod,
          reconcileInterval);
    }

    public Settings withEventsNamespace(String namespace) {
      return new Settings(identity, namespace, leaseName, leaseNamespace, leaseDuration, renewDeadline, retryPeriod,
          reconcileInterval);
    }

    public Settings withReconcileInterval(Duration interval) {
      return new Settings(identity, eventsNamespace, leaseName, leaseNamespace, leaseDuration, renewDeadline,
          retryPeriod, interval);
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final Operator operator;
  private final AtomicBoolean stopping = new AtomicBoolean();
  /** The audit of what already runs, or null when off. */
  private final SweepController sweep;
  private final ClusterPolicies policies;
  /** The node side (scans, postures), or null when off. */
  private final NodeScanReconciler nodeScan;

  PolicyOperator(KubernetesClient client, Settings settings, OperatorMetrics metrics, SweepSettings sweepSettings,
      AdmissionPolicy builtInDefault, NodeScanSettings nodeScanSettings) {
    this.client = client;
    this.settings = settings;
    this.metrics = metrics;
    this.events = new EventRecorder(client, settings.eventsNamespace(), "daemonguard-operator", settings.identity(),
        Clock.systemUTC());
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()));
      if (settings.leaseName() != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                settings.leaseName())
            .withLeaseNamespace(settings.leaseNamespace())
            .withIdentity(settings.identity())
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
            .build());
      }
    });
    operator.register(new PolicyReconciler(events, metrics, Clock.systemUTC(), nodeScanSettings != null),
        c -> c.withReconciliationMaxInterval(settings.reconcileInterval()));
    if (nodeScanSettings == null) {
      nodeScan = null;
    } else {
      nodeScan = new NodeScanReconciler(client, nodeScanSettings, events, metrics.registry(), Clock.systemUTC());
      operator.register(nodeScan);
    }
    if (sweepSettings == null) {
      policies = null;
      sweep = null;
    } else {
      // the policies in force exactly as the webhook follows them: last valid version, built-in default
      policies = new ClusterPolicies(builtInDefault);
      sweep = new SweepController(client, policies, events, metrics.registry(), sweepSettings, Clock.systemUTC());
    }
  }

  /** Starts the informers (they must sync before this returns) and, without leader election, acting at once. */
  public static PolicyOperator start(KubernetesClient client, Settings settings, OperatorMetrics metrics) {
    return start(client, settings, metrics, null, null, null);
  }

  /**
   * The same, with the audit of what already runs ({@code sweepSettings} null: without) and the node side
   * ({@code nodeScanSettings} null: without).
   */
  public static PolicyOperator start(KubernetesClient client, Settings settings, OperatorMetrics metrics,
      SweepSettings sweepSettings, AdmissionPolicy builtInDefault, NodeScanSettings nodeScanSettings) {
    PolicyOperator policyOperator = new PolicyOperator(client, settings, metrics, sweepSettings, builtInDefault,
        nodeScanSettings);
    if (policyOperator.sweep != null) {
      policyOperator.policies.start(client);
      policyOperator.sweep.start();
    }
    policyOperator.operator.start();
    if (settings.leaseName() == null) {
      policyOperator.startedLeading();
    }
    LOG.atInfo().setMessage("operator started").addKeyValue("identity", settings.identity())
        .addKeyValue("lease", settings.leaseName() == null ? "none (acting alone)"
            : settings.leaseNamespace() + "/" + settings.leaseName())
        .addKeyValue("eventsNamespace", settings.eventsNamespace()).log();
    return policyOperator;
  }

  /** Informers started and healthy; true on a standby as well, which is warm and ready to take over. */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy()
        && (sweep == null || sweep.synced());
  }

  public boolean leading() {
    return metrics.leading();
  }

  /** Stops acting, then hands the lease over if this replica held it. */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    boolean wasLeading = metrics.leading();
    if (sweep != null) {
      sweep.leading(false);
      sweep.stop();
    }
    if (nodeScan != null) {
      nodeScan.leading(false);
      nodeScan.stop();
    }
    operator.stop();
    metrics.leading(false);
    if (wasLeading && settings.leaseName() != null) {
      release();
    }
  }

  private void release() {
    LeaseLock lock = new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity());
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current != null && settings.identity().equals(current.getHolderIdentity())) {
        ZonedDateTime now = ZonedDateTime.now();
        lock.update(client, new LeaderElectionRecord(null, Duration.ofSeconds(1), now, now,
            current.getLeaderTransitions()));
        LOG.atInfo().setMessage("lease released").addKeyValue("lease", settings.leaseName()).log();
      }
    } catch (KubernetesClientException e) {
      // the standby then waits for the lease to expire, as after a crash
      LOG.atWarn().setMessage("could not release the lease").addKeyValue("error", e.getMessage()).log();
    }
  }

  private void startedLeading() {
    metrics.leading(true);
    if (sweep != null) {
      sweep.leading(true);
    }
    if (nodeScan != null) {
      nodeScan.leading(true);
    }
    LOG.atInfo().setMessage("leading: this replica now reconciles").addKeyValue("identity", settings.identity()).log();
  }

  private void stoppedLeading() {
    metrics.leading(false);
    if (sweep != null) {
      sweep.leading(false);
    }
    if (nodeScan != null) {
      nodeScan.leading(false);
    }
    if (stopping.get()) {
      return;
    }
    LOG.atError().setMessage("lost the lease; exiting so that two replicas never act at once")
        .addKeyValue("identity", settings.identity()).log();
    // not from this thread: exit runs the shutdown hook, which stops the executor this callback runs on
    new Thread(() -> System.exit(1), "lease-lost").start();
  }

  private void newLeader(String identity) {
    LOG.atInfo().setMessage("leader").addKeyValue("leader", identity).log();
  }
}
