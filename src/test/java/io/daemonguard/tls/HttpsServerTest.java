package io.daemonguard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The operator's kind of HTTPS port, on a real TLS socket, with a throwaway CA that the clients alone trust. */
class HttpsServerTest {

  private static TestCertificates ca;

  @TempDir
  Path dir;
  private Path cert;
  private Path key;
  private X509Certificate first;
  private Vertx vertx;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(HttpsServer.class);
  private Level level;

  @BeforeAll
  static void newCa() throws Exception {
    ca = TestCertificates.newCa("https-server-test-ca");
  }

  @BeforeEach
  void setUp() throws Exception {
    cert = dir.resolve("tls.crt");
    key = dir.resolve("tls.key");
    first = ca.writeServing(cert, key, "first", false);
    vertx = Vertx.vertx();
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.detachAppender(logs);
    logger.setLevel(level);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpsServer start(long certReloadMillis) throws Exception {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> ctx.response().end("ok"));
    return HttpsServer.start(vertx, new HttpsServer.Config("127.0.0.1", 0, cert, key, certReloadMillis), router)
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void servesTheRouteOverTlsWithTheCertificateOfItsFiles() throws Exception {
    HttpsServer server = start(3_600_000);

    HttpResponse<String> response = get(newClient(), server, "/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
    assertThat(peer(response).getSerialNumber()).isEqualTo(first.getSerialNumber());
    assertThat(response.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(get(newClient(), server, "/nothing-here").statusCode()).as("the router's, not a catch-all")
        .isEqualTo(404);
    // what the reloader says is said as this server (the test certificates live a day: it also warns of their end)
    assertThat(logs.list).extracting(ILoggingEvent::getMessage).first().isEqualTo("serving");
  }

  @Test
  void refusesPlainHttp() throws Exception {
    HttpsServer server = start(3_600_000);

    String answer = plainGet(server.port());
    assertThat(answer).as("an answer to plain HTTP").doesNotStartWith("HTTP/").doesNotContain("ok");
    assertThat(get(newClient(), server, "/healthz").statusCode()).as("still serving TLS").isEqualTo(200);
  }

  @Test
  void refusesToStartWithACertificateAndAKeyThatDoNotBelongTogether() throws Exception {
    ca.writeServing(dir.resolve("other.crt"), dir.resolve("other.key"), "other", false);
    Files.copy(dir.resolve("other.crt"), cert, StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> start(3_600_000))
        .hasMessageContaining("--tls-cert " + cert)
        .hasMessageContaining("--tls-key " + key)
        .hasMessageContaining("the key does not belong to the certificate");
  }

  @Test
  void refusesToStartWithoutItsKey() throws Exception {
    Files.delete(key);

    assertThatThrownBy(() -> start(3_600_000)).hasMessageContaining("--tls-key " + key);
  }

  @Test
  void servesARotatedCertificateToNewConnectionsAndKeepsTheOpenOnes() throws Exception {
    HttpsServer server = start(50);
    HttpClient before = newClient();
    assertThat(peer(get(before, server, "/healthz")).getSerialNumber()).isEqualTo(first.getSerialNumber());

    X509Certificate second = ca.writeServing(cert, key, "second", true);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(peer(get(newClient(), server, "/healthz")).getSerialNumber())
            .isEqualTo(second.getSerialNumber()));
    HttpResponse<String> reused = get(before, server, "/healthz");
    assertThat(reused.statusCode()).isEqualTo(200);
    assertThat(peer(reused).getSerialNumber()).as("the connection opened before").isEqualTo(first.getSerialNumber());
  }

  @Test
  void shutdownStopsListeningAndReloading() throws Exception {
    HttpsServer server = start(50);
    int port = server.port();
    assertThat(get(newClient(), server, "/healthz").statusCode()).isEqualTo(200);

    server.shutdown(1_000).await(10, TimeUnit.SECONDS);

    // Vert.x 5.0 completes the shutdown a few milliseconds before its acceptor has closed the listening socket
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class));
    int said = logs.list.size();
    ca.writeServing(cert, key, "second", false);
    // a loop still running would reload (or fail to) and say so within a tick or two of 50 ms
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(logs.list).hasSize(said));
  }

  private static HttpClient newClient() throws Exception {
    // a client of its own per connection wanted: its own SSLContext, so no session is resumed with an old certificate
    return HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> get(HttpClient client, HttpsServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static X509Certificate peer(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  /** What a plain HTTP request is answered with, until the server closes the connection. */
  private static String plainGet(int port) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // the connection reset: refused, with what was read before
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }
}
