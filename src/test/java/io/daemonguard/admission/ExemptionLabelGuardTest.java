package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExemptionLabelGuardTest {

  private static final ExemptionLabelGuard GUARD = new ExemptionLabelGuard(
      Set.of("system:serviceaccount:daemonguard-system:daemonguard"), Set.of("system:masters"));
  private static final List<String> DEV = List.of("system:authenticated", "developers");
  private static final String EXEMPT = ExemptionLabelGuard.EXEMPT_LABEL;
  private static final String NAME = ExemptionLabelGuard.NAME_LABEL;

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "-     | true  | add",
      "true  | -     | remove",
      "true  | false | change",
      "false | true  | change",
      "-     | yes   | add",
  })
  void aUserOffTheListMayNotTouchTheExemptLabel(String before, String after, String verb) {
    var refusal = GUARD.check("team-a", labels(EXEMPT, before), labels(EXEMPT, after), "alice", DEV);

    assertThat(refusal).hasValueSatisfying(message -> assertThat(message)
        .startsWith("[exemption-label] user \"alice\" may not " + verb + " the label daemonguard.io/exempt")
        .contains("groups system:masters", "users system:serviceaccount:daemonguard-system:daemonguard",
            "spec.admission.exemptions.namespaces", "webhook.exemptNamespaces"));
  }

  @Test
  void adminsAndDaemonguardItselfMay() {
    assertThat(GUARD.check("team-a", Map.of(), Map.of(EXEMPT, "true"), "admin", List.of("system:masters"))).isEmpty();
    assertThat(GUARD.check("team-a", Map.of(EXEMPT, "true"), Map.of(), "system:serviceaccount:daemonguard-system:daemonguard",
        List.of("system:serviceaccounts"))).isEmpty();
  }

  @Test
  void otherLabelChangesAndUnchangedExemptionsPass() {
    assertThat(GUARD.check("team-a", Map.of(EXEMPT, "true"), Map.of(EXEMPT, "true", "team", "a"), "alice", DEV))
        .isEmpty();
    assertThat(GUARD.check("team-a", Map.of(), Map.of("team", "a", NAME, "team-a"), "alice", DEV)).isEmpty();
    assertThat(GUARD.check("team-a", Map.of(), Map.of(), null, List.of())).isEmpty();
  }

  @Test
  void theNameLabelMustBeTheNamespacesOwnName() {
    var refusal = GUARD.check("team-a", Map.of(), Map.of(NAME, "kube-system"), "alice", DEV);

    assertThat(refusal).hasValueSatisfying(message -> assertThat(message)
        .contains("may not set the label kubernetes.io/metadata.name to \"kube-system\"", "\"team-a\""));
    assertThat(GUARD.check("team-a", Map.of(), Map.of(NAME, "kube-system"), "admin", List.of("system:masters")))
        .isEmpty();
  }

  @Test
  void aNameLabelAlreadyThereMayStay() {
    // set earlier by an administrator: editing another label must not be refused because of it
    assertThat(GUARD.check("team-a", Map.of(NAME, "legacy"), Map.of(NAME, "legacy", "x", "y"), "alice", DEV)).isEmpty();
  }

  @Test
  void theDefaultListIsTheClusterAdmins() {
    ExemptionLabelGuard defaults = ExemptionLabelGuard.defaults();
    assertThat(defaults.check("ns", Map.of(), Map.of(EXEMPT, "true"), "root", List.of("system:masters"))).isEmpty();
    assertThat(defaults.check("ns", Map.of(), Map.of(EXEMPT, "true"), "system:serviceaccount:x:y", List.of()))
        .hasValueSatisfying(message -> assertThat(message).contains("(groups system:masters)"));
  }

  private static Map<String, String> labels(String key, String value) {
    return value == null ? Map.of() : Map.of(key, value);
  }
}
