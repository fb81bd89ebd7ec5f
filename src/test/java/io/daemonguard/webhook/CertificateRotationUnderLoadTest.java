package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonguard.admission.AdmissionPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The certificate files are replaced again and again while clients keep sending reviews over new and kept
 * connections: no request may fail, every verdict stays right, and the new certificates are really served.
 */
class CertificateRotationUnderLoadTest {

  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension().policies(AdmissionPolicy.defaultPolicy(null, Set.of()))
      .maxBodyBytes(1 << 20).certReloadMillis(50);

  @Test
  void rotatingTheCertificateUnderLoadCausesNoErrors() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      URI uri = webhook.uri("/validate");
      byte[] deny = Reviews.JSON.writeValueAsBytes(
          Reviews.podCreate("team-a", Reviews.pod("bad", "[" + Reviews.container("a", true) + "]", "[]")));
      byte[] allow = Reviews.JSON.writeValueAsBytes(
          Reviews.podCreate("team-a", Reviews.pod("ok", "[" + Reviews.container("a", false) + "]", "[]")));

      AtomicInteger requests = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      Set<String> servedSubjects = ConcurrentHashMap.newKeySet();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        boolean freshConnections = w % 2 == 0;
        workers.add(clients.submit(() -> {
          HttpClient kept = webhook.newClient();
          int i = 0;
          while (System.nanoTime() < deadline) {
            HttpClient client = freshConnections ? webhook.newClient() : kept;
            boolean bad = i++ % 2 == 0;
            try {
              HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bad ? deny : allow)).build(),
                  HttpResponse.BodyHandlers.ofString());
              JsonNode body = Reviews.JSON.readTree(response.body());
              if (response.statusCode() != 200 || body.path("response").path("allowed").asBoolean() == bad) {
                failures.incrementAndGet();
              }
              X509Certificate peer = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
              servedSubjects.add(peer.getSubjectX500Principal().getName());
            } catch (Exception e) {
              if (failures.incrementAndGet() < 3) {
                e.printStackTrace();
              }
            }
            requests.incrementAndGet();
          }
          return null;
        }));
      }
      for (int generation = 1; generation <= 10; generation++) {
        Thread.sleep(600);
        webhook.ca().writeServing(webhook.certFile(), webhook.keyFile(), "gen-" + generation, generation % 2 == 0);
      }
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }
      assertThat(failures.get()).as("failed or wrong answers out of %d requests", requests.get()).isZero();
      assertThat(requests.get()).isGreaterThan(100);
      // several generations were really served, not just the first
      assertThat(servedSubjects).contains("CN=" + WebhookExtension.FIRST_CN).hasSizeGreaterThan(3);
    } finally {
      clients.shutdownNow();
    }
  }
}
