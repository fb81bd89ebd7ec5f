package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.admission.ImagePattern;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.RuntimeSockets;
import io.daemonguard.policy.FixedPolicies;
import io.vertx.core.Vertx;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook over real TLS, with AdmissionReview bodies shaped like the apiserver's. */
class WebhookServerTest {

  private static final long MAX_BODY = 64 * 1024;

  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension().maxBodyBytes(MAX_BODY).certReloadMillis(100)
      .httpVersion(HttpClient.Version.HTTP_1_1);

  @Test
  void deniesEveryViolationWith403AndNamesRulesAndFields() throws Exception {
    String pod = Reviews.pod("bad",
        "[" + Reviews.container("app", true, "root") + "," + Reviews.container("side", false, "sock") + "]",
        "[" + Reviews.hostPath("root", "//") + "," + Reviews.hostPath("sock", "/var/run/docker.sock") + "]");
    JsonNode response = webhook.admit(Reviews.podCreate("team-a", pod));

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
    JsonNode response = webhook.admit(Reviews.podCreate("team-a", pod));
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.has("status")).isFalse();
    assertThat(response.has("warnings")).isFalse();
  }

  @Test
  void exemptNamespaceIsAllowed() throws Exception {
    String pod = Reviews.pod("sys", "[" + Reviews.container("app", true) + "]", "[]");
    assertThat(webhook.admit(Reviews.podCreate("kube-system", pod)).path("allowed").asBoolean()).isTrue();
    assertThat(webhook.admit(Reviews.podCreate("daemonguard", pod)).path("allowed").asBoolean()).isTrue();
    assertThat(webhook.admit(Reviews.podCreate("default", pod)).path("allowed").asBoolean()).isFalse();
  }

  @Test
  void judgesUpdatesToo() throws Exception {
    String old = Reviews.pod("p", "[" + Reviews.container("app", false) + "]", "[]");
    String updated = Reviews.pod("p", "[" + Reviews.container("app", true) + "]", "[]");
    JsonNode response = webhook.admit(
        Reviews.review("", "v1", "Pod", "pods", null, "team-a", "p", "UPDATE", updated, old));
    assertThat(response.path("allowed").asBoolean()).isFalse();
  }

  @Test
  void ephemeralContainersSubresourceIn120ShapeIsDenied() throws Exception {
    String object = """
        {"kind":"EphemeralContainers","apiVersion":"v1","metadata":{"name":"web","namespace":"team-a"},
         "ephemeralContainers":[{"name":"debugger","image":"busybox","securityContext":{"privileged":true},
           "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}]}""";
    JsonNode response = webhook.admit(Reviews.review("", "v1", "EphemeralContainers", "pods", "ephemeralcontainers",
        "team-a", "web", "UPDATE", object, object.replace("\"debugger\"", "\"old\"")));
    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("[privileged-container] ephemeralContainers[0].securityContext.privileged");
  }

  @Test
  void ephemeralContainersSubresourceIn122ShapeIsDenied() throws Exception {
    String pod = Reviews.pod("web", "[" + Reviews.container("app", false) + "]", "[]").replace("\"containers\":",
        "\"ephemeralContainers\":[" + Reviews.container("debugger", true) + "],\"containers\":");
    JsonNode response = webhook.admit(Reviews.review("", "v1", "Pod", "pods", "ephemeralcontainers",
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
    JsonNode response = webhook.admit(Reviews.review("apps", "v1", "Deployment", "deployments", null, "team-a", "web",
        "CREATE", deployment, null));
    assertThat(response.path("status").path("message").asText())
        .contains("[runtime-socket-mount] spec.template.spec.volumes[0].hostPath.path");

    String pv = """
        {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1"},
         "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/./"}}}""";
    JsonNode pvResponse = webhook.admit(Reviews.review("", "v1", "PersistentVolume", "persistentvolumes", null, null,
        "pv1", "CREATE", pv, null));
    assertThat(pvResponse.path("allowed").asBoolean()).isFalse();
    assertThat(pvResponse.path("status").path("message").asText()).contains("[host-root-mount] spec.hostPath.path");
  }

  @Test
  void deleteWithoutObjectIsAllowed() throws Exception {
    JsonNode response = webhook.admit(Reviews.review("", "v1", "Pod", "pods", null, "team-a", "p", "DELETE", null,
        Reviews.pod("p", "[" + Reviews.container("app", true) + "]", "[]")));
    assertThat(response.path("allowed").asBoolean()).isTrue();
  }

  @Test
  void warnPolicyAdmitsWithShortWarningsAndAuditPolicyAnnotates() throws Exception {
    AdmissionPolicy warn = new AdmissionPolicy("warn-privileged", Map.of(RuleId.PRIVILEGED_CONTAINER, Action.WARN),
        RuntimeSockets.defaults(), Set.of(), Set.of(), List.<ImagePattern>of());
    AdmissionPolicy audit = new AdmissionPolicy("audit-sockets", Map.of(RuleId.RUNTIME_SOCKET_MOUNT, Action.AUDIT),
        RuntimeSockets.defaults(), Set.of(), Set.of(), List.<ImagePattern>of());
    webhook.policies(warn, audit);
    String longName = "c".repeat(200);
    String pod = Reviews.pod("p", "[" + Reviews.container(longName, true, "sock") + "]",
        "[" + Reviews.hostPath("sock", "/run/containerd/containerd.sock") + "]");
    JsonNode response = webhook.admit(Reviews.podCreate("team-a", pod));

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

    assertBadRequest(webhook.post("not json".getBytes()), "not valid JSON");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(wrongKind)), "kind is \"Pod\"");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(wrongVersion)), "apiVersion");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(noRequest)), "request is missing");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(numericUid)), "request.uid");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(privilegedString)),
        "spec.containers[0].securityContext.privileged: expected a boolean");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(volumesObject)),
        "spec.volumes: expected an array");
    assertBadRequest(webhook.post(duplicate.getBytes()), "Duplicate field");
    assertBadRequest(webhook.post(deep.getBytes()), "nesting depth");
    assertBadRequest(webhook.post(invalidUtf8), "UTF-8");
    assertBadRequest(webhook.post("[]".getBytes()), "not a JSON object");
    assertBadRequest(webhook.post(new byte[0]), "empty");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(good), "text/plain"),
        "Content-Type must be application/json");
    assertBadRequest(webhook.post(Reviews.JSON.writeValueAsBytes(good), null), "Content-Type must be application/json");
    assertBadRequest(webhook.post(new byte[(int) MAX_BODY + 1]), "exceeds the limit of " + MAX_BODY);
    // and the server still answers properly afterwards
    assertThat(webhook.admit(good).path("allowed").asBoolean()).isFalse();
  }

  private static void assertBadRequest(HttpResponse<String> response, String reason) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains(reason);
  }

  @Test
  void servesHttp2AndRefusesOldTls() throws Exception {
    HttpResponse<String> response = healthz(webhook.newClient(HttpClient.Version.HTTP_2));
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);

    SSLParameters tls11 = new SSLParameters();
    tls11.setProtocols(new String[] {"TLSv1.1"});
    HttpClient old = HttpClient.newBuilder().sslContext(webhook.ca().clientContext()).sslParameters(tls11).build();
    assertThatThrownBy(() -> healthz(old)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void healthReadinessAndMetrics() throws Exception {
    assertThat(webhook.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(webhook.get("/readyz").statusCode()).isEqualTo(200);
    webhook.admit(Reviews.podCreate("team-a", Reviews.pod("p", "[" + Reviews.container("a", true) + "]", "[]")));
    webhook.admit(Reviews.podCreate("team-a", Reviews.pod("q", "[" + Reviews.container("a", false) + "]", "[]")));
    String metricsText = webhook.get("/metrics").body();
    assertThat(metricsText)
        .contains("daemonguard_admission_requests_total{decision=\"deny\",kind=\"Pod\",operation=\"CREATE\"} 1.0")
        .contains("daemonguard_admission_requests_total{decision=\"allow\",kind=\"Pod\",operation=\"CREATE\"} 1.0")
        .contains("daemonguard_admission_violations_total{action=\"Enforce\",kind=\"Pod\",operation=\"CREATE\","
            + "rule=\"privileged-container\"} 1.0")
        .contains("daemonguard_admission_duration_seconds_bucket");
    webhook.server().markNotReady();
    assertThat(webhook.get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void reloadsTheCertificateWithoutDroppingOpenConnections() throws Exception {
    HttpResponse<String> first = webhook.get("/healthz");
    assertThat(peer(first).getSubjectX500Principal().getName()).isEqualTo("CN=" + WebhookExtension.FIRST_CN);

    X509Certificate second = webhook.ca().writeServing(webhook.certFile(), webhook.keyFile(), "second", true);
    // the connection opened before the swap keeps working; a new client sees the new certificate
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> response = healthz(webhook.newClient());
      assertThat(peer(response).getSerialNumber()).isEqualTo(second.getSerialNumber());
    });
    HttpResponse<String> reused = webhook.get("/healthz");
    assertThat(reused.statusCode()).isEqualTo(200);
    assertThat(peer(reused).getSubjectX500Principal().getName()).isEqualTo("CN=" + WebhookExtension.FIRST_CN);
  }

  @Test
  void keepsTheOldCertificateWhenTheNewFilesAreBroken() throws Exception {
    Files.writeString(webhook.certFile(), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
    // the reloader looks every 100 ms: through several of its ticks, the first certificate is still served
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(peer(healthz(webhook.newClient())).getSubjectX500Principal().getName())
            .isEqualTo("CN=" + WebhookExtension.FIRST_CN));
  }

  /** A server of its own: the extension's starts with good files. */
  @Test
  void refusesToStartWithUnreadableCertificate() {
    Vertx other = Vertx.vertx();
    WebhookMetrics metrics = new WebhookMetrics();
    try {
      assertThatThrownBy(() -> WebhookServer.start(other, new WebhookServer.Config("127.0.0.1", 0,
              webhook.certFile().resolveSibling("missing.crt"), webhook.keyFile(), MAX_BODY, 100, 1),
          new AdmissionHandler(new FixedPolicies(List.of()), ExemptionLabelGuard.defaults(), metrics), metrics)
          .await(10, TimeUnit.SECONDS))
          .hasMessageContaining("--tls-cert").hasMessageContaining("missing.crt");
    } finally {
      other.close();
    }
  }

  private HttpResponse<String> healthz(HttpClient client) throws Exception {
    return client.send(HttpRequest.newBuilder(webhook.uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static X509Certificate peer(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }
}
