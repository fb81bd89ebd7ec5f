package io.daemonguard.operator.scan;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bound on scans running at once. The Job informer's cache is the truth, but a Job just created reaches it a moment
 * later: until then it is counted from here, so reconciles of many nodes at once cannot each see a free slot.
 */
final class ScanSlots {
  /** Longer than any informer lag; a create the cache never shows (rejected, deleted at once) frees its slot then. */
  private static final Duration IN_FLIGHT = Duration.ofSeconds(30);

  private final int limit;
  private final Clock clock;
  private final Map<String, Instant> created = new HashMap<>();

  ScanSlots(int limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** Takes a slot for {@code job} when fewer than the limit run; {@code running}: the Jobs in the informer's cache. */
  synchronized boolean tryTake(String job, Set<String> running) {
    Instant now = clock.instant();
    created.entrySet().removeIf(e -> running.contains(e.getKey()) || e.getValue().plus(IN_FLIGHT).isBefore(now));
    if (running.size() + created.size() >= limit) {
      return false;
    }
    created.put(job, now);
    return true;
  }

  synchronized void release(String job) {
    created.remove(job);
  }
}
