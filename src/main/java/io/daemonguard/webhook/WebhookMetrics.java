package io.daemonguard.webhook;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.Outcome;
import io.daemonguard.admission.Violation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Requests by decision, kind and operation; violations by rule and action; a latency histogram. */
public final class WebhookMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer latency;

  public WebhookMetrics() {
    latency = Timer.builder("daemonguard.admission.duration")
        .description("Time to decide one AdmissionReview, from body received to response written")
        .serviceLevelObjectives(
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(250), Duration.ofSeconds(1))
        .register(registry);
  }

  /**
   * The kind label comes from the request, which anyone who reaches the port can write: at most this many distinct
   * kinds become labels, each a Kubernetes kind name; anything else counts as {@code other}, so the registry (and every
   * scrape) stays bounded.
   */
  static final int MAX_KINDS = 64;
  private static final java.util.regex.Pattern KIND_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");
  private final java.util.Set<String> kinds = ConcurrentHashMap.newKeySet();

  private String kindLabel(String kind) {
    if (kind == null || kinds.contains(kind)) {
      return kind;
    }
    if (kinds.size() >= MAX_KINDS || !KIND_NAME.matcher(kind).matches()) {
      return "other";
    }
    kinds.add(kind); // two racing threads may add one more each: still bounded
    return kind;
  }

  public void request(Outcome outcome, String requestKind, String operation) {
    String decision = outcome.label();
    String kind = kindLabel(requestKind);
    String key = decision + '|' + kind + '|' + operation;
    counters.computeIfAbsent(key, k -> Counter.builder("daemonguard.admission.requests")
        .description("AdmissionReview requests answered, by decision")
        .tag("decision", decision).tag("kind", kind).tag("operation", operation)
        .register(registry)).increment();
  }

  public void violations(Decision decision, String requestKind, String operation) {
    String kind = kindLabel(requestKind);
    for (Violation violation : decision.violations()) {
      violation(violation.rule().id(), violation.action().label(), kind, operation);
    }
  }

  /** One violation of a rule outside the policies' rules (the exemption-label guard), always enforced. */
  public void guardViolation(String rule, String requestKind, String operation) {
    violation(rule, Action.ENFORCE.label(), kindLabel(requestKind), operation);
  }

  private void violation(String rule, String action, String kind, String operation) {
    String key = "v|" + rule + '|' + action + '|' + kind + '|' + operation;
    counters.computeIfAbsent(key, k -> Counter.builder("daemonguard.admission.violations")
        .description("Rule violations found, by rule and the action taken")
        .tag("rule", rule).tag("action", action).tag("kind", kind).tag("operation", operation)
        .register(registry)).increment();
  }

  public void latency(long nanos) {
    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public String scrape() {
    return registry.scrape();
  }
}
