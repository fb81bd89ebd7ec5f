package io.daemonguard.operator;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own series, beside java-operator-sdk's (registered without per-resource series: one series per object
 * would grow with the cluster). Policy readiness is counted from the informer's cache at scrape time.
 */
final class OperatorMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> reconciles = new ConcurrentHashMap<>();
  private final AtomicInteger leader = new AtomicInteger();
  /** The informer's cache of policies, read at scrape time, so a deleted policy is gone from the figures at once. */
  private volatile Cache<DaemonSecurityPolicy> policies;

  OperatorMetrics() {
    Gauge.builder("daemonguard.operator.leader", leader, AtomicInteger::get)
        .description("1 while this replica holds the lease and acts, 0 while it stands by")
        .register(registry);
    for (String ready : new String[] {"True", "False", "Unknown"}) {
      Gauge.builder("daemonguard.policies", this, m -> m.countReady(ready))
          .description("DaemonSecurityPolicies by their Ready condition (Unknown: not judged yet); alert on"
              + " ready=\"False\" > 0")
          .tag("ready", ready).register(registry);
    }
  }

  void follow(Cache<DaemonSecurityPolicy> cache) {
    policies = cache;
  }

  private double countReady(String wanted) {
    Cache<DaemonSecurityPolicy> cache = policies;
    if (cache == null) {
      return 0;
    }
    return cache.list().filter(p -> {
      var ready = PolicyStatuses.ready(p.getStatus());
      return wanted.equals(ready == null ? "Unknown" : ready.getStatus());
    }).count();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  void leading(boolean leading) {
    leader.set(leading ? 1 : 0);
  }

  boolean leading() {
    return leader.get() == 1;
  }

  /** result: unchanged (no write), ready or invalid (status written). */
  void reconciled(String result) {
    reconciles.computeIfAbsent(result, r -> Counter.builder("daemonguard.policy.reconciles")
        .description("Policy reconciles by result: unchanged made no API write; ready and invalid wrote the status")
        .tag("result", r).register(registry)).increment();
  }

  double reconciles(String result) {
    Counter counter = reconciles.get(result);
    return counter == null ? 0 : counter.count();
  }
}
