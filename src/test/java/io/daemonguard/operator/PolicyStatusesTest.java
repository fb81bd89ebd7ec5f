package io.daemonguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.api.AdmissionRules;
import io.daemonguard.api.AdmissionSpec;
import io.daemonguard.api.AuditStatus;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.DaemonSecurityPolicySpec;
import io.daemonguard.api.DaemonSecurityPolicyStatus;
import io.daemonguard.api.Exemptions;
import io.daemonguard.api.RuleSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusesTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00.123Z");
  private static final Instant T1 = Instant.parse("2026-12-02T11:30:00Z");

  static DaemonSecurityPolicy policy(String name, long generation, String privilegedAction) {
    DaemonSecurityPolicy policy = new DaemonSecurityPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(generation).withUid("uid-" + name)
        .build());
    AdmissionRules rules = new AdmissionRules();
    rules.setHostRootMount(new RuleSettings());
    RuleSettings privileged = new RuleSettings();
    privileged.setAction(privilegedAction);
    rules.setPrivilegedContainer(privileged);
    AdmissionSpec admission = new AdmissionSpec();
    admission.setAction("Enforce");
    admission.setRules(rules);
    Exemptions exemptions = new Exemptions();
    exemptions.setNamespaces(List.of("kube-system"));
    admission.setExemptions(exemptions);
    DaemonSecurityPolicySpec spec = new DaemonSecurityPolicySpec();
    spec.setAdmission(admission);
    policy.setSpec(spec);
    return policy;
  }

  @Test
  void aValidPolicyIsReadyWithWhatIsInForce() {
    DaemonSecurityPolicy policy = policy("baseline", 3, "Warn");

    DaemonSecurityPolicyStatus status = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0);

    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    Condition ready = PolicyStatuses.ready(status);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("Valid");
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-12-02T10:00:00Z");
    assertThat(ready.getMessage()).isEqualTo("In force: host-root-mount Enforce, privileged-container Warn,"
        + " runtime-socket-mount off; exempt: 1 namespace, 0 service accounts, 0 image patterns.");
  }

  @Test
  void anInvalidPolicyIsNotReadyWithTheCompilersMessageAndWhatAppliesInstead() {
    DaemonSecurityPolicy policy = policy("team-a", 2, "Block");

    DaemonSecurityPolicyStatus status = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0);

    Condition ready = PolicyStatuses.ready(status);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .startsWith("DaemonSecurityPolicy team-a: spec.admission.rules.privilegedContainer.action: \"Block\"")
        .contains("not one of Enforce, Warn, Audit")
        .endsWith("the last valid version of this policy, or the built-in default, applies instead.");
  }

  @Test
  void nothingChangedMeansNoWriteEvenLaterInTime() {
    DaemonSecurityPolicy policy = policy("baseline", 3, "Warn");
    policy.setStatus(PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0));

    DaemonSecurityPolicyStatus again = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T1);

    assertThat(PolicyStatuses.differs(policy.getStatus(), again)).isFalse();
    assertThat(PolicyStatuses.ready(again).getLastTransitionTime()).isEqualTo("2026-12-02T10:00:00Z");
  }

  @Test
  void aNewGenerationIsWrittenButKeepsTheTransitionTimeWhileStillReady() {
    DaemonSecurityPolicy policy = policy("baseline", 3, "Warn");
    policy.setStatus(PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0));
    policy.getMetadata().setGeneration(4L);

    DaemonSecurityPolicyStatus next = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T1);

    assertThat(PolicyStatuses.differs(policy.getStatus(), next)).isTrue();
    assertThat(PolicyStatuses.readyChanged(policy.getStatus(), next)).isFalse();
    assertThat(next.getObservedGeneration()).isEqualTo(4L);
    assertThat(PolicyStatuses.ready(next).getLastTransitionTime()).isEqualTo("2026-12-02T10:00:00Z");
  }

  @Test
  void aFlipToInvalidIsNewsWithANewTransitionTime() {
    DaemonSecurityPolicy policy = policy("baseline", 3, "Warn");
    policy.setStatus(PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0));
    DaemonSecurityPolicy broken = policy("baseline", 4, "Sometimes");
    broken.setStatus(policy.getStatus());

    DaemonSecurityPolicyStatus next = PolicyStatuses.desired(broken, PolicyVerdict.of(broken), T1);

    assertThat(PolicyStatuses.readyChanged(broken.getStatus(), next)).isTrue();
    assertThat(PolicyStatuses.ready(next).getLastTransitionTime()).isEqualTo("2026-12-02T11:30:00Z");
  }

  @Test
  void otherSectionsAndConditionsAreCarriedOverUntouched() {
    DaemonSecurityPolicy policy = policy("baseline", 1, "Warn");
    DaemonSecurityPolicyStatus current = new DaemonSecurityPolicyStatus();
    AuditStatus audit = new AuditStatus();
    current.setAudit(audit);
    Condition other = new ConditionBuilder().withType("Audited").withStatus("True").withReason("Done")
        .withMessage("m").withLastTransitionTime("2026-12-01T00:00:00Z").build();
    current.setConditions(new ArrayList<>(List.of(other)));
    policy.setStatus(current);

    DaemonSecurityPolicyStatus next = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0);

    assertThat(next.getAudit()).isSameAs(audit);
    assertThat(next.getConditions()).extracting(Condition::getType).containsExactly("Audited", "Ready");
    assertThat(PolicyStatuses.differs(current, next)).isTrue();
  }

  @Test
  void aStatusTamperedWithIsPutRight() {
    DaemonSecurityPolicy policy = policy("baseline", 3, "Warn");
    policy.setStatus(PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T0));
    PolicyStatuses.ready(policy.getStatus()).setMessage("edited by hand");

    DaemonSecurityPolicyStatus next = PolicyStatuses.desired(policy, PolicyVerdict.of(policy), T1);

    assertThat(PolicyStatuses.differs(policy.getStatus(), next)).isTrue();
    assertThat(PolicyStatuses.ready(next).getMessage()).startsWith("In force:");
  }
}
