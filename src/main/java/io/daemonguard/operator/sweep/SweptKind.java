package io.daemonguard.operator.sweep;

import java.util.List;

/**
 * The kinds the sweep audits: the ones the webhook judges. CronJob is batch/v1 from Kubernetes 1.21 and batch/v1beta1
 * before (1.20, the local cluster); batch/v1beta1 is gone from 1.25.
 */
record SweptKind(String apiVersion, String kind, boolean namespaced) {

  static List<SweptKind> all(int serverMinor) {
    return List.of(
        new SweptKind("v1", "Pod", true),
        new SweptKind("v1", "ReplicationController", true),
        new SweptKind("apps/v1", "Deployment", true),
        new SweptKind("apps/v1", "ReplicaSet", true),
        new SweptKind("apps/v1", "StatefulSet", true),
        new SweptKind("apps/v1", "DaemonSet", true),
        new SweptKind("batch/v1", "Job", true),
        new SweptKind(serverMinor >= 21 ? "batch/v1" : "batch/v1beta1", "CronJob", true),
        new SweptKind("v1", "PersistentVolume", false));
  }
}
