package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.ExemptionLabelGuard;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bypasses found in a real cluster (host root through /proc, Windows nodes, a self-granted namespace exemption),
 * refused by the webhook over TLS with AdmissionReview bodies shaped like the apiserver's; their neighbours allowed.
 */
class BypassesOverTlsTest {

  private static final String SA = "system:serviceaccount:daemonguard:daemonguard";

  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension()
      .guard(new ExemptionLabelGuard(Set.of(SA), Set.of(ExemptionLabelGuard.CLUSTER_ADMINS)));

  private JsonNode podWithHostPath(String path) throws Exception {
    ObjectNode review = Reviews.podCreate("team-a", Reviews.pod("p",
        "[" + Reviews.container("app", false, "host") + "]", "[{\"name\":\"host\",\"hostPath\":{\"path\":\"x\"}}]"));
    ((ObjectNode) review.path("request").path("object").path("spec").path("volumes").get(0).path("hostPath"))
        .put("path", path);
    return webhook.admit(review);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "/proc/self/root               | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/root/..               | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/cwd                   | [host-root-mount] spec.volumes[0].hostPath.path",
      "/proc/1/root/run/docker.sock  | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "/proc/thread-self/root/var/run | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "C:\\                          | [host-root-mount] spec.volumes[0].hostPath.path",
      "c://                          | [host-root-mount] spec.volumes[0].hostPath.path",
      "\\\\.\\pipe\\docker_engine    | [runtime-socket-mount] spec.volumes[0].hostPath.path",
      "//./PIPE/Containerd-Containerd | [runtime-socket-mount] spec.volumes[0].hostPath.path",
  })
  void bypassesAreDenied(String path, String expected) throws Exception {
    JsonNode response = podWithHostPath(path);

    assertThat(response.path("allowed").asBoolean()).as(path).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("status").path("message").asText()).contains(expected, "Pod team-a/p");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/proc", "/proc/1", "/proc/self/root/data", "C:\\data", "\\\\.\\pipe\\my-app", "/var/log"})
  void neighboursAreAllowed(String path) throws Exception {
    assertThat(podWithHostPath(path).path("allowed").asBoolean()).as(path).isTrue();
  }

  @Test
  void hostProcessIsDeniedAndSaysSo() throws Exception {
    ObjectNode review = Reviews.podCreate("team-a", Reviews.pod("win",
        "[" + Reviews.container("agent", false) + "]", "[]"));
    ((ObjectNode) review.path("request").path("object").path("spec"))
        .putObject("securityContext").putObject("windowsOptions").put("hostProcess", true);

    JsonNode response = webhook.admit(review);

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("message").asText())
        .contains("[privileged-container] spec.securityContext.windowsOptions.hostProcess",
            "container \"agent\" runs as a Windows hostProcess")
        .doesNotContain("runs privileged");
  }

  private static ObjectNode namespaceReview(String operation, String user, List<String> groups,
      String newLabels, String oldLabels) {
    ObjectNode review = Reviews.review("", "v1", "Namespace", "namespaces", null, null, "team-a", operation,
        "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"team-a\",\"labels\":" + newLabels
            + "},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}",
        oldLabels == null ? null
            : "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"team-a\",\"labels\":" + oldLabels
                + "},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}");
    ObjectNode userInfo = (ObjectNode) review.path("request").path("userInfo");
    userInfo.put("username", user);
    ArrayNode array = userInfo.putArray("groups");
    groups.forEach(array::add);
    return review;
  }

  @Test
  void aDeveloperMayNotLabelTheirNamespaceExempt() throws Exception {
    JsonNode response = webhook.admit(namespaceReview("UPDATE", "alice", List.of("system:authenticated"),
        "{\"team\":\"a\",\"daemonguard.io/exempt\":\"true\"}", "{\"team\":\"a\"}"));

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
    assertThat(response.path("status").path("message").asText())
        .startsWith("daemonguard: Namespace team-a: [exemption-label] user \"alice\" may not add the label"
            + " daemonguard.io/exempt")
        .contains("spec.admission.exemptions.namespaces");
    assertThat(webhook.metrics().scrape())
        .contains("daemonguard_admission_requests_total{decision=\"deny\",kind=\"Namespace\",operation=\"UPDATE\"} 1.0")
        .contains("rule=\"exemption-label\"");
  }

  @Test
  void norCreateOneExemptNorRemoveTheLabelNorSpoofTheNameLabel() throws Exception {
    List<String> groups = List.of("system:authenticated");
    assertThat(webhook.admit(namespaceReview("CREATE", "alice", groups, "{\"daemonguard.io/exempt\":\"true\"}", null))
        .path("allowed").asBoolean()).isFalse();
    assertThat(webhook.admit(namespaceReview("UPDATE", "alice", groups, "{}", "{\"daemonguard.io/exempt\":\"true\"}"))
        .path("status").path("message").asText()).contains("may not remove the label");
    assertThat(webhook.admit(namespaceReview("CREATE", "alice", groups,
        "{\"kubernetes.io/metadata.name\":\"kube-system\"}", null)).path("status").path("message").asText())
        .contains("may not set the label kubernetes.io/metadata.name to \"kube-system\"");
  }

  @Test
  void adminsAndDaemonguardMayAndOtherChangesPass() throws Exception {
    assertThat(webhook.admit(namespaceReview("UPDATE", "kubernetes-admin", List.of("system:masters"),
        "{\"daemonguard.io/exempt\":\"true\"}", "{}")).path("allowed").asBoolean()).isTrue();
    assertThat(webhook.admit(namespaceReview("UPDATE", SA, List.of("system:serviceaccounts"),
        "{\"daemonguard.io/exempt\":\"true\"}", "{}")).path("allowed").asBoolean()).isTrue();
    assertThat(webhook.admit(namespaceReview("UPDATE", "alice", List.of("system:authenticated"),
        "{\"daemonguard.io/exempt\":\"true\",\"team\":\"b\"}", "{\"daemonguard.io/exempt\":\"true\"}"))
        .path("allowed").asBoolean()).isTrue();
  }
}
