package io.daemonguard.webhook;

import io.daemonguard.admission.Decision;
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

  /** {@code decision} is one of allow, deny, warn, audit, error. */
  public void request(String decision, String kind, String operation) {
    String key = decision + '|' + kind + '|' + operation;
    counters.computeIfAbsent(key, k -> Counter.builder("daemonguard.admission.requests")
        .description("AdmissionReview requests answered, by decision")
        .tag("decision", decision).tag("kind", kind).tag("operation", operation)
        .register(registry)).increment();
  }

  public void violations(Decision decision, String kind, String operation) {
    for (Decision.Finding finding : decision.findings()) {
      String rule = finding.violation().rule().id();
      String action = finding.action().label();
      String key = "v|" + rule + '|' + action + '|' + kind + '|' + operation;
      counters.computeIfAbsent(key, k -> Counter.builder("daemonguard.admission.violations")
          .description("Rule violations found, by rule and the action taken")
          .tag("rule", rule).tag("action", action).tag("kind", kind).tag("operation", operation)
          .register(registry)).increment();
    }
  }

  public void latency(long nanos) {
    latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public String scrape() {
    return registry.scrape();
  }
}
