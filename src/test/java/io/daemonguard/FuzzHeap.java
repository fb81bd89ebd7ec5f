package io.daemonguard;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Memory stays flat while fuzzing: every {@code fuzz.heap.every} executions (default 250,000) of a fuzz target, the
 * heap is measured after a full GC and printed; a later sample more than {@code fuzz.heap.maxGrowthMb} (default 128)
 * above the first one fails the target. Never triggers in regression mode (a handful of seeds).
 */
public final class FuzzHeap {

  private static final long EVERY = Long.getLong("fuzz.heap.every", 250_000);
  private static final long MAX_GROWTH = Long.getLong("fuzz.heap.maxGrowthMb", 128) * 1024 * 1024;
  private static final ConcurrentMap<String, long[]> TARGETS = new ConcurrentHashMap<>();

  private FuzzHeap() {}

  /** Call once per execution; {@code target} names the fuzz target in the output. */
  public static void sample(String target) {
    long[] state = TARGETS.computeIfAbsent(target, t -> new long[] {0, -1});
    long executions = ++state[0];
    if (executions % EVERY != 0) {
      return;
    }
    long used = usedAfterGc();
    if (state[1] < 0) {
      state[1] = used;
    }
    System.err.printf(Locale.ROOT, "[fuzz-heap] %s executions=%d heapAfterGc=%.1fMB (first sample %.1fMB)%n",
        target, executions, used / 1048576.0, state[1] / 1048576.0);
    if (used - state[1] > MAX_GROWTH) {
      throw new AssertionError(String.format(Locale.ROOT,
          "%s: heap after GC grew from %.1f MB to %.1f MB over %d executions", target, state[1] / 1048576.0,
          used / 1048576.0, executions));
    }
  }

  public static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
