package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ImagePattern;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.RuntimeSockets;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over real TLS, with AdmissionReview bodies shaped like the apiserver's. */
class WebhookServerTest {

  private static final long MAX_BODY = 64 * 1024;

  @TempDir
  Path dir;

  private Vertx vertx;
  private WebhookServer server;
  private TestCertificates ca;
  private HttpClient client;
  private Path cert;
  private Path key;
  private WebhookMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    ca = TestCertificates.newCa("test-ca");
    cert = dir.resolve("tls.crt");
    key = dir.resolve("tls.key");
    ca.writeServing(cert, key, "first", false);
    startServer(List.of(AdmissionPolicy.defaultPolicy("daemonguard", Set.of())));
    client = client(ca.clientContext(), HttpClient.Version.HTTP_1_1);
  }

  private void startServer(List<AdmissionPolicy> policies) throws Exception {
    vertx = Vertx.vertx();
    metrics = new WebhookMetrics();
    server = WebhookServer.start(vertx,
        new WebhookServer.Config("127.0.0.1", 0, cert, key, MAX_BODY, 100, 1),
        new AdmissionHandler(policies, metrics), metrics).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static HttpClient client(SSLContext context, HttpClient.Version version) {
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    return HttpClient.newBuilder().sslContext(context).sslParameters(parameters).version(version)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/validate?timeout=5s"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode admit(ObjectNode review) throws Exception {
    HttpResponse<String> response = post(Reviews.JSON.writeValueAsBytes(review), "application/json");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = Reviews.JSON.readTree(response.body());
    assertThat(body.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(body.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(body.path("response").path("uid").asText()).isEqualTo(Reviews.uid(review));
    return body.path("response");
  }

  @Test
  void deniesEveryViolationWith403AndNamesRulesAndFields() throws Exception {
    String pod = Reviews.pod("bad",
        "[" + Reviews.container("app", true, "root") + "," + Reviews.container("side", false, "sock") + "]",
        "[" + Reviews.hostPath("root", "//") + "," + Reviews.hostPath("sock", "/var/run/docker.sock") + "]");
    JsonNode response = admit(Reviews.podCreate("team-a", pod));

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    String message = response.path("status").path("message").asText();
    assertThat(message)
        .contains("[host-root-mount] spec.volumes[0].hostPath.path")
        .contains("[privileged-container] spec.containers[0].securityContext.privileged")
        .contains("[runtime-socket-mount] spec.volumes[1].hostPath.path")
        .contains("Pod team-a/bad");
  }

  @Test
  void allowsACleanPodWithoutStatusOrWarnings() throws Exception {
    String pod = Reviews.pod("ok", "[" + Reviews.container("app", false, "logs") + "]",
        "[" + Reviews.hostPath("logs", "/var/log") + "]");
    JsonNode response = admit(Reviews.podCreate("team-a", pod));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("status")).isFalse();
    assertThat(response.has("warnings")).isFalse();
  }

  @Test
  void exemptNamespaceIsAllowed() throws Exception {
    String pod = Reviews.pod("sys", "[" + Reviews.container("app", true) + "]", "[]");
    assertThat(admit(Reviews.podCreate("kube-system", pod)).path("allowed").asBoolean()).isTrue();
    assertThat(admit(Reviews.podCreate("daemonguard", pod)).path("allowed").asBoolean()).isTrue();
    assertThat(admit(Reviews.podCreate("default", pod)).path("allowed").asBoolean()).isFalse();
  }

  @Test
  void judgesUpdatesToo() throws Exception {
    String old = Reviews.pod("p", "[" + Reviews.container("app", false) + "]", "[]");
    String updated = Reviews.pod("p", "[" + Reviews.container("app", true) + "]", "[]");
    JsonNode response = admit(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "p", "UPDATE", updated, old));
    assertThat(response.path("allowed").asBoolean()).isFalse();
  }

  @Test
  void ephemeralContainersSubresourceIn120ShapeIsDenied() throws Exception {
    String object = """
        {"kind":"EphemeralContainers","apiVersion":"v1","metadata":{"name":"web","namespace":"team-a"},
         "ephemeralContainers":[{"name":"debugger","image":"busybox","securityContext":{"privileged":true},
           "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}]}""";
    JsonNode response = admit(Reviews.review("", "v1", "EphemeralContainers", "pods", "ephemeralcontainers",
        "team-a", "web", "UPDATE", object, object.replace("\"debugger\"", "\"old\"")));
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("[privileged-container] ephemeralContainers[0].securityContext.privileged");
  }

  @Test
  void ephemeralContainersSubresourceIn122ShapeIsDenied() throws Exception {
    String pod = Reviews.pod("web", "[" + Reviews.container("app", false) + "]", "[]")
        .replace("\"containers\":", "\"ephemeralContainers\":[" + Reviews.container("debugger", true) + "],\"containers\":");
    JsonNode response = admit(Reviews.review("", "v1", "Pod", "pods", "ephemeralcontainers",
        "team-a", "web", "UPDATE", pod, pod));
    assertThat(response.path("status").path("message").asText())
        .contains("[privileged-container] spec.ephemeralContainers[0].securityContext.privileged");
  }

  @Test
  void deploymentTemplateAndPersistentVolumeAreJudged() throws Exception {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team-a"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
         "spec":{"containers":[{"name":"app","image":"nginx","volumeMounts":[{"name":"run","mountPath":"/r"}]}],
         "volumes":[{"name":"run","hostPath":{"path":"/run/"}}]}}}}""";
    JsonNode response = admit(Reviews.review("apps", "v1", "Deployment", "deployments", null, "team-a", "web",
        "CREATE", deployment, null));
    assertThat(response.path("status").path("message").asText())
        .contains("[runtime-socket-mount] spec.template.spec.volumes[0].hostPath.path");

    String pv = """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1"},
         "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/./"}}}""";
    JsonNode pvResponse = admit(Reviews.review("", "v1", "PersistentVolume", "persistentvolumes", null, null, "pv1",
        "CREATE", pv, null));
    assertThat(pvResponse.path("allowed").asBoolean()).isFalse();
    assertThat(pvResponse.path("status").path("message").asText()).contains("[host-root-mount] spec.hostPath.path");
  }

  @Test
  void deleteWithoutObjectIsAllowed() throws Exception {
    JsonNode response = admit(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "p", "DELETE", null,
        Reviews.pod("p", "[" + Reviews.container("app", true) + "]", "[]")));
    assertThat(response.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void warnPolicyAdmitsWithShortWarningsAndAuditPolicyAnnotates() throws Exception {
    stop();
    AdmissionPolicy warn = new AdmissionPolicy("warn-privileged", Map.of(RuleId.PRIVILEGED_CONTAINER, Action.WARN),
        RuntimeSockets.defaults(), Set.of(), Set.of(), List.<ImagePattern>of());
    AdmissionPolicy audit = new AdmissionPolicy("audit-sockets", Map.of(RuleId.RUNTIME_SOCKET_MOUNT, Action.AUDIT),
        RuntimeSockets.defaults(), Set.of(), Set.of(), List.<ImagePattern>of());
    startServer(List.of(warn, audit));
    String longName = "c".repeat(200);
    String pod = Reviews.pod("p", "[" + Reviews.container(longName, true, "sock") + "]",
        "[" + Reviews.hostPath("sock", "/run/containerd/containerd.sock") + "]");
    JsonNode response = admit(Reviews.podCreate("team-a", pod));

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("status")).isFalse();
    assertThat(response.path("warnings")).hasSize(1);
    String warning = response.path("warnings").get(0).asText();
    assertThat(warning).startsWith("daemonguard [privileged-container] spec.containers[0].securityContext.privileged");
    assertThat(warning.length()).isLessThan(120);
    assertThat(response.path("auditAnnotations").path(AdmissionHandler.AUDIT_ANNOTATION).asText())
        .isEqualTo("runtime-socket-mount spec.volumes[0].hostPath.path");
  }

  @Test
  void badRequestsGet400WithAReason() throws Exception {
    ObjectNode good = Reviews.podCreate("team-a", Reviews.pod("p", "[" + Reviews.container("a", true) + "]", "[]"));
    ObjectNode wrongKind = good.deepCopy().put("kind", "Pod");
    ObjectNode wrongVersion = good.deepCopy().put("apiVersion", "admission.k8s.io/v1beta1");
    ObjectNode noRequest = good.deepCopy();
    noRequest.remove("request");
    ObjectNode numericUid = good.deepCopy();
    ((ObjectNode) numericUid.get("request")).put("uid", 42);
    ObjectNode privilegedString = Reviews.podCreate("team-a", Reviews.pod("p",
        "[" + Reviews.container("a", true).replace("\"privileged\":true", "\"privileged\":\"true\"") + "]", "[]"));
    ObjectNode volumesObject = Reviews.podCreate("team-a", Reviews.pod("p", "[]", "{}"));
    String duplicate = Reviews.JSON.writeValueAsString(good).replaceFirst("\"kind\":\"AdmissionReview\"",
        "\"kind\":\"AdmissionReview\",\"kind\":\"AdmissionReview\"");
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    byte[] invalidUtf8 = Reviews.JSON.writeValueAsString(good).replace("busybox", "busy\u00ffbox")
        .getBytes(StandardCharsets.ISO_8859_1);

    assertBadRequest(post("not json".getBytes(), "application/json"), "not valid JSON");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(wrongKind), "application/json"), "kind is \"Pod\"");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(wrongVersion), "application/json"), "apiVersion");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(noRequest), "application/json"), "request is missing");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(numericUid), "application/json"), "request.uid");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(privilegedString), "application/json"),
        "spec.containers[0].securityContext.privileged: expected a boolean");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(volumesObject), "application/json"),
        "spec.volumes: expected an array");
    assertBadRequest(post(duplicate.getBytes(), "application/json"), "Duplicate field");
    assertBadRequest(post(deep.getBytes(), "application/json"), "nesting depth");
    assertBadRequest(post(invalidUtf8, "application/json"), "UTF-8");
    assertBadRequest(post("[]".getBytes(), "application/json"), "not a JSON object");
    assertBadRequest(post(new byte[0], "application/json"), "empty");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(good), "text/plain"), "Content-Type must be application/json");
    assertBadRequest(post(Reviews.JSON.writeValueAsBytes(good), null), "Content-Type must be application/json");
    assertBadRequest(post(new byte[(int) MAX_BODY + 1], "application/json"), "exceeds the limit of " + MAX_BODY);
    // and the server still answers properly afterwards
    assertThat(admit(good).path("allowed").asBoolean()).isFalse();
  }

  private static void assertBadRequest(HttpResponse<String> response, String reason) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains(reason);
  }

  @Test
  void servesHttp2AndRefusesOldTls() throws Exception {
    HttpClient h2 = client(ca.clientContext(), HttpClient.Version.HTTP_2);
    HttpResponse<String> response = h2.send(HttpRequest.newBuilder(uri("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);

    SSLParameters tls11 = new SSLParameters();
    tls11.setProtocols(new String[] {"TLSv1.1"});
    SSLContext context = ca.clientContext();
    HttpClient old = HttpClient.newBuilder().sslContext(context).sslParameters(tls11).build();
    assertThatThrownBy(() -> old.send(HttpRequest.newBuilder(uri("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    admit(Reviews.podCreate("team-a", Reviews.pod("p", "[" + Reviews.container("a", true) + "]", "[]")));
    admit(Reviews.podCreate("team-a", Reviews.pod("q", "[" + Reviews.container("a", false) + "]", "[]")));
    String metricsText = get("/metrics").body();
    assertThat(metricsText)
        .contains("daemonguard_admission_requests_total{decision=\"deny\",kind=\"Pod\",operation=\"CREATE\"} 1.0")
        .contains("daemonguard_admission_requests_total{decision=\"allow\",kind=\"Pod\",operation=\"CREATE\"} 1.0")
        .contains("daemonguard_admission_violations_total{action=\"Enforce\",kind=\"Pod\",operation=\"CREATE\","
            + "rule=\"privileged-container\"} 1.0")
        .contains("daemonguard_admission_duration_seconds_bucket");
    server.markNotReady();
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void reloadsTheCertificateWithoutDroppingOpenConnections() throws Exception {
    HttpResponse<String> first = get("/healthz");
    assertThat(peer(first).getSubjectX500Principal().getName()).isEqualTo("CN=first");

    X509Certificate second = ca.writeServing(cert, key, "second", true);
    // the connection opened before the swap keeps working; a new client sees the new certificate
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpClient fresh = client(ca.clientContext(), HttpClient.Version.HTTP_1_1);
      HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(uri("/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(peer(response).getSerialNumber()).isEqualTo(second.getSerialNumber());
    });
    HttpResponse<String> reused = get("/healthz");
    assertThat(reused.statusCode()).isEqualTo(200);
    assertThat(peer(reused).getSubjectX500Principal().getName()).isEqualTo("CN=first");
  }

  @Test
  void keepsTheOldCertificateWhenTheNewFilesAreBroken() throws Exception {
    java.nio.file.Files.writeString(cert, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
    assertThat(server.reloadIfChanged().await(5, TimeUnit.SECONDS)).isFalse();
    HttpClient fresh = client(ca.clientContext(), HttpClient.Version.HTTP_1_1);
    HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(uri("/healthz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(peer(response).getSubjectX500Principal().getName()).isEqualTo("CN=first");
  }

  @Test
  void refusesToStartWithUnreadableCertificate() {
    Vertx other = Vertx.vertx();
    try {
      assertThatThrownBy(() -> WebhookServer.start(other,
          new WebhookServer.Config("127.0.0.1", 0, dir.resolve("missing.crt"), key, MAX_BODY, 100, 1),
          new AdmissionHandler(List.of(), new WebhookMetrics()), new WebhookMetrics()).await(10, TimeUnit.SECONDS))
          .hasMessageContaining("--tls-cert").hasMessageContaining("missing.crt");
    } finally {
      other.close();
    }
  }

  private static X509Certificate peer(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }
}
