package io.daemonguard.operator;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicyStatus;
import io.daemonguard.api.NodesStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status a policy should carry, from its verdict; pure, so the reconciler's one decision (write or not) is tested
 * without a cluster. Only what the policy reconciler owns is touched: observedGeneration, the Ready condition and, with the node side
 * on, status.nodes (tallied from the NodeDaemonPostures).
 * The audit and nodes sections, and any other condition, are carried over as they are.
 */
final class PolicyStatuses {

  static final String READY = "Ready";
  /** The CRD's limit on a condition message. */
  static final int MAX_MESSAGE = 32768;

  private PolicyStatuses() {}

  static DaemonSecurityPolicyStatus desired(DaemonSecurityPolicy policy, PolicyVerdict verdict, Instant now) {
    return desired(policy, verdict, now, null);
  }

  /** {@code nodes}: the node side's tally of the policy, or null when the node side is off (then carried over). */
  static DaemonSecurityPolicyStatus desired(DaemonSecurityPolicy policy, PolicyVerdict verdict, Instant now,
      NodesStatus nodes) {
    DaemonSecurityPolicyStatus current = policy.getStatus();
    DaemonSecurityPolicyStatus desired = new DaemonSecurityPolicyStatus();
    Long generation = policy.getMetadata().getGeneration();
    desired.setObservedGeneration(generation);
    String status = verdict.valid() ? "True" : "False";
    Condition previous = ready(current);
    String since = Conditions.transitionTime(previous, status, now);
    Condition ready = new ConditionBuilder()
        .withType(READY)
        .withStatus(status)
        .withReason(verdict.reason())
        .withMessage(truncate(verdict.message()))
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
    List<Condition> conditions = new ArrayList<>();
    if (current != null && current.getConditions() != null) {
      current.getConditions().stream().filter(c -> !READY.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(ready);
    desired.setConditions(conditions);
    if (current != null) {
      desired.setAudit(current.getAudit());
      desired.setNodes(current.getNodes());
    }
    if (nodes != null) {
      desired.setNodes(nodes);
    }
    return desired;
  }

  /** Whether {@code desired} differs from {@code current} in anything this reconciler writes. */
  static boolean differs(DaemonSecurityPolicyStatus current, DaemonSecurityPolicyStatus desired) {
    if (current == null) {
      return true;
    }
    Condition was = ready(current);
    Condition will = ready(desired);
    return !Objects.equals(current.getObservedGeneration(), desired.getObservedGeneration())
        || !Objects.equals(Serialization.jsonMapper().valueToTree(current.getNodes()),
            Serialization.jsonMapper().valueToTree(desired.getNodes()))
        || was == null
        || !Objects.equals(was.getStatus(), will.getStatus())
        || !Objects.equals(was.getReason(), will.getReason())
        || !Objects.equals(was.getMessage(), will.getMessage())
        || !Objects.equals(was.getObservedGeneration(), will.getObservedGeneration())
        || !Objects.equals(was.getLastTransitionTime(), will.getLastTransitionTime());
  }

  /** Whether the Ready condition says something new: its status, reason or message (not merely a new generation). */
  static boolean readyChanged(DaemonSecurityPolicyStatus current, DaemonSecurityPolicyStatus desired) {
    Condition was = ready(current);
    Condition will = ready(desired);
    return was == null
        || !Objects.equals(was.getStatus(), will.getStatus())
        || !Objects.equals(was.getReason(), will.getReason())
        || !Objects.equals(was.getMessage(), will.getMessage());
  }

  static Condition ready(DaemonSecurityPolicyStatus status) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> READY.equals(c.getType())).findFirst().orElse(null);
  }

  private static String truncate(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
