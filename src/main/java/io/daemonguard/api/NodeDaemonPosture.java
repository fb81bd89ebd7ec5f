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
 * One node's container-daemon posture: one per node, named after it and owned by it (the garbage collector deletes it
 * with the Node). Cluster-scoped. The scan supplies the facts; the operator writes the findings of the policies that
 * select the node.
 */
@Group("daemonguard.io")
@Version("v1alpha1")
@Kind("NodeDaemonPosture")
@Plural("nodedaemonpostures")
@Singular("nodedaemonposture")
@ShortNames("ndp")
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".status.runtime", type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The container daemons found on the node.")
@AdditionalPrinterColumn(name = "Compliant", jsonPath = ".status.compliant", type = AdditionalPrinterColumn.Type.BOOLEAN,
    getDescription = "No finding at or above the failOn of the policies that select the node.")
@AdditionalPrinterColumn(name = "Critical", jsonPath = ".status.summary.critical",
    type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Critical findings.")
@AdditionalPrinterColumn(name = "High", jsonPath = ".status.summary.high", type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "High findings.")
@AdditionalPrinterColumn(name = "Medium", jsonPath = ".status.summary.medium",
    type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Medium findings.")
@AdditionalPrinterColumn(name = "Last scan", jsonPath = ".status.lastScan", type = AdditionalPrinterColumn.Type.DATE,
    getDescription = "When the last successful scan finished.")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodeDaemonPosture extends CustomResource<NodeDaemonPostureSpec, NodeDaemonPostureStatus> {
  // Cluster-scoped: not implementing Namespaced is what tells fabric8 so.

  @Override
  @JsonPropertyDescription("Which node this is.")
  public NodeDaemonPostureSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Written by daemonguard's operator: the facts of the last scan, the findings under the"
      + " policies that select the node, and whether it is compliant.")
  public NodeDaemonPostureStatus getStatus() {
    return super.getStatus();
  }
}
