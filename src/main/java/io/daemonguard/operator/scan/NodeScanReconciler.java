package io.daemonguard.operator.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.api.NodeDaemonPosture;
import io.daemonguard.api.NodeDaemonPostureSpec;
import io.daemonguard.api.NodeDaemonPostureStatus;
import io.daemonguard.operator.Conditions;
import io.daemonguard.policy.Durations;
import io.daemonguard.posture.NodeFacts;
import io.daemonguard.report.EventRecorder;
import io.daemonguard.report.PolicyReports;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile per Node: runs its scan Job when one is due, takes the facts from the finished pod, judges them under
 * the policies that select the node, and says so where users look (the NodeDaemonPosture, the node's label, taint and
 * Events, a ClusterPolicyReport). Everything is read from caches and written only when it changes; a scan whose facts
 * did not change writes the posture's lastScan and nothing else.
 *
 * <p>The scan Job is not a dependent resource: it lives once, is read, and is deleted (Job TTL is alpha on 1.20), which
 * is not the desired-state shape dependents reconcile. No finalizer on Nodes (a Reconciler of Nodes must never hold
 * one): Jobs, postures and reports carry an ownerReference to their Node, so the garbage collector removes them with
 * it, and a janitor deletes a scan whose node is gone sooner and reports it.
 */
@ControllerConfiguration(name = NodeScanReconciler.NAME, generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = NodeChanges.class, itemStore = PrunedNodeStore.class))
public final class NodeScanReconciler implements Reconciler<Node> {

  public static final String NAME = "node-posture";
  public static final String LABEL = "daemonguard.io/daemon-posture";
  public static final String SCAN_REQUEST_ANNOTATION = "daemonguard.io/scan-request";
  static final String POSTURE_FINDING = "PostureFinding";
  static final String POSTURE_CLEARED = "PostureCleared";
  static final String SCAN_FAILED = "ScanFailed";
  static final String SCANNED = "Scanned";
  static final String COMPLIANT = "Compliant";
  private static final Duration DEFAULT_INTERVAL = Duration.ofHours(6);
  /** Beyond the Job's own deadline, how long the Job controller may take to say so before the Job is deleted anyway. */
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(NodeScanReconciler.class);

  private final KubernetesClient client;
  private final NodeScanSettings settings;
  private final EventRecorder events;
  private final PostureMetrics metrics;
  private final Clock clock;
  private final ScanSlots slots;
  /** When each node's last scan failed: the next try waits --scan-retry. A new leader forgets, and tries once more. */
  private final Map<String, Instant> failures = new ConcurrentHashMap<>();
  /**
   * Jobs already read and deleted, by uid, until the informer drops them: a reconcile in between must not read a
   * finished Job a second time (its pod may be gone by then, which would look like a failed scan).
   */
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-scan-janitor");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean leading;
  private volatile boolean reportsAvailable;
  private volatile IndexerResourceCache<Node> nodes;
  private volatile InformerEventSource<Job, Node> jobs;
  private volatile InformerEventSource<Pod, Node> pods;
  private volatile InformerEventSource<NodeDaemonPosture, Node> postures;
  private volatile InformerEventSource<DaemonSecurityPolicy, Node> policies;

  public NodeScanReconciler(KubernetesClient client, NodeScanSettings settings, EventRecorder events,
      MeterRegistry registry, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.events = events;
    this.metrics = new PostureMetrics(registry);
    this.clock = clock;
    this.slots = new ScanSlots(settings.concurrency(), clock);
    janitor.scheduleWithFixedDelay(this::tidy, 15, 15, TimeUnit.SECONDS);
  }

  @Override
  public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
    nodes = context.getPrimaryCache();
    jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, Node.class)
        .withName("scan-jobs").withNamespaces(settings.namespace()).withLabelSelector(ScanJobs.LABEL_SELECTOR)
        .withSecondaryToPrimaryMapper(job -> forNode(ScanJobs.nodeOf(job))).build(), context);
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Node.class)
        .withName("scan-pods").withNamespaces(settings.namespace()).withLabelSelector(ScanJobs.LABEL_SELECTOR)
        .withSecondaryToPrimaryMapper(pod -> forNode(ScanJobs.nodeOf(pod))).build(), context);
    postures = new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeDaemonPosture.class, Node.class)
        .withName("postures")
        .withSecondaryToPrimaryMapper(p -> forNode(p.getMetadata().getName())).build(), context);
    // a policy's spec (its generation) or its existence matters to every node; its status, written by the operator
    // itself, to none
    policies = new InformerEventSource<>(InformerEventSourceConfiguration.from(DaemonSecurityPolicy.class, Node.class)
        .withName("policies-for-nodes")
        .withOnUpdateFilter((updated, previous) -> !Objects.equals(updated.getMetadata().getGeneration(),
            previous.getMetadata().getGeneration())
            || !Objects.equals(updated.getMetadata().getDeletionTimestamp(),
            previous.getMetadata().getDeletionTimestamp()))
        .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().keys().collect(Collectors.toSet()))
        .build(), context);
    return List.of(jobs, pods, postures, policies);
  }

  private static Set<ResourceID> forNode(String node) {
    return node == null ? Set.of() : Set.of(new ResourceID(node));
  }

  /** Only the leader reconciles; the janitor follows. Reports are written only when their CRD is installed. */
  public void leading(boolean now) {
    leading = now;
    if (now && settings.reportFormat() != null) {
      reportsAvailable = client.supports(settings.reportFormat().apiVersion(), settings.reportFormat().kind(false));
      if (!reportsAvailable) {
        LOG.atWarn().setMessage("report CRD missing; node reports off").addKeyValue("kind",
            settings.reportFormat().kind(false)).addKeyValue("apiVersion", settings.reportFormat().apiVersion()).log();
      }
    }
  }

  public void stop() {
    janitor.shutdownNow();
  }

  @Override
  public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
    String name = node.getMetadata().getName();
    Instant now = clock.instant();
    List<DaemonSecurityPolicy> all = policies.list().toList();
    List<NodePostures.SelectingPolicy> selecting = NodePostures.selecting(labels(node), all);
    NodeDaemonPosture posture = postures.get(new ResourceID(name)).orElse(null);
    Job job = jobs.get(new ResourceID(ScanJobs.jobName(name), settings.namespace()))
        .filter(j -> !handled.contains(j.getMetadata().getUid())).orElse(null);
    if (selecting.isEmpty()) {
      unselected(node, posture, job);
      return UpdateControl.noUpdate();
    }
    if (posture == null) {
      posture = create(node);
    }
    NodeDaemonPostureStatus status = posture.getStatus() == null ? new NodeDaemonPostureStatus()
        : Serialization.clone(posture.getStatus());
    Duration interval = interval(selecting, all);
    String requested = requested(node, posture);
    Duration wake;
    if (job != null) {
      wake = follow(node, job, status, interval, now);
    } else if (due(name, status, requested, interval, now)) {
      wake = start(node, requested);
    } else {
      wake = untilDue(name, status, interval, now);
    }
    if (!judge(node, posture, status, selecting, now)) {
      wake = Duration.ofSeconds(1);
    }
    return UpdateControl.<Node>noUpdate().rescheduleAfter(wake.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---- scans

  private boolean due(String node, NodeDaemonPostureStatus status, String requested, Duration interval, Instant now) {
    if (requested != null && !requested.equals(status.getLastScanRequest())) {
      return true;
    }
    Instant failedAt = failures.get(node);
    if (failedAt != null && failedAt.plus(settings.retry()).isAfter(now)) {
      return false;
    }
    return status.getLastScan() == null || !Instant.parse(status.getLastScan()).plus(interval).isAfter(now);
  }

  private Duration untilDue(String node, NodeDaemonPostureStatus status, Duration interval, Instant now) {
    Instant next = status.getLastScan() == null ? now : Instant.parse(status.getLastScan()).plus(interval);
    Instant failedAt = failures.get(node);
    if (failedAt != null && failedAt.plus(settings.retry()).isAfter(next)) {
      next = failedAt.plus(settings.retry());
    }
    Duration wait = Duration.between(now, next);
    return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
  }

  private Duration start(Node node, String requested) {
    String name = node.getMetadata().getName();
    String jobName = ScanJobs.jobName(name);
    Set<String> running = jobs.list().map(j -> j.getMetadata().getName()).collect(Collectors.toSet());
    if (!slots.tryTake(jobName, running)) {
      // jittered, so that waiting nodes do not all come back in the same second
      return Duration.ofMillis(5_000 + ThreadLocalRandom.current().nextLong(10_000));
    }
    Job job = ScanJobs.build(settings.template(), node, settings.namespace(), settings.deadline().toSeconds());
    if (requested != null) {
      job.getMetadata().getAnnotations().put(SCAN_REQUEST_ANNOTATION, requested);
    }
    try {
      Job created = client.batch().v1().jobs().inNamespace(settings.namespace()).resource(job).create();
      jobs.handleRecentResourceCreate(ResourceID.fromResource(node), created);
      LOG.atInfo().setMessage("scan started").addKeyValue("node", name).addKeyValue("job", jobName)
          .addKeyValue("requested", requested).log();
    } catch (KubernetesClientException e) {
      slots.release(jobName);
      if (e.getCode() != 409) {
        throw e;
      }
      // already there: a Job of the previous leader, not yet in the cache; the next reconcile follows it
    }
    return Duration.ofSeconds(Math.min(30, settings.deadline().toSeconds()));
  }

  /** A scan under way: its facts once it succeeded, ScanFailed once it cannot; the Job is deleted either way. */
  private Duration follow(Node node, Job job, NodeDaemonPostureStatus status, Duration interval, Instant now) {
    String name = node.getMetadata().getName();
    Pod pod = podOf(job);
    String jobFailure = ScanJobs.failed(job);
    String failure = null;
    if (ScanJobs.succeeded(job)) {
      try {
        if (pod == null) {
          throw new IllegalArgumentException("the scan pod is gone; its output cannot be read");
        }
        String log = client.pods().inNamespace(settings.namespace()).withName(pod.getMetadata().getName())
            .limitBytes(4 << 20).getLog();
        NodeFacts facts = ScanOutput.parse(log);
        JsonNode tree = NodePostures.factsTree(facts);
        status.setFacts(tree);
        status.setFactsDigest(NodePostures.digest(tree));
        status.setLastScan(now.truncatedTo(ChronoUnit.SECONDS).toString());
        String request = job.getMetadata().getAnnotations().get(SCAN_REQUEST_ANNOTATION);
        if (request != null) {
          status.setLastScanRequest(request);
        }
        setCondition(status, SCANNED, "True", "ScanSucceeded", "The last scan (Job " + job.getMetadata().getName()
            + ") read the node's facts.", now);
        failures.remove(name);
        metrics.scanned(true);
        LOG.atInfo().setMessage("scan succeeded").addKeyValue("node", name).addKeyValue("digest",
            status.getFactsDigest()).log();
      } catch (IllegalArgumentException | KubernetesClientException e) {
        failure = "the scan's output could not be read: " + e.getMessage();
      }
    } else if (jobFailure != null) {
      String trouble = ScanJobs.podTrouble(pod);
      failure = jobFailure + (trouble == null ? "" : "; " + trouble);
    } else if (ScanJobs.hopeless(pod)) {
      failure = ScanJobs.podTrouble(pod);
    } else if (started(job).plus(settings.deadline()).plus(GRACE).isBefore(now)) {
      String trouble = ScanJobs.podTrouble(pod);
      failure = "no result within the deadline of " + settings.deadline().toSeconds() + "s"
          + (trouble == null ? "" : ": " + trouble);
    } else {
      return Duration.ofSeconds(15);
    }
    if (failure != null) {
      failed(node, status, failure, job.getMetadata().getAnnotations().get(SCAN_REQUEST_ANNOTATION), now);
    }
    handled.add(job.getMetadata().getUid());
    deleteJob(job.getMetadata().getName());
    return failure == null ? untilDue(name, status, interval, now) : settings.retry();
  }

  private void failed(Node node, NodeDaemonPostureStatus status, String reason, String request, Instant now) {
    String name = node.getMetadata().getName();
    failures.put(name, now);
    metrics.scanned(false);
    if (request != null) {
      // a requested scan that failed is answered (by ScanFailed); it is not started again and again
      status.setLastScanRequest(request);
    }
    setCondition(status, SCANNED, "False", SCAN_FAILED, reason, now);
    events.record(node, EventRecorder.Type.Warning, SCAN_FAILED, "Scan", reason);
    LOG.atWarn().setMessage("scan failed").addKeyValue("node", name).addKeyValue("reason", reason).log();
  }

  private Pod podOf(Job job) {
    String uid = job.getMetadata().getUid();
    return pods.list(p -> p.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(uid)))
        .findFirst().orElse(null);
  }

  private static Instant started(Job job) {
    String at = job.getStatus() != null && job.getStatus().getStartTime() != null ? job.getStatus().getStartTime()
        : job.getMetadata().getCreationTimestamp();
    return at == null ? Instant.EPOCH : Instant.parse(at);
  }

  private void deleteJob(String name) {
    client.batch().v1().jobs().inNamespace(settings.namespace()).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }

  // ---- judging and telling

  /** False when the node's taint could not be set yet (a write raced ours): the caller comes back shortly. */
  private boolean judge(Node node, NodeDaemonPosture posture, NodeDaemonPostureStatus status,
      List<NodePostures.SelectingPolicy> selecting, Instant now) {
    NodeFacts facts = status.getFacts() == null ? null : NodePostures.facts(status.getFacts());
    NodePostures.Judgement judgement = NodePostures.judge(facts, selecting);
    NodeDaemonPostureStatus judged = judgement.status();
    NodeDaemonPostureStatus before = posture.getStatus();
    status.setRuntime(judged.getRuntime());
    status.setCompliant(judged.getCompliant());
    status.setPolicies(judged.getPolicies());
    status.setFailOn(judged.getFailOn());
    status.setSummary(judged.getSummary());
    status.setFindings(judged.getFindings());
    status.setVerdicts(judged.getVerdicts());
    if (judged.getCompliant() != null) {
      long failing = judged.getVerdicts().stream().filter(v -> Boolean.FALSE.equals(v.getCompliant())).count();
      setCondition(status, COMPLIANT, judged.getCompliant() ? "True" : "False",
          judged.getCompliant() ? "NoFindingAtFailOn" : "FindingAtFailOn",
          judged.getCompliant() ? "No finding at or above failOn " + judged.getFailOn() + "."
              : failing + " of " + judged.getVerdicts().size() + " selecting policies find a finding at or above"
                  + " their failOn: " + judged.getFindings().stream()
                  .filter(f -> !Boolean.TRUE.equals(f.getUnknown()))
                  .map(f -> f.getCheck() + " (" + f.getSeverity() + ")").distinct()
                  .collect(Collectors.joining(", ")) + ".", now);
    }
    boolean judgementChanged = before == null || !same(before.getFindings(), status.getFindings())
        || !same(before.getVerdicts(), status.getVerdicts()) || !Objects.equals(before.getCompliant(),
        status.getCompliant()) || !Objects.equals(before.getPolicies(), status.getPolicies());
    if (!same(before, status)) {
      posture.setStatus(status);
      NodeDaemonPosture written = client.resources(NodeDaemonPosture.class).resource(posture).updateStatus();
      postures.handleRecentResourceUpdate(ResourceID.fromResource(node), written, posture);
      for (NodePostures.FindingChange change : NodePostures.changes(before == null ? null : before.getFindings(),
          status.getFindings())) {
        var f = change.finding();
        events.record(node, change.appeared() ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
            change.appeared() ? POSTURE_FINDING : POSTURE_CLEARED, "Scan",
            f.getCheck() + " (" + f.getSeverity() + ")" + (change.appeared() ? ": " + f.getMessage() : " cleared"));
      }
      if (judgementChanged && judgement.strictest() != null) {
        report(node, judgement, now);
      }
    }
    label(node, judgement.label());
    return taint(node, judgement.taint());
  }

  private void report(Node node, NodePostures.Judgement judgement, Instant now) {
    if (settings.reportFormat() == null || !reportsAvailable) {
      return;
    }
    PolicyReports.Format format = settings.reportFormat();
    GenericKubernetesResource report = PolicyReports.forNode(format,
        PolicyReports.Subject.node(node.getMetadata().getName(), node.getMetadata().getUid()), judgement.strictest(),
        judgement.status().getPolicies(), settings.reportPass(), now);
    try {
      client.genericKubernetesResources(format.apiVersion(), format.kind(false)).resource(report)
          .createOr(NonDeletingOperation::update);
    } catch (KubernetesClientException e) {
      LOG.atWarn().setMessage("could not write a node report").addKeyValue("node", node.getMetadata().getName())
          .addKeyValue("code", e.getCode()).addKeyValue("error", e.getMessage()).log();
    }
  }

  private void label(Node node, String wanted) {
    String current = labels(node).get(LABEL);
    if (Objects.equals(current, wanted)) {
      return;
    }
    String value = wanted == null ? "null" : "\"" + wanted + "\"";
    // through the cached object, not withName(): fabric8 would GET the Node first
    client.nodes().resource(node).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"" + LABEL + "\":" + value + "}}}");
    LOG.atInfo().setMessage("node labelled").addKeyValue("node", node.getMetadata().getName())
        .addKeyValue("label", LABEL + "=" + wanted).log();
  }

  /**
   * Taints are a list without merge keys on 1.20: the whole list is written, guarded by resourceVersion, so that a
   * taint another controller added meanwhile is never lost (a conflict is retried from a fresh cache).
   */
  private boolean taint(Node node, boolean wanted) {
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
        : node.getSpec().getTaints();
    boolean present = taints.stream().anyMatch(NodeScanReconciler::ours);
    if (present == wanted) {
      return true;
    }
    List<Taint> next = new ArrayList<>(taints.stream().filter(t -> !ours(t)).toList());
    if (wanted) {
      next.add(new Taint("NoSchedule", LABEL, null, "noncompliant"));
    }
    String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
        + node.getMetadata().getResourceVersion() + "\"},{\"op\":\"add\",\"path\":\"/spec/taints\",\"value\":"
        + Serialization.asJson(next) + "}]";
    try {
      client.nodes().resource(node).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 409) {
        throw e;
      }
      // the node changed since the cache saw it (a heartbeat, another controller): try again from a fresh copy
      LOG.atDebug().setMessage("taint patch raced another write; again shortly").addKeyValue("node",
          node.getMetadata().getName()).log();
      return false;
    }
    LOG.atInfo().setMessage(wanted ? "node tainted" : "node untainted").addKeyValue("node",
        node.getMetadata().getName()).addKeyValue("taint", LABEL + "=noncompliant:NoSchedule").log();
    return true;
  }

  private static boolean ours(Taint t) {
    return LABEL.equals(t.getKey()) && "NoSchedule".equals(t.getEffect());
  }

  /** A node no policy selects any more: its scan, posture, report, label and taint go. */
  private void unselected(Node node, NodeDaemonPosture posture, Job job) {
    String name = node.getMetadata().getName();
    if (job != null) {
      deleteJob(job.getMetadata().getName());
    }
    if (posture != null) {
      client.resources(NodeDaemonPosture.class).withName(name).delete();
      if (settings.reportFormat() != null && reportsAvailable) {
        client.genericKubernetesResources(settings.reportFormat().apiVersion(), settings.reportFormat().kind(false))
            .withName(node.getMetadata().getUid()).delete();
      }
      LOG.atInfo().setMessage("node no longer selected by any policy").addKeyValue("node", name).log();
    }
    failures.remove(name);
    label(node, null);
    if (!taint(node, false)) {
      throw new IllegalStateException("the node changed while its taint was removed; again"); // JOSDK retries
    }
  }

  private NodeDaemonPosture create(Node node) {
    NodeDaemonPosture posture = new NodeDaemonPosture();
    posture.getMetadata().setName(node.getMetadata().getName());
    posture.getMetadata().setLabels(Map.of(PolicyReports.MANAGED_BY, PolicyReports.SOURCE));
    posture.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build()));
    NodeDaemonPostureSpec spec = new NodeDaemonPostureSpec();
    spec.setNodeName(node.getMetadata().getName());
    posture.setSpec(spec);
    try {
      NodeDaemonPosture created = client.resource(posture).create();
      postures.handleRecentResourceCreate(ResourceID.fromResource(node), created);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return client.resources(NodeDaemonPosture.class).withName(node.getMetadata().getName()).require();
    }
  }

  // ---- the janitor: metrics, and scans whose node is gone

  private void tidy() {
    if (!leading || nodes == null || jobs == null) {
      return;
    }
    try {
      metrics.refresh(postures.list());
      List<Job> cached = jobs.list().toList();
      metrics.running(cached.size());
      handled.retainAll(cached.stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet()));
      for (Job job : cached) {
        String node = ScanJobs.nodeOf(job);
        if (node != null && nodes.get(new ResourceID(node)).isEmpty()) {
          deleteJob(job.getMetadata().getName());
          failures.remove(node);
          metrics.scanned(false);
          String uid = job.getMetadata().getOwnerReferences().stream().filter(o -> "Node".equals(o.getKind()))
              .map(o -> o.getUid()).findFirst().orElse(null);
          Node gone = new NodeBuilder().withNewMetadata().withName(node).withUid(uid).endMetadata().build();
          events.record(gone, EventRecorder.Type.Warning, SCAN_FAILED, "Scan",
              "The node was deleted during its scan; the scan Job " + job.getMetadata().getName() + " is deleted.");
          LOG.atWarn().setMessage("scan failed").addKeyValue("node", node).addKeyValue("reason", "node deleted").log();
        }
      }
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("node-scan janitor").addKeyValue("error", e.toString()).log();
    }
  }

  // ---- small readings

  private Duration interval(List<NodePostures.SelectingPolicy> selecting, List<DaemonSecurityPolicy> all) {
    Set<String> names = selecting.stream().map(NodePostures.SelectingPolicy::name).collect(Collectors.toSet());
    Duration shortest = null;
    for (DaemonSecurityPolicy p : all) {
      if (!names.contains(p.getMetadata().getName())) {
        continue;
      }
      Duration d = DEFAULT_INTERVAL;
      if (p.getSpec() != null && p.getSpec().getNodes() != null && p.getSpec().getNodes().getScanInterval() != null) {
        try {
          d = Durations.parse(p.getSpec().getNodes().getScanInterval(), "spec.nodes.scanInterval");
        } catch (IllegalArgumentException e) {
          d = DEFAULT_INTERVAL; // the policy's Ready condition says what is wrong
        }
      }
      shortest = shortest == null || d.compareTo(shortest) < 0 ? d : shortest;
    }
    return shortest == null ? DEFAULT_INTERVAL : shortest;
  }

  /** The scan request annotations of the node and its posture, as one value: changing either asks for a scan. */
  private static String requested(Node node, NodeDaemonPosture posture) {
    String onNode = NodeChanges.requested(node);
    String onPosture = NodeChanges.requested(posture);
    if (onNode == null && onPosture == null) {
      return null;
    }
    return (onNode == null ? "" : "node=" + onNode) + (onNode != null && onPosture != null ? "," : "")
        + (onPosture == null ? "" : "posture=" + onPosture);
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }

  private static void setCondition(NodeDaemonPostureStatus status, String type, String value, String reason,
      String message, Instant now) {
    List<Condition> conditions = status.getConditions() == null ? new ArrayList<>()
        : new ArrayList<>(status.getConditions());
    Condition previous = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String since = Conditions.transitionTime(previous, value, now);
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
        .withMessage(message.length() > 32_000 ? message.substring(0, 32_000) : message)
        .withLastTransitionTime(since).build());
    conditions.sort((a, b) -> a.getType().compareTo(b.getType()));
    status.setConditions(conditions);
  }

  private static boolean same(Object a, Object b) {
    return Objects.equals(Serialization.jsonMapper().valueToTree(a), Serialization.jsonMapper().valueToTree(b));
  }
}
