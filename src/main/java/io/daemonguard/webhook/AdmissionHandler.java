package io.daemonguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.admission.InvalidObjectException;
import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Workload;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.policy.PolicyObjects;
import io.daemonguard.policy.PolicySource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** From an AdmissionReview body to the response body: decode, judge with the engine, encode. No I/O. */
public final class AdmissionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
  /** Prefixed by the apiserver with the webhook's name, e.g. {@code validate.daemonguard.io/violations}. */
  public static final String AUDIT_ANNOTATION = "violations";
  /** The id a refused DaemonSecurityPolicy is counted and logged under. */
  static final String INVALID_POLICY = "invalid-policy";
  private static final ObjectMapper WHOLE = new ObjectMapper();

  private final PolicySource policies;
  private final ExemptionLabelGuard guard;
  private final WebhookMetrics metrics;

  public AdmissionHandler(PolicySource policies, ExemptionLabelGuard guard, WebhookMetrics metrics) {
    this.policies = policies;
    this.guard = guard;
    this.metrics = metrics;
  }

  /** Whether the policies are in (the cluster's, once listed): until then the server reports itself not ready. */
  public boolean ready() {
    return policies.ready();
  }

  /** @throws BadRequestException when the body is not an AdmissionReview the webhook can judge */
  public byte[] handle(byte[] body) {
    return handle(body, 0, body.length);
  }

  /** As {@link #handle(byte[])}, for the {@code length} bytes of {@code body} from {@code offset}. */
  public byte[] handle(byte[] body, int offset, int length) {
    ReviewRequest request;
    try {
      request = AdmissionReviewCodec.decode(body, offset, length);
    } catch (BadRequestException e) {
      metrics.request(Outcome.ERROR, "unknown", "unknown");
      throw e;
    }
    String operation = request.operation();
    if (request.object() == null || !("CREATE".equals(operation) || "UPDATE".equals(operation))) {
      metrics.request(Outcome.ALLOW, request.kind(), operation);
      return AdmissionReviewCodec.encode(request.uid(), true, null, List.of(), Map.of());
    }
    if ("Namespace".equals(request.kind()) && (request.group() == null || request.group().isEmpty())) {
      return guardNamespace(request);
    }
    if ("DaemonSecurityPolicy".equals(request.kind()) && "daemonguard.io".equals(request.group())) {
      return validatePolicy(request, body, offset, length);
    }
    Workload workload;
    try {
      workload = WorkloadReader.read(request.object(), request.kind(), request.namespace());
      if (request.namespace() != null && !request.namespace().equals(workload.namespace())) {
        workload = workload.withNamespace(request.namespace());
      }
    } catch (InvalidObjectException e) {
      metrics.request(Outcome.ERROR, request.kind(), operation);
      throw new BadRequestException("request.object." + e.getMessage());
    }
    Decision decision = AdmissionEngine.evaluate(workload, policies.current());
    Outcome outcome = decision.outcome();
    if (outcome == Outcome.ALLOW) {
      metrics.request(outcome, request.kind(), operation);
      return AdmissionReviewCodec.encode(request.uid(), true, null, List.of(), Map.of());
    }
    if (!decision.allowed() && MirrorPods.isNodesOwnMirror(request)) {
      return admitMirror(request, workload, decision);
    }
    metrics.violations(decision, request.kind(), operation);
    metrics.request(outcome, request.kind(), operation);
    log(request, workload, decision, outcome);
    String message = decision.allowed() ? null : AdmissionMessages.denial(workload, decision);
    String audit = AdmissionMessages.audit(decision);
    return AdmissionReviewCodec.encode(
        request.uid(), decision.allowed(), message, AdmissionMessages.warnings(decision),
        audit.isEmpty() ? Map.of() : Map.of(AUDIT_ANNOTATION, audit));
  }

  /**
   * A static pod's mirror that would be refused: admitted (refusing it would only hide a pod the kubelet runs anyway),
   * every violation recorded in the audit annotation, logged, counted as audited; the audit then reports it.
   */
  private byte[] admitMirror(ReviewRequest request, Workload workload, Decision decision) {
    metrics.violations(decision, request.kind(), request.operation());
    metrics.request(Outcome.AUDIT, request.kind(), request.operation());
    StringBuilder audit = new StringBuilder();
    for (var violation : decision.violations()) {
      audit.append(audit.length() == 0 ? "" : "; ").append(violation.rule().id()).append(' ').append(violation.path());
    }
    LOG.atWarn().setMessage("static pod's mirror admitted: the kubelet runs it whatever admission says")
        .addKeyValue("uid", request.uid()).addKeyValue("namespace", workload.namespace())
        .addKeyValue("name", workload.name()).addKeyValue("user", request.username())
        .addKeyValue("rules", audit.toString()).log();
    return AdmissionReviewCodec.encode(request.uid(), true, null,
        List.of("daemonguard: static pod admitted as a mirror so that it stays visible; it breaks " + decision
            .violations().size() + " rule(s): remove it from the node's manifest directory"),
        Map.of(AUDIT_ANNOTATION, audit.toString()));
  }

  /**
   * A DaemonSecurityPolicy CREATE or UPDATE: refused with the compiler's words when {@code check --policy} would refuse
   * it, so that {@code kubectl apply} of a broken policy fails at the door. The decoder builds only what the rules read,
   * so the policy is read again whole: a rare request, and the body has already passed every strict check.
   */
  private byte[] validatePolicy(ReviewRequest request, byte[] body, int offset, int length) {
    String operation = request.operation();
    JsonNode policy;
    try {
      policy = WHOLE.readTree(body, offset, length).path("request").path("object");
    } catch (IOException e) {
      metrics.request(Outcome.ERROR, request.kind(), operation);
      throw new BadRequestException("request.object could not be read again: " + e.getMessage());
    }
    try {
      PolicyObjects.compile(policy);
    } catch (IllegalArgumentException e) {
      return refuse(request, request.name(), INVALID_POLICY,
          "daemonguard: [" + INVALID_POLICY + "] " + e.getMessage() + ". The policies in force stay as they are.");
    }
    metrics.request(Outcome.ALLOW, request.kind(), operation);
    return AdmissionReviewCodec.encode(request.uid(), true, null, List.of(), Map.of());
  }

  /** A Namespace CREATE or UPDATE: only the exemption labels are judged, by {@link ExemptionLabelGuard}. */
  private byte[] guardNamespace(ReviewRequest request) {
    String operation = request.operation();
    String name = request.name();
    if (name == null || name.isEmpty()) {
      name = request.object().path("metadata").path("name").asText("");
    }
    Optional<String> refusal;
    try {
      refusal = guard.check(name,
          ExemptionLabelGuard.labels(request.oldObject(), "request.oldObject"),
          ExemptionLabelGuard.labels(request.object(), "request.object"),
          request.username(), request.groups());
    } catch (InvalidObjectException e) {
      metrics.request(Outcome.ERROR, request.kind(), operation);
      throw new BadRequestException(e.getMessage());
    }
    if (refusal.isEmpty()) {
      metrics.request(Outcome.ALLOW, request.kind(), operation);
      return AdmissionReviewCodec.encode(request.uid(), true, null, List.of(), Map.of());
    }
    return refuse(request, name, ExemptionLabelGuard.ID, "daemonguard: Namespace " + name + ": " + refusal.get());
  }

  /** A refusal outside the policies' rules (a guard of daemonguard's own): counted, logged, answered 403. */
  private byte[] refuse(ReviewRequest request, String name, String rule, String message) {
    metrics.guardViolation(rule, request.kind(), request.operation());
    metrics.request(Outcome.DENY, request.kind(), request.operation());
    LOG.atInfo()
        .setMessage("admission " + Outcome.DENY.label())
        .addKeyValue("uid", request.uid())
        .addKeyValue("operation", request.operation())
        .addKeyValue("kind", request.kind())
        .addKeyValue("name", name)
        .addKeyValue("user", request.username())
        .addKeyValue("rules", rule)
        .log();
    return AdmissionReviewCodec.encode(request.uid(), false, message, List.of(), Map.of());
  }

  private static void log(ReviewRequest request, Workload workload, Decision decision, Outcome outcome) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.atInfo()
        .setMessage("admission " + outcome.label())
        .addKeyValue("uid", request.uid())
        .addKeyValue("operation", request.operation())
        .addKeyValue("kind", request.kind())
        .addKeyValue("namespace", workload.namespace())
        .addKeyValue("name", workload.name())
        .addKeyValue("user", request.username())
        .addKeyValue("rules", decision.violations().stream()
            .map(v -> v.rule().id() + ":" + v.path())
            .collect(Collectors.joining(",")))
        .log();
  }
}
