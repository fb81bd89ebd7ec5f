package io.daemonguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.SocketRuleSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The policy reconciler against the real kube-apiserver and etcd of the e2e cluster (no kubelet needed): the operator
 * runs in this JVM on a client that records every request that is not a read, so "a reconcile that finds nothing
 * changed makes zero API writes" is counted, not assumed. The chart's operator is scaled to zero meanwhile, so that
 * only this one acts, and restored afterwards.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyOperatorE2eTest {

  private static final String LABEL = "daemonguard.io/e2e";
  /** Objects with this label skip the webhook while the test writes what "arrived while the webhook was down". */
  private static final String BYPASS = "daemonguard.io/e2e-written-while-webhook-down";

  private InProcessOperatorCluster cluster;
  private KubernetesClient admin;
  private KubernetesClient counted;
  private List<String> writes;
  private PolicyOperator operator;
  private OperatorMetrics metrics;

  @BeforeAll
  void setUp() throws Exception {
    cluster = new InProcessOperatorCluster();
    admin = cluster.admin;
    counted = cluster.counted;
    writes = cluster.writes;
  }

  @AfterAll
  void tearDown() {
    if (operator != null) {
      operator.stop();
    }
    if (cluster != null) {
      admin.resources(DaemonSecurityPolicy.class).withLabel(LABEL, "operator").delete();
      cluster.close();
    }
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  private void startOperator(Duration reconcileInterval) {
    metrics = new OperatorMetrics();
    operator = PolicyOperator.start(counted, PolicyOperator.Settings.defaults("e2e-" + UUID.randomUUID())
        .withReconcileInterval(reconcileInterval), metrics);
  }

  private DaemonSecurityPolicy create(String name, String privilegedAction, Map<String, String> extraLabels) {
    DaemonSecurityPolicy policy = PolicyStatusesTest.policy(name, 1, privilegedAction);
    policy.getMetadata().setUid(null);
    policy.getMetadata().setGeneration(null);
    policy.getMetadata().setLabels(new java.util.HashMap<>(extraLabels));
    policy.getMetadata().getLabels().put(LABEL, "operator");
    return admin.resources(DaemonSecurityPolicy.class).resource(policy).create();
  }

  private Condition readyOf(String name) {
    DaemonSecurityPolicy policy = admin.resources(DaemonSecurityPolicy.class).withName(name).get();
    return policy == null ? null : PolicyStatuses.ready(policy.getStatus());
  }

  private List<Event> eventsAbout(DaemonSecurityPolicy policy) {
    return admin.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> policy.getMetadata().getUid().equals(e.getInvolvedObject().getUid())).toList();
  }

  @Test
  void aValidPolicyBecomesReadyWithOneEventAndAnUnchangedOneIsNeverWrittenAgain() {
    String name = "dg-e2e-op-" + UUID.randomUUID().toString().substring(0, 6);
    DaemonSecurityPolicy created = create(name, "Warn", Map.of());
    startOperator(Duration.ofSeconds(1));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> readyOf(name) != null);
    DaemonSecurityPolicy judged = admin.resources(DaemonSecurityPolicy.class).withName(name).get();
    assertThat(judged.getStatus().getObservedGeneration()).isEqualTo(judged.getMetadata().getGeneration());
    Condition ready = PolicyStatuses.ready(judged.getStatus());
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Valid");
    assertThat(ready.getMessage()).contains("privileged-container Warn");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !eventsAbout(created).isEmpty());
    assertThat(eventsAbout(created)).singleElement().satisfies(e -> {
      assertThat(e.getReason()).isEqualTo("PolicyReady");
      assertThat(e.getType()).isEqualTo("Normal");
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("DaemonSecurityPolicy");
      assertThat(e.getMessage()).startsWith("Generation 1: In force:");
    });

    // every policy already in the cluster has been judged once the writes stop; from then on nothing changes, and
    // every periodic reconcile (1 s) must find so and write nothing
    cluster.awaitQuiet();
    writes.clear();
    double before = metrics.reconciles("unchanged");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.reconciles("unchanged") >= before + 5);
    assertThat(writes).as("API writes by reconciles that found nothing changed").isEmpty();

    // a restart reconciles every policy at once: still no write, and no second Event
    operator.stop();
    startOperator(Duration.ofSeconds(1));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.reconciles("unchanged") >= 2);
    assertThat(writes).as("API writes after a restart with nothing changed").isEmpty();
    assertThat(eventsAbout(created)).hasSize(1);
  }

  @Test
  void aChangedSpecIsJudgedAgainAndItsGenerationObserved() {
    String name = "dg-e2e-op-" + UUID.randomUUID().toString().substring(0, 6);
    create(name, "Warn", Map.of());
    startOperator(Duration.ofMinutes(10));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> readyOf(name) != null);
    String since = readyOf(name).getLastTransitionTime();

    admin.resources(DaemonSecurityPolicy.class).withName(name).edit(p -> {
      p.getSpec().getAdmission().getRules().getPrivilegedContainer().setAction("Audit");
      return p;
    });

    Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      DaemonSecurityPolicy policy = admin.resources(DaemonSecurityPolicy.class).withName(name).get();
      assertThat(policy.getMetadata().getGeneration()).isEqualTo(2L);
      assertThat(policy.getStatus().getObservedGeneration()).isEqualTo(2L);
      assertThat(PolicyStatuses.ready(policy.getStatus()).getMessage()).contains("privileged-container Audit");
    });
    assertThat(readyOf(name).getLastTransitionTime()).as("still Ready: the transition time stays").isEqualTo(since);
  }

  @Test
  void aPolicyWrittenWhileTheWebhookWasDownIsInvalidSpecWithTheCompilersMessage() {
    String name = "dg-e2e-op-bad-" + UUID.randomUUID().toString().substring(0, 6);
    withWebhookSkipping(BYPASS, () -> {
      DaemonSecurityPolicy policy = PolicyStatusesTest.policy(name, 1, "Warn");
      policy.getMetadata().setUid(null);
      policy.getMetadata().setGeneration(null);
      policy.getMetadata().setLabels(Map.of(LABEL, "operator", BYPASS, "true"));
      SocketRuleSettings socket = new SocketRuleSettings();
      socket.setExtraPaths(List.of("run/docker.sock")); // relative: the schema lets it through, the compiler not
      policy.getSpec().getAdmission().getRules().setRuntimeSocketMount(socket);
      admin.resources(DaemonSecurityPolicy.class).resource(policy).create();
    });
    DaemonSecurityPolicy created = admin.resources(DaemonSecurityPolicy.class).withName(name).get();
    startOperator(Duration.ofMinutes(10));

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> readyOf(name) != null);
    Condition ready = readyOf(name);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage()).contains("spec.admission.rules.runtimeSocketMount.extraPaths",
        "\"run/docker.sock\" is not an absolute path");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !eventsAbout(created).isEmpty());
    assertThat(eventsAbout(created)).singleElement().satisfies(e -> {
      assertThat(e.getReason()).isEqualTo("PolicyInvalid");
      assertThat(e.getType()).isEqualTo("Warning");
    });
  }

  @Test
  void eventsAboutOnePolicyAreCountedWhenRepeatedAndCappedWhenFlapping() {
    String name = "dg-e2e-op-ev-" + UUID.randomUUID().toString().substring(0, 6);
    DaemonSecurityPolicy policy = create(name, "Warn", Map.of());
    io.daemonguard.report.EventRecorder recorder = new io.daemonguard.report.EventRecorder(counted, "default",
        "daemonguard-operator", "e2e", java.time.Clock.systemUTC());

    assertThat(recorder.record(policy, io.daemonguard.report.EventRecorder.Type.Normal, "PolicyReady", "Compile",
        "same words")).isTrue();
    assertThat(recorder.record(policy, io.daemonguard.report.EventRecorder.Type.Normal, "PolicyReady", "Compile",
        "same words")).isTrue();
    assertThat(eventsAbout(policy)).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(2);
      assertThat(e.getSource().getComponent()).isEqualTo("daemonguard-operator");
      assertThat(e.getReportingInstance()).isEqualTo("e2e");
    });

    int written = 0;
    for (int i = 0; i < 40; i++) {
      written += recorder.record(policy, io.daemonguard.report.EventRecorder.Type.Warning, "PolicyInvalid", "Compile",
          "flapping " + i) ? 1 : 0;
    }
    assertThat(written).as("a burst of 25 per object, two of them spent above").isEqualTo(23);
    assertThat(recorder.dropped()).isEqualTo(17);
    assertThat(eventsAbout(policy)).hasSize(24);
  }

  /**
   * Runs {@code write} while the chart's webhooks skip objects labelled {@code label}, then puts the configuration back:
   * the only way to have a policy in the cluster that the webhook would have refused, as after an outage.
   */
  private void withWebhookSkipping(String label, Runnable write) {
    var configs = admin.admissionRegistration().v1().validatingWebhookConfigurations();
    ValidatingWebhookConfiguration original = configs.list().getItems().stream()
        .filter(c -> c.getWebhooks().stream().anyMatch(w -> w.getName().equals("validate-policies.daemonguard.io")))
        .findFirst().orElse(null);
    if (original == null) {
      write.run(); // no webhook installed: nothing to skip
      return;
    }
    String name = original.getMetadata().getName();
    try {
      configs.withName(name).edit(c -> {
        for (ValidatingWebhook webhook : c.getWebhooks()) {
          if (webhook.getName().equals("validate-policies.daemonguard.io")) {
            var selector = webhook.getObjectSelector() == null
                ? new io.fabric8.kubernetes.api.model.LabelSelector() : webhook.getObjectSelector();
            selector.getMatchExpressions().add(new io.fabric8.kubernetes.api.model.LabelSelectorRequirement(
                label, "DoesNotExist", null));
            webhook.setObjectSelector(selector);
          }
        }
        return c;
      });
      // the apiserver reads webhook configurations through an informer: give it a moment, then retry until it skips
      Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(write::run);
    } finally {
      configs.withName(name).edit(c -> {
        for (ValidatingWebhook webhook : c.getWebhooks()) {
          if (webhook.getName().equals("validate-policies.daemonguard.io") && webhook.getObjectSelector() != null) {
            webhook.getObjectSelector().getMatchExpressions().removeIf(r -> r.getKey().equals(label));
          }
        }
        return c;
      });
    }
  }
}
