package io.daemonguard.posture.collect;

import io.daemonguard.posture.NodeFacts;
import io.daemonguard.posture.Unknown;
import java.util.ArrayList;
import java.util.List;

/** Reads one node's facts below its host root. Reads only: nothing is judged, written or sent anywhere. */
public final class NodeCollector {
  private NodeCollector() {}

  public static NodeFacts collect(HostRoot host, String node) {
    List<Unknown> unknown = new ArrayList<>();
    ProcessTable processes = ProcessTable.read(host);
    if (processes.unknown() != null) {
      unknown.add(new Unknown("processes", processes.unknown()));
    }
    Listeners listeners = Listeners.read(host, processes);
    if (listeners.tcpUnknown() != null) {
      unknown.add(new Unknown("tcp listeners", listeners.tcpUnknown()));
    }
    if (listeners.unixUnknown() != null) {
      unknown.add(new Unknown("unix listeners", listeners.unixUnknown()));
    }
    Accounts accounts = Accounts.read(host);
    FileInspector files = new FileInspector(host, accounts, listeners);
    return new NodeFacts(
        node,
        host.root().toString(),
        listeners.tcp(),
        new DockerCollector(host, processes, listeners, accounts, files).collect(),
        new ContainerdCollector(host, processes, listeners, files).collect(),
        new CrioCollector(host, processes, files).collect(),
        new KubeletCollector(host, processes, listeners).collect(),
        null,
        unknown);
  }
}
