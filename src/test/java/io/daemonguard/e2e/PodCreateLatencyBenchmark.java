package io.daemonguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, part 3: pod CREATE latency through the real apiserver with the webhook in the path and without it, in
 * the same run, interleaved so both see the same noise. "Without" is a namespace the webhook configuration
 * excludes (label daemonguard.io/exempt=true), so the apiserver never calls the webhook for it. The pods name a
 * node that does not exist: each create is a real write to etcd, but no kubelet starts 1,000 containers on two
 * cores and skews what is measured. Prints its figures; asserts only that the numbers are real.
 */
@Tag("e2e-bench")
class PodCreateLatencyBenchmark {

  private static final Pattern BUCKET = Pattern.compile(
      "daemonguard_admission_duration_seconds_bucket\\{le=\"([^\"]+)\"} ([0-9.E+-]+)");
  private static final int CREATES = Integer.getInteger("bench.creates", 500);
  // enough for the JIT to compile the webhook's hot path: a fresh replica is slower for its first few hundred
  private static final int WARMUP = Integer.getInteger("bench.warmup", 500);

  @Test
  void podCreateLatencyWithAndWithoutTheWebhook() throws Exception {
    E2eCluster cluster = new E2eCluster();
    String with = cluster.newNamespace("dg-bench-with");
    String without = cluster.newNamespace("dg-bench-without");
    cluster.client.namespaces().withName(without).edit(n -> new NamespaceBuilder(n).editMetadata()
        .addToLabels("daemonguard.io/exempt", "true").endMetadata().build());
    try {
      for (int i = 0; i < WARMUP; i++) {
        create(cluster, with, "warm-" + i);
        create(cluster, without, "warm-" + i);
      }
      Map<Double, Double> serverBefore = serverHistogram(cluster);
      long[] withNanos = new long[CREATES];
      long[] withoutNanos = new long[CREATES];
      for (int i = 0; i < CREATES; i++) {
        // alternate which goes first, so neither side always follows the other
        if (i % 2 == 0) {
          withNanos[i] = create(cluster, with, "p-" + i);
          withoutNanos[i] = create(cluster, without, "p-" + i);
        } else {
          withoutNanos[i] = create(cluster, without, "p-" + i);
          withNanos[i] = create(cluster, with, "p-" + i);
        }
      }
      Map<Double, Double> serverAfter = serverHistogram(cluster);
      Arrays.sort(withNanos);
      Arrays.sort(withoutNanos);
      System.out.println();
      System.out.printf(Locale.ROOT, "pod CREATE latency, %d creates each, Kubernetes %s.%s%n", CREATES,
          cluster.client.getKubernetesVersion().getMajor(), cluster.client.getKubernetesVersion().getMinor());
      System.out.printf(Locale.ROOT, "%-18s %8s %8s %8s %8s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
      print("without webhook", withoutNanos);
      print("with webhook", withNanos);
      System.out.printf(Locale.ROOT, "%-18s %8.2f %8.2f %8.2f%n", "added by webhook",
          ms(pct(withNanos, 50) - pct(withoutNanos, 50)), ms(pct(withNanos, 90) - pct(withoutNanos, 90)),
          ms(pct(withNanos, 99) - pct(withoutNanos, 99)));
      printServerSide(serverBefore, serverAfter);
      assertThat(withNanos[0]).isPositive();
      assertThat(withoutNanos[0]).isPositive();
    } finally {
      cluster.deleteNamespace(with);
      cluster.deleteNamespace(without);
      cluster.client.close();
    }
  }

  private static long create(E2eCluster cluster, String namespace, String name) {
    Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withNodeName("dg-bench-no-such-node")
        .addNewContainer().withName("app").withImage(E2eCluster.PAUSE_IMAGE).endContainer()
        .addNewVolume().withName("logs").withNewHostPath().withPath("/var/log").endHostPath().endVolume()
        .endSpec().build();
    long start = System.nanoTime();
    cluster.client.pods().inNamespace(namespace).resource(pod).create();
    return System.nanoTime() - start;
  }

  /**
   * The webhook's own latency histogram ({@code daemonguard_admission_duration_seconds}), cumulative counts by upper
   * bound in seconds, summed over its pods, read through the apiserver's pod proxy: the webhook's share of the added
   * latency, without the apiserver's and the network's.
   */
  private static Map<Double, Double> serverHistogram(E2eCluster cluster) {
    Map<Double, Double> buckets = new TreeMap<>();
    for (String text : cluster.webhookMetrics()) {
      Matcher bucket = BUCKET.matcher(text);
      while (bucket.find()) {
        double bound = bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1));
        buckets.merge(bound, Double.parseDouble(bucket.group(2)), Double::sum);
      }
    }
    return buckets;
  }

  private static void printServerSide(Map<Double, Double> before, Map<Double, Double> after) {
    double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      System.out.println("the webhook's own histogram: not readable through the pod proxy");
      return;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "the webhook's own time for the %.0f requests it judged meanwhile:", total));
    for (Map.Entry<Double, Double> bucket : after.entrySet()) {
      if (bucket.getKey().isInfinite()) {
        continue;
      }
      double share = (bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0)) / total;
      line.append(String.format(Locale.ROOT, " %.1f%% <= %s ms,", 100 * share,
          BigDecimal.valueOf(bucket.getKey() * 1000).stripTrailingZeros().toPlainString()));
      if (share >= 1) {
        break; // the larger bounds say nothing more
      }
    }
    line.setLength(line.length() - 1);
    System.out.println(line);
  }

  private static void print(String label, long[] sorted) {
    System.out.printf(Locale.ROOT, "%-18s %8.2f %8.2f %8.2f %8.2f%n", label, ms(pct(sorted, 50)), ms(pct(sorted, 90)),
        ms(pct(sorted, 99)), ms(sorted[sorted.length - 1]));
  }

  private static long pct(long[] sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
