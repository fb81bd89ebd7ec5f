package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.FuzzHeap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook under a sustained rate of mixed AdmissionReviews over TLS keep-alive connections: zero errors, every
 * verdict right, and the heap after GC as flat at the end as after the warm-up.
 *
 * <p>{@code -Dsoak.seconds} (default 20), {@code -Dsoak.rate} requests per second (default 500),
 * {@code -Dsoak.maxHeapGrowthMb} (default 32). The documented 10-minute run (docs/hardening.md):
 * {@code ./mvnw test -Dtest=WebhookSoakTest -Dsoak.seconds=600}.
 */
class WebhookSoakTest {

  private static final int SECONDS = Integer.getInteger("soak.seconds", 20);
  private static final int RATE = Integer.getInteger("soak.rate", 500);
  private static final long MAX_HEAP_GROWTH = Long.getLong("soak.maxHeapGrowthMb", 32) * 1024 * 1024;
  /** Client connections (keep-alive, reused), one worker thread each, as the apiserver keeps a few per webhook. */
  private static final int CONNECTIONS = Integer.getInteger("soak.connections", 16);
  /** Requests due but not yet sent; more than this is a backlog the server did not keep up with (an error). */
  private static final int MAX_QUEUED = RATE;
  private static final int WARM_UP_REQUESTS = 4000;
  private static final String UID = "SOAK-UID-PLACEHOLDER";

  /** Two event loops on a fixed port, as deployed. */
  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension().maxBodyBytes(WebhookCommand.DEFAULT_MAX_BODY_BYTES)
      .certReloadMillis(2000).eventLoops(2).httpVersion(HttpClient.Version.HTTP_1_1);

  /** One kind of request in the mix: its body (with a placeholder uid) and the verdict it must get. */
  private record Case(String name, String body, boolean allowed) {}

  private static List<Case> mix() throws Exception {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("privileged pod", body(Reviews.podCreate("team-a",
        Reviews.pod("priv", "[" + Reviews.container("app", true) + "]", "[]"))), false));
    cases.add(new Case("clean pod", body(Reviews.podCreate("team-a",
        Reviews.pod("ok", "[" + Reviews.container("app", false, "logs") + "]", "[" + Reviews.hostPath("logs", "/var/log")
            + "]"))), true));
    cases.add(new Case("root and socket mounts", body(Reviews.podCreate("team-a", Reviews.pod("mounts",
        "[" + Reviews.container("app", false, "root", "sock") + "]",
        "[" + Reviews.hostPath("root", "/tmp/../..") + "," + Reviews.hostPath("sock", "/var/run/docker.sock") + "]"))),
        false));
    cases.add(new Case("kube-system privileged", body(Reviews.podCreate("kube-system",
        Reviews.pod("sys", "[" + Reviews.container("app", true) + "]", "[]"))), true));
    cases.add(new Case("deployment /run", body(Reviews.review("apps", "v1", "Deployment", "deployments", null, "team-a",
        "web", "CREATE", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team-a"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"nginx","volumeMounts":[{"name":"run","mountPath":"/r"}]}],
         "volumes":[{"name":"run","hostPath":{"path":"/run/"}}]}}}}""", null)), false));
    cases.add(new Case("clean deployment update", body(Reviews.review("apps", "v1", "Deployment", "deployments", null,
        "team-a", "web", "UPDATE", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team-a"},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}""", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team-a"},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}}}""")), true));
    cases.add(new Case("pod delete", body(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "p", "DELETE", null,
        Reviews.pod("p", "[" + Reviews.container("app", true) + "]", "[]"))), true));
    cases.add(new Case("persistent volume //", body(Reviews.review("", "v1", "PersistentVolume", "persistentvolumes",
        null, null, "pv", "CREATE", """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv"},
         "spec":{"capacity":{"storage":"1Gi"},"hostPath":{"path":"//"}}}""", null)), false));
    return cases;
  }

  private static String body(ObjectNode review) throws Exception {
    ((ObjectNode) review.get("request")).put("uid", UID);
    return Reviews.JSON.writeValueAsString(review);
  }

  @Test
  void sustainedMixedLoadKeepsEveryVerdictAndAFlatHeap() throws Exception {
    run(webhook.client(), webhook.uri("/validate"), webhook.metrics());
  }

  /** One request to send: the case, its uid and its number, and when it was due (latency counts from then). */
  private record Job(Case c, long n, long dueAt) {}

  private void run(HttpClient client, URI uri, WebhookMetrics metrics) throws Exception {
    List<Case> cases = mix();
    AtomicLong sent = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
    // every measured request's latency in microseconds, by request number (allocated before the warm-up sample)
    long[] latency = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) RATE * SECONDS + RATE + 1)];
    BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    AtomicLong done = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < CONNECTIONS; w++) {
      Thread worker = new Thread(() -> {
        while (!stop.get() || !queue.isEmpty()) {
          Job job;
          try {
            job = queue.poll(100, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            return;
          }
          if (job == null) {
            continue;
          }
          String uid = "soak-" + job.n();
          String problem;
          try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(job.c().body().replace(UID, uid))).build(),
                HttpResponse.BodyHandlers.ofString());
            problem = check(job.c(), uid, response, null);
          } catch (Exception e) {
            problem = check(job.c(), uid, null, e);
          }
          if (job.n() > 0) {
            latency[(int) job.n()] = Math.max(1, (System.nanoTime() - job.dueAt()) / 1000);
          }
          if (problem == null) {
            ok.incrementAndGet();
          } else {
            fail(errors, firstErrors, job.c(), problem);
          }
          done.incrementAndGet();
        }
      }, "soak-client-" + w);
      worker.start();
      workers.add(worker);
    }

    // warm-up, unpaced and checked like the rest: connections opened, code compiled
    for (int i = 1; i <= WARM_UP_REQUESTS; i++) {
      queue.add(new Job(cases.get(i % cases.size()), -i, System.nanoTime()));
    }
    while (done.get() < WARM_UP_REQUESTS) {
      Thread.sleep(10);
    }
    long warmUpErrors = errors.get();

    long warmUpNanos = TimeUnit.SECONDS.toNanos(Math.max(5, SECONDS / 10));
    long durationNanos = TimeUnit.SECONDS.toNanos(SECONDS);
    long sampleEveryNanos = TimeUnit.SECONDS.toNanos(Math.max(10, SECONDS / 20));
    List<long[]> heap = new ArrayList<>(); // {second, used bytes after GC}
    long warmUpHeap = -1;
    long nextSample = warmUpNanos;

    long start = System.nanoTime();
    long now;
    while ((now = System.nanoTime()) - start < durationNanos) {
      long elapsed = now - start;
      long due = elapsed * RATE / 1_000_000_000L;
      while (sent.get() < due) {
        long n = sent.incrementAndGet();
        Case c = cases.get((int) (n % cases.size()));
        if (queue.size() >= MAX_QUEUED) {
          fail(errors, firstErrors, c, "backlog: " + MAX_QUEUED + " requests due and not sent");
          continue;
        }
        queue.add(new Job(c, n, start + n * 1_000_000_000L / RATE));
      }
      if (elapsed >= nextSample) {
        long used = FuzzHeap.usedAfterGc();
        if (warmUpHeap < 0) {
          warmUpHeap = used;
        }
        heap.add(new long[] {TimeUnit.NANOSECONDS.toSeconds(elapsed), used});
        nextSample += sampleEveryNanos;
      }
      LockSupport.parkNanos(500_000);
    }
    long loadNanos = System.nanoTime() - start;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(worker.isAlive()).as("all requests answered").isFalse();
    }
    long endHeap = FuzzHeap.usedAfterGc();
    heap.add(new long[] {TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), endHeap});
    long maxHeap = heap.stream().mapToLong(s -> s[1]).max().orElse(endHeap);
    long[] answered = Arrays.stream(latency, 1, (int) Math.min(latency.length, sent.get() + 1)).filter(l -> l > 0)
        .sorted().toArray();

    double achieved = answered.length / (loadNanos / 1e9);
    String summary = String.format(Locale.ROOT,
        "[soak] %d s at %d/s over %d keep-alive connections (after %d warm-up requests): %d requests, %d ok,"
            + " %d errors, answered %.1f/s; latency p50 %s, p99 %s, p99.9 %s, max %s; heap after GC: warm-up %.1f MB,"
            + " end %.1f MB, max %.1f MB; samples (s:MB) %s",
        SECONDS, RATE, CONNECTIONS, WARM_UP_REQUESTS, sent.get(), ok.get() - WARM_UP_REQUESTS + warmUpErrors,
        errors.get(), achieved, percentile(answered, 0.50), percentile(answered, 0.99), percentile(answered, 0.999),
        percentile(answered, 1.0), warmUpHeap / 1048576.0, endHeap / 1048576.0, maxHeap / 1048576.0, heap.stream()
            .map(s -> String.format(Locale.ROOT, "%d:%.1f", s[0], s[1] / 1048576.0)).toList());
    System.out.println(summary);

    assertThat(errors.get()).as("errors; first ones: %s", firstErrors).isZero();
    assertThat(ok.get()).isEqualTo(sent.get() + WARM_UP_REQUESTS);
    assertThat(achieved).as("the rate was sustained").isGreaterThan(RATE * 0.95);
    assertThat(endHeap - warmUpHeap).as("heap growth after warm-up (%s)", summary).isLessThan(MAX_HEAP_GROWTH);
    assertThat(requestsCounted(metrics.scrape())).as("the server counted every request")
        .isEqualTo(sent.get() + WARM_UP_REQUESTS);
  }

  private static String check(Case c, String uid, HttpResponse<String> response, Throwable failure) {
    if (failure != null) {
      return failure.toString();
    }
    if (response.statusCode() != 200) {
      return "status " + response.statusCode() + ": " + response.body();
    }
    try {
      JsonNode answer = Reviews.JSON.readTree(response.body()).path("response");
      if (!uid.equals(answer.path("uid").asText())) {
        return "uid " + answer.path("uid").asText() + " for " + uid;
      }
      if (answer.path("allowed").asBoolean(!c.allowed()) != c.allowed()) {
        return "allowed=" + answer.path("allowed") + ", expected " + c.allowed();
      }
      return null;
    } catch (Exception e) {
      return "unreadable response: " + e;
    }
  }

  private static void fail(AtomicLong errors, Queue<String> firstErrors, Case c, String problem) {
    if (errors.incrementAndGet() <= 10) {
      firstErrors.add(c.name() + ": " + problem);
    }
  }

  private static String percentile(long[] sortedMicros, double quantile) {
    if (sortedMicros.length == 0) {
      return "n/a";
    }
    long micros = sortedMicros[(int) Math.min(sortedMicros.length - 1, Math.ceil(sortedMicros.length * quantile) - 1)];
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  /** The sum of daemonguard_admission_requests_total over all its labels. */
  private static long requestsCounted(String scrape) {
    Matcher line = Pattern.compile("(?m)^daemonguard_admission_requests_total\\{[^}]*} ([0-9.eE+]+)$").matcher(scrape);
    double sum = 0;
    while (line.find()) {
      sum += Double.parseDouble(line.group(1));
    }
    return Math.round(sum);
  }
}
