package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A webhook on a real TLS port with its own CA, and an HTTP client that trusts it, for each test: register with
 * {@code @RegisterExtension WebhookExtension webhook = new WebhookExtension(...)}.
 */
public final class WebhookExtension implements BeforeEachCallback, AfterEachCallback {

  private final List<AdmissionPolicy> policies;
  private final ExemptionLabelGuard guard;
  private Path dir;
  private Vertx vertx;
  private WebhookServer server;
  private WebhookMetrics metrics;
  private HttpClient client;

  /** The built-in policy, daemonguard in namespace {@code daemonguard}, the default exemption admins. */
  public WebhookExtension() {
    this(List.of(AdmissionPolicy.defaultPolicy("daemonguard", Set.of())), ExemptionLabelGuard.defaults());
  }

  public WebhookExtension(List<AdmissionPolicy> policies, ExemptionLabelGuard guard) {
    this.policies = List.copyOf(policies);
    this.guard = guard;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("dg-webhook");
    TestCertificates ca = TestCertificates.newCa("test-ca");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    ca.writeServing(cert, key, "webhook", false);
    vertx = Vertx.vertx();
    metrics = new WebhookMetrics();
    server = WebhookServer.start(vertx, new WebhookServer.Config("127.0.0.1", 0, cert, key, 64 * 1024, 100, 1),
        new AdmissionHandler(policies, guard, metrics), metrics).await(20, TimeUnit.SECONDS);
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    client = HttpClient.newBuilder().sslContext(ca.clientContext()).sslParameters(parameters)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  public WebhookMetrics metrics() {
    return metrics;
  }

  public URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  /** POSTs the body to {@code /validate} as the apiserver does. */
  public HttpResponse<String> post(byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri("/validate?timeout=5s"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a review, checks it came back as an AdmissionReview for the same uid, and returns its {@code response}. */
  public JsonNode admit(ObjectNode review) throws Exception {
    HttpResponse<String> response = post(Reviews.JSON.writeValueAsBytes(review));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = Reviews.JSON.readTree(response.body());
    assertThat(body.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(body.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(body.path("response").path("uid").asText()).isEqualTo(Reviews.uid(review));
    return body.path("response");
  }
}
