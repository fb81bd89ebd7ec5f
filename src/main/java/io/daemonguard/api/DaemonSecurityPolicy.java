package io.daemonguard.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What platform teams write: the admission rules and the node posture they want. Cluster-scoped. {@code crds/} and the
 * chart's copy are generated from these classes on every build (see pom.xml); {@code CrdDriftTest} fails when the
 * committed copies are not what the generator makes.
 */
@Group("daemonguard.io")
@Version("v1alpha1")
@Kind("DaemonSecurityPolicy")
@Plural("daemonsecuritypolicies")
@Singular("daemonsecuritypolicy")
@ShortNames("dsp")
@AdditionalPrinterColumn(name = "Action", jsonPath = ".spec.admission.action", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "What happens to a workload that breaks a rule, unless the rule says otherwise.")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the policy compiles and is in force.")
@AdditionalPrinterColumn(name = "Violations", jsonPath = ".status.audit.violations",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Running workloads that break the policy, found by the audit (workloads, not replicas).")
@AdditionalPrinterColumn(name = "Non-compliant", jsonPath = ".status.nodes.nonCompliant",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Selected nodes whose container daemon has a finding at or above spec.nodes.failOn.")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DaemonSecurityPolicy extends CustomResource<DaemonSecurityPolicySpec, DaemonSecurityPolicyStatus> {
  // Cluster-scoped: not implementing Namespaced is what tells fabric8 so.

  // Overridden only to give spec and status their descriptions in the CRD (kubectl explain dsp.spec).
  @Override
  @JsonPropertyDescription("What the policy asks: spec.admission for workloads, spec.nodes for the nodes' container"
      + " daemons.")
  public DaemonSecurityPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What daemonguard found, written by its operator: whether the policy is in force"
      + " (conditions), what the audit of running workloads found (audit), the posture of the selected nodes (nodes).")
  public DaemonSecurityPolicyStatus getStatus() {
    return super.getStatus();
  }
}
