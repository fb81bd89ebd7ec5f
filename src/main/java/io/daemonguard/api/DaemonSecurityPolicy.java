package io.daemonguard.api;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** What platform teams write: the admission rules and the node posture they want. Cluster-scoped. */
@Group("daemonguard.io")
@Version("v1alpha1")
@Kind("DaemonSecurityPolicy")
@Plural("daemonsecuritypolicies")
@Singular("daemonsecuritypolicy")
@ShortNames("dsp")
public class DaemonSecurityPolicy extends CustomResource<DaemonSecurityPolicySpec, DaemonSecurityPolicyStatus> {
  // Cluster-scoped: not implementing Namespaced is what tells fabric8 so.
}
