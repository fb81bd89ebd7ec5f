package io.daemonguard.policy;

import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's DaemonSecurityPolicies, followed through an informer: every admission request reads a compiled snapshot,
 * never the API. An invalid policy never loosens anything: a policy keeps the last valid version this process saw, and
 * one never seen valid is replaced by the built-in default. With no policy at all, the built-in default applies.
 */
public final class ClusterPolicies implements PolicySource {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPolicies.class);

  private final AdmissionPolicy builtInDefault;
  /** By policy name, the last valid version seen; guarded by this. */
  private final Map<String, AdmissionPolicy> lastValid = new TreeMap<>();
  /** Names whose current version is invalid; guarded by this. */
  private final Set<String> invalid = new TreeSet<>();
  private volatile List<AdmissionPolicy> current;
  private volatile SharedIndexInformer<DaemonSecurityPolicy> informer;
  /** By policy name, the generation last compiled; guarded by this. */
  private final Map<String, Long> seenGenerations = new java.util.HashMap<>();
  private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ClusterPolicies(AdmissionPolicy builtInDefault) {
    this.builtInDefault = builtInDefault;
    this.current = List.of(builtInDefault);
  }

  /** Starts following the cluster's policies; {@link #ready()} turns true once the first list is in. */
  public ClusterPolicies start(KubernetesClient client) {
    informer = client.resources(DaemonSecurityPolicy.class).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(DaemonSecurityPolicy policy) {
        upsert(policy);
      }

      @Override
      public void onUpdate(DaemonSecurityPolicy before, DaemonSecurityPolicy policy) {
        upsert(policy);
      }

      @Override
      public void onDelete(DaemonSecurityPolicy policy, boolean finalStateUnknown) {
        delete(policy.getMetadata().getName());
      }
    }, 0);
    return this;
  }

  @Override
  public List<AdmissionPolicy> current() {
    return current;
  }

  /** Called after every change of {@link #current()}, on the informer's thread: keep it short. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** The policies as the cluster holds them (their status included), from the informer's cache. */
  public List<DaemonSecurityPolicy> objects() {
    return informer == null ? List.of() : informer.getStore().list();
  }

  @Override
  public boolean ready() {
    return informer != null && informer.hasSynced();
  }

  /** A policy created or changed: compiled, or kept at its last valid version when it does not compile. */
  synchronized void upsert(DaemonSecurityPolicy policy) {
    String name = policy.getMetadata().getName();
    // a status write (the operator's) changes no generation: nothing to compile again, nobody to tell
    Long generation = policy.getMetadata().getGeneration();
    if (generation != null && generation.equals(seenGenerations.put(name, generation))) {
      return;
    }
    try {
      AdmissionPolicy compiled = PolicyCompiler.compile(policy);
      lastValid.put(name, compiled);
      invalid.remove(name);
      LOG.atInfo().setMessage("policy in force").addKeyValue("policy", name)
          .addKeyValue("generation", policy.getMetadata().getGeneration()).log();
    } catch (IllegalArgumentException e) {
      invalid.add(name);
      LOG.atWarn().setMessage("policy refused; "
              + (lastValid.containsKey(name) ? "its last valid version stays in force" : "the built-in default applies in its place"))
          .addKeyValue("policy", name).addKeyValue("generation", policy.getMetadata().getGeneration())
          .addKeyValue("error", e.getMessage()).log();
    }
    publish();
  }

  synchronized void delete(String name) {
    seenGenerations.remove(name);
    lastValid.remove(name);
    invalid.remove(name);
    LOG.atInfo().setMessage("policy deleted").addKeyValue("policy", name).log();
    publish();
  }

  private void publish() {
    List<AdmissionPolicy> policies = new ArrayList<>(lastValid.values());
    boolean invalidNeverValid = invalid.stream().anyMatch(name -> !lastValid.containsKey(name));
    if (policies.isEmpty() || invalidNeverValid) {
      policies.add(builtInDefault);
    }
    current = List.copyOf(policies);
    listeners.forEach(Runnable::run);
  }
}
