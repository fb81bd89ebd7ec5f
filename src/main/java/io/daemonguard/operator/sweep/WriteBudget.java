package io.daemonguard.operator.sweep;

/**
 * How fast the sweep may write (reports, Events, statuses): a token bucket, so that a policy change across 10,000
 * workloads is reported at a steady rate instead of in one burst at the apiserver. Only the sweep's one thread takes
 * from it.
 */
final class WriteBudget {

  private final double perSecond;
  private final double burst;
  private double tokens;
  private long refilledNanos;

  WriteBudget(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilledNanos = System.nanoTime();
  }

  /** Waits until a write may go. */
  synchronized void take() throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - refilledNanos) / 1e9 * perSecond);
      refilledNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      long waitNanos = (long) ((1 - tokens) / perSecond * 1e9);
      wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
    }
  }

  double perSecond() {
    return perSecond;
  }
}
