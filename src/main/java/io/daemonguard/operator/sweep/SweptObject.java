package io.daemonguard.operator.sweep;

import io.daemonguard.admission.Workload;

/**
 * What the sweep keeps of one object: who it is, which object controls it (a Pod's ReplicaSet, a ReplicaSet's
 * Deployment, a Job's CronJob; null when none), and what the engine reads. Never the object itself: a cache of whole
 * Pods does not fit a small operator at 10,000 pods, and the engine reads a few fields.
 */
record SweptObject(String apiVersion, String kind, String namespace, String name, String uid, String controllerUid,
    Workload workload) {

  /** "Kind namespace/name", for the log. */
  String describe() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}
