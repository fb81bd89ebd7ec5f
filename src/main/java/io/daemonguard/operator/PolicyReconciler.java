package io.daemonguard.operator;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicyStatus;
import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodesStatus;
import io.daemonguard.operator.scan.PolicyNodeTally;
import io.daemonguard.report.EventRecorder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each DaemonSecurityPolicy with the shared compiler and says so in its status: observedGeneration and the Ready
 * condition (Valid, or InvalidSpec with the compiler's message). It reads the informer's copy only and writes only when
 * the status would change, so a periodic or restart-time reconcile of an unchanged policy makes no API call at all; an
 * Event accompanies each write, never a resync. No finalizer: nothing is cleaned up when a policy goes, and a policy
 * must stay deletable when the operator is not running ({@code helm uninstall}).
 */
@ControllerConfiguration(name = PolicyReconciler.NAME)
public final class PolicyReconciler implements Reconciler<DaemonSecurityPolicy> {

  static final String NAME = "daemonsecuritypolicy";
  static final String POLICY_READY = "PolicyReady";
  static final String POLICY_INVALID = "PolicyInvalid";
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);

  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  /** The node postures, tallied into status.nodes; null when the node side is off. */
  private volatile InformerEventSource<NodeDaemonPosture, DaemonSecurityPolicy> postures;
  private final boolean nodeSide;

  PolicyReconciler(EventRecorder events, OperatorMetrics metrics, Clock clock) {
    this(events, metrics, clock, false);
  }

  PolicyReconciler(EventRecorder events, OperatorMetrics metrics, Clock clock, boolean nodeSide) {
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.nodeSide = nodeSide;
  }

  @Override
  public List<EventSource<?, DaemonSecurityPolicy>> prepareEventSources(
      EventSourceContext<DaemonSecurityPolicy> context) {
    if (!nodeSide) {
      return List.of();
    }
    // any posture may count for any policy (selectors), and policies are few: a posture's change re-tallies them all
    postures = new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeDaemonPosture.class,
            DaemonSecurityPolicy.class)
        .withName("postures-for-policies")
        .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().keys().collect(Collectors.toSet()))
        .build(), context);
    return List.of(postures);
  }

  @Override
  public UpdateControl<DaemonSecurityPolicy> reconcile(DaemonSecurityPolicy policy, Context<DaemonSecurityPolicy> ctx) {
    PolicyVerdict verdict = PolicyVerdict.of(policy);
    metrics.follow(ctx.getPrimaryCache());
    DaemonSecurityPolicyStatus current = policy.getStatus();
    NodesStatus nodes = postures == null ? null
        : PolicyNodeTally.tally(policy.getMetadata().getName(), postures.list().toList());
    DaemonSecurityPolicyStatus desired = PolicyStatuses.desired(policy, verdict, clock.instant(), nodes);
    if (!PolicyStatuses.differs(current, desired)) {
      metrics.reconciled("unchanged");
      return UpdateControl.noUpdate();
    }
    boolean news = PolicyStatuses.readyChanged(current, desired);
    Long generation = policy.getMetadata().getGeneration();
    var log = verdict.valid() ? LOG.atInfo() : LOG.atWarn();
    log.setMessage(verdict.valid() ? "policy ready" : "policy invalid").addKeyValue("policy", policy.getMetadata()
        .getName()).addKeyValue("generation", generation).addKeyValue("reason", verdict.reason())
        .addKeyValue("message", verdict.message()).log();
    // an Event when the verdict is news, or when a new generation was judged: never for a resync
    if (news || !java.util.Objects.equals(current.getObservedGeneration(), generation)) {
      events.record(policy, verdict.valid() ? EventRecorder.Type.Normal : EventRecorder.Type.Warning,
          verdict.valid() ? POLICY_READY : POLICY_INVALID, "Compile",
          "Generation " + generation + ": " + verdict.message());
    }
    policy.setStatus(desired);
    metrics.reconciled(verdict.valid() ? "ready" : "invalid");
    return UpdateControl.patchStatus(policy);
  }
}
