package io.daemonguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DaemonSecurityPolicy CREATE and UPDATE are judged by the same compiler as {@code check --policy}. */
class PolicyValidationOverTlsTest {

  @RegisterExtension
  final WebhookExtension webhook = new WebhookExtension();

  private JsonNode review(String operation, String admission) throws Exception {
    String policy = "{\"apiVersion\":\"daemonguard.io/v1alpha1\",\"kind\":\"DaemonSecurityPolicy\","
        + "\"metadata\":{\"name\":\"baseline\",\"generation\":1},\"spec\":{\"admission\":" + admission + "}}";
    return webhook.admit(Reviews.review("daemonguard.io", "v1alpha1", "DaemonSecurityPolicy", "daemonsecuritypolicies",
        null, null, "baseline", operation, policy, operation.equals("UPDATE") ? policy : null));
  }

  @Test
  void aValidPolicyIsAdmitted() throws Exception {
    JsonNode response = review("CREATE", """
        {"action":"Enforce","rules":{"privilegedContainer":{"action":"Warn"},
         "runtimeSocketMount":{"extraPaths":["/run/my.sock","\\\\\\\\.\\\\pipe\\\\my-runtime"]}},
         "exemptions":{"namespaces":["monitoring"],"serviceAccounts":["security/scanner"],"images":["r.example/x:*"]}}""");

    assertThat(response.path("allowed").asBoolean()).as("%s", response).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"exemptions\":{\"serviceAccounts\":[\"scanner\"]}}          | spec.admission.exemptions.serviceAccounts: \"scanner\" is not namespace/name",
      "{\"action\":\"Block\"}                                       | spec.admission.action: \"Block\" is not one of Enforce, Warn, Audit",
      "{\"rules\":{\"runtimeSocketMount\":{\"extraPaths\":[\"run/x.sock\"]}}} | \"run/x.sock\" is not an absolute path",
      "{\"rules\":{\"hostRootMount\":{},\"privilegedContainr\":{}}}  | spec.admission.rules: no such field \"privilegedContainr\" (known here: hostRootMount, privilegedContainer, runtimeSocketMount)",
  })
  void anInvalidPolicyIsRefusedNamingTheField(String admission, String expected) throws Exception {
    for (String operation : new String[] {"CREATE", "UPDATE"}) {
      JsonNode response = review(operation, admission);

      assertThat(response.path("allowed").asBoolean()).as("%s %s", operation, response).isFalse();
      assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
      assertThat(response.path("status").path("message").asText())
          .startsWith("daemonguard: [invalid-policy] DaemonSecurityPolicy baseline: ")
          .contains(expected)
          .endsWith("The policies in force stay as they are.");
    }
    assertThat(webhook.metrics().scrape()).contains("rule=\"invalid-policy\"");
  }
}
