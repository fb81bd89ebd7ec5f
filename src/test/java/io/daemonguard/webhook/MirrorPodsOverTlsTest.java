package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A static pod's mirror is admitted (the kubelet runs the pod whatever admission says; refusing the mirror only hides
 * it), with what it breaks in the audit annotation. Anything that only looks like one is judged as any pod.
 */
class MirrorPodsOverTlsTest {

  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension();

  private static final String PRIVILEGED_MIRROR = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"etcd-node-1","namespace":"team-a",
       "annotations":{"kubernetes.io/config.mirror":"3f0c","kubernetes.io/config.source":"file"}},
       "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}""";

  private static ObjectNode as(ObjectNode review, String user, String... groups) {
    ObjectNode userInfo = (ObjectNode) review.path("request").path("userInfo");
    userInfo.put("username", user);
    var array = userInfo.putArray("groups");
    for (String group : groups) {
      array.add(group);
    }
    return review;
  }

  @Test
  void aNodesOwnMirrorIsAdmittedAndAudited() throws Exception {
    JsonNode response = webhook.admit(as(Reviews.podCreate("team-a", PRIVILEGED_MIRROR), "system:node:node-1",
        "system:nodes", "system:authenticated"));

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isTrue();
    assertThat(response.path("auditAnnotations").path("violations").asText())
        .isEqualTo("privileged-container spec.containers[0].securityContext.privileged");
    assertThat(response.path("warnings").get(0).asText()).startsWith("daemonguard: static pod admitted as a mirror");
    assertThat(webhook.metrics().scrape()).contains("decision=\"audit\"");
  }

  @Test
  void aMirrorForAnotherNodeIsRefused() throws Exception {
    JsonNode response = webhook.admit(as(Reviews.podCreate("team-a", PRIVILEGED_MIRROR), "system:node:node-2",
        "system:nodes", "system:authenticated"));

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isFalse();
  }

  @Test
  void theAnnotationFromAnyoneButANodeIsRefused() throws Exception {
    JsonNode response = webhook.admit(Reviews.podCreate("team-a", PRIVILEGED_MIRROR));

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isFalse();
    assertThat(response.path("status").path("message").asText()).contains("[privileged-container]");
  }

  @Test
  void aNodesPodWithoutTheMirrorAnnotationIsRefused() throws Exception {
    String pod = PRIVILEGED_MIRROR.replace("kubernetes.io/config.mirror", "example.com/other");
    JsonNode response = webhook.admit(as(Reviews.podCreate("team-a", pod), "system:node:node-1", "system:nodes"));

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isFalse();
  }

  @Test
  void aNameThatOnlyStartsLikeANodeIsNotOne() throws Exception {
    JsonNode response = webhook.admit(as(Reviews.podCreate("team-a", PRIVILEGED_MIRROR), "system:node:node-1",
        "system:authenticated"));

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isFalse();
  }
}
