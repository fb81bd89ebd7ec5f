package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.policy.PolicySource;
import io.daemonguard.tls.TestCertificates;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A webhook on a real TLS port, with a throwaway CA, and HTTP clients that trust that CA only.
 *
 * <p>One webhook per test: {@code @RegisterExtension final WebhookExtension webhook = new WebhookExtension();}. One
 * for the whole class: the same on a {@code static} field. Settings are withers on the declaration, e.g.
 * {@code new WebhookExtension().maxBodyBytes(1 << 20).certReloadMillis(50)}. {@link #policies} may also be called in a
 * test: the requests after it are judged by the new policies.
 */
public final class WebhookExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** The common name of the serving certificate the webhook starts with. */
  public static final String FIRST_CN = "webhook";

  private volatile List<AdmissionPolicy> policies = List.of(AdmissionPolicy.defaultPolicy("daemonguard", Set.of()));
  private ExemptionLabelGuard guard = ExemptionLabelGuard.defaults();
  private long maxBodyBytes = 64 * 1024;
  private long certReloadMillis = 100;
  private int eventLoops = 1;
  private HttpClient.Version httpVersion = HttpClient.Version.HTTP_2; // the JDK's default: h2 when ALPN offers it

  private boolean perClass;
  private Path dir;
  private TestCertificates ca;
  private Vertx vertx;
  private WebhookServer server;
  private WebhookMetrics metrics;
  private HttpClient client;

  /** The built-in policy, daemonguard in namespace {@code daemonguard}, the default exemption admins. */
  public WebhookExtension() {}

  public WebhookExtension policies(AdmissionPolicy... policies) {
    this.policies = List.of(policies);
    return this;
  }

  public WebhookExtension guard(ExemptionLabelGuard guard) {
    this.guard = guard;
    return this;
  }

  public WebhookExtension maxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public WebhookExtension certReloadMillis(long certReloadMillis) {
    this.certReloadMillis = certReloadMillis;
    return this;
  }

  /** Serves from this many event loops on a fixed free port, as deployed (a random port gets one). */
  public WebhookExtension eventLoops(int eventLoops) {
    this.eventLoops = eventLoops;
    return this;
  }

  /** The HTTP version of {@link #client()} and {@link #newClient()}. */
  public WebhookExtension httpVersion(HttpClient.Version httpVersion) {
    this.httpVersion = httpVersion;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true; // a static field: only those get beforeAll
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  private void start() throws Exception {
    dir = Files.createTempDirectory("dg-webhook");
    ca = TestCertificates.newCa("test-ca");
    ca.writeServing(certFile(), keyFile(), FIRST_CN, false);
    int port = 0; // Vert.x gives a random port to one instance only
    if (eventLoops > 1) {
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
    }
    vertx = Vertx.vertx();
    metrics = new WebhookMetrics();
    PolicySource current = () -> policies;
    server = WebhookServer.start(vertx, new WebhookServer.Config("127.0.0.1", port, certFile(), keyFile(),
            maxBodyBytes, certReloadMillis, eventLoops),
        new AdmissionHandler(current, guard, metrics), metrics).await(20, TimeUnit.SECONDS);
    client = newClient();
  }

  private void stop() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx = null;
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** The CA that signed the serving certificate; {@code ca().writeServing(certFile(), keyFile(), ...)} rotates it. */
  public TestCertificates ca() {
    return ca;
  }

  public Path certFile() {
    return dir.resolve("tls.crt");
  }

  public Path keyFile() {
    return dir.resolve("tls.key");
  }

  public WebhookServer server() {
    return server;
  }

  public WebhookMetrics metrics() {
    return metrics;
  }

  /** The client the helpers below use, its connections kept alive across requests. */
  public HttpClient client() {
    return client;
  }

  /** A client of its own, with new connections. */
  public HttpClient newClient() throws Exception {
    return newClient(httpVersion);
  }

  public HttpClient newClient(HttpClient.Version version) throws Exception {
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    return HttpClient.newBuilder().sslContext(ca.clientContext()).sslParameters(parameters).version(version)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  public HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs the body to {@code /validate} as the apiserver does. */
  public HttpResponse<String> post(byte[] body) throws Exception {
    return post(body, "application/json");
  }

  /** As {@link #post(byte[])}, with this Content-Type, or none when null. */
  public HttpResponse<String> post(byte[] body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/validate?timeout=5s"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
