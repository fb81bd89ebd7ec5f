package io.daemonguard.policy;

import static io.daemonguard.admission.Fixtures.dsp;
import static org.assertj.core.api.Assertions.assertThat;

import io.daemonguard.admission.Action;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.RuleId;
import io.daemonguard.api.DaemonSecurityPolicy;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the webhook judges by while it follows the cluster's policies: the events an informer delivers, in order. */
class ClusterPoliciesTest {

  private static final AdmissionPolicy DEFAULT = AdmissionPolicy.defaultPolicy("daemonguard", Set.of());

  private static DaemonSecurityPolicy policy(String name, long generation, String action) {
    DaemonSecurityPolicy policy = dsp("""
        metadata: {name: %s}
        spec: {admission: {action: %s}}
        """.formatted(name, action));
    policy.getMetadata().setGeneration(generation);
    return policy;
  }

  private static Action actionOf(ClusterPolicies policies, String name) {
    return policies.current().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow()
        .rules().get(RuleId.PRIVILEGED_CONTAINER);
  }

  @Test
  void withNoPolicyTheBuiltInDefaultApplies() {
    ClusterPolicies policies = new ClusterPolicies(DEFAULT);

    assertThat(policies.current()).containsExactly(DEFAULT);
    assertThat(policies.ready()).as("not ready before the informer listed").isFalse();
  }

  @Test
  void policiesReplaceTheDefaultAndFollowEveryChange() {
    ClusterPolicies policies = new ClusterPolicies(DEFAULT);

    policies.upsert(policy("baseline", 1, "Enforce"));
    assertThat(policies.current()).extracting(AdmissionPolicy::name).containsExactly("baseline");
    policies.upsert(policy("baseline", 2, "Warn"));
    assertThat(actionOf(policies, "baseline")).isEqualTo(Action.WARN);
    policies.upsert(policy("audit-all", 1, "Audit"));
    assertThat(policies.current()).extracting(AdmissionPolicy::name).containsExactly("audit-all", "baseline");
    policies.delete("baseline");
    policies.delete("audit-all");
    assertThat(policies.current()).containsExactly(DEFAULT);
  }

  @Test
  void anInvalidVersionKeepsTheLastValidOne() {
    ClusterPolicies policies = new ClusterPolicies(DEFAULT);
    policies.upsert(policy("baseline", 1, "Enforce"));

    policies.upsert(policy("baseline", 2, "Block"));

    assertThat(policies.current()).extracting(AdmissionPolicy::name).containsExactly("baseline");
    assertThat(actionOf(policies, "baseline")).isEqualTo(Action.ENFORCE);
  }

  @Test
  void aPolicyNeverSeenValidIsReplacedByTheDefault() {
    ClusterPolicies policies = new ClusterPolicies(DEFAULT);
    policies.upsert(policy("lenient", 1, "Audit"));

    policies.upsert(policy("broken", 1, "Block"));

    assertThat(policies.current()).extracting(AdmissionPolicy::name)
        .containsExactly("lenient", AdmissionPolicy.DEFAULT_NAME);
    policies.upsert(policy("broken", 2, "Warn"));
    assertThat(policies.current()).extracting(AdmissionPolicy::name).containsExactly("broken", "lenient");
    policies.delete("broken");
    assertThat(policies.current()).extracting(AdmissionPolicy::name).containsExactly("lenient");
  }
}
