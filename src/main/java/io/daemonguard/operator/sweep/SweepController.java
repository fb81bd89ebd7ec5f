package io.daemonguard.operator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.InvalidObjectException;
import io.daemonguard.admission.RuleId;
import io.daemonguard.admission.Violation;
import io.daemonguard.admission.Workload;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.api.AuditStatus;
import io.daemonguard.api.DaemonSecurityPolicy;
import io.daemonguard.operator.Conditions;
import io.daemonguard.policy.ClusterPolicies;
import io.daemonguard.report.EventRecorder;
import io.daemonguard.report.PolicyReports;
import io.daemonguard.report.ViolationText;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep: the background audit of what already runs. Informers on every replica keep a small inventory (what the
 * engine reads of each object, never the object); the leader judges what changed, with the same engine and the same
 * policies as the webhook, and writes only what changed: a report per object with findings, a Warning Event
 * {@code PolicyViolation} when an object's findings change, and each policy's {@code status.audit}. A policy change
 * or the interval judges everything again, from the inventory, without a LIST. All writes share one
 * {@link WriteBudget}.
 */
public final class SweepController {

  private static final Logger LOG = LoggerFactory.getLogger(SweepController.class);
  static final String POLICY_VIOLATION = "PolicyViolation";
  static final String REPORTING = "Reporting";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final ClusterPolicies policies;
  private final EventRecorder events;
  private final SweepSettings settings;
  private final Clock clock;
  private final WriteBudget budget;
  private final List<SweptKind> kinds;
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

  /** Every swept object, by uid; written by informer threads. */
  private final Map<String, SweptObject> inventory = new ConcurrentHashMap<>();
  /** Reported objects deleted since the sweep last looked, by uid: their reports are deleted with them. */
  private final Map<String, SweptObject> tombstones = new ConcurrentHashMap<>();
  /** Objects to judge again (changed, added, deleted); written by informer threads. */
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean fullSweepWanted = new AtomicBoolean(true);
  private volatile boolean leading;
  private volatile boolean startedLeading;

  // the sweep thread's own state
  /** By uid, the fingerprint of what was last reported (or found in an existing report). */
  private final Map<String, String> published = new ConcurrentHashMap<>();
  /**
   * Reports and Events still to write, by uid, oldest first; a newer judgement of the same object replaces the queued
   * one. The writer thread drains it at the write budget's pace, so the sweep thread stays free to judge and count.
   */
  private final LinkedHashMap<String, Publication> pending = new LinkedHashMap<>();
  /** By policy name, by uid, what that policy alone finds. */
  private final Map<String, Map<String, List<Violation>>> perPolicy = new HashMap<>();
  private List<AdmissionPolicy> judgedWith = List.of();
  /** By policy uid, the resourceVersion a status patch was last made against. */
  private final Map<String, String> patchedAt = new HashMap<>();
  private Instant lastCompleted;
  /** By policy name, the figures of {@link #perPolicy}; null when a pass judged something since they were counted. */
  private Map<String, AuditTally.Tally> tallies;
  private volatile boolean reportsAvailable;
  private String reportsMessage = "";

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sweep");
    t.setDaemon(true);
    return t;
  });
  private final Thread writer = new Thread(this::writeLoop, "sweep-writer");

  // metrics
  private final MultiGauge violationsGauge;
  private final Timer duration;
  private final AtomicLong lastCompletedSeconds = new AtomicLong();
  private final Map<String, Counter> writes = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public SweepController(KubernetesClient client, ClusterPolicies policies, EventRecorder events, MeterRegistry registry,
      SweepSettings settings, Clock clock) {
    this.client = client;
    this.policies = policies;
    this.events = events;
    this.settings = settings;
    this.clock = clock;
    this.registry = registry;
    this.budget = new WriteBudget(settings.writesPerSecond(), Math.max(1, settings.writesPerSecond() * 2));
    this.kinds = SweptKind.all(serverMinor(client));
    violationsGauge = MultiGauge.builder("daemonguard.audit.violations")
        .description("Running workloads that break a policy, by policy, rule and the policy's action (a Deployment"
            + " and its ReplicaSets and pods count once)")
        .register(registry);
    duration = Timer.builder("daemonguard.audit.duration")
        .description("Time to judge every swept object again (a policy change, the interval, a start)")
        .register(registry);
    Gauge.builder("daemonguard.audit.last.completed.timestamp.seconds", lastCompletedSeconds, AtomicLong::get)
        .description("When the last complete audit finished (Unix seconds); alert when it is older than two"
            + " intervals").register(registry);
    Gauge.builder("daemonguard.audit.objects", inventory, Map::size)
        .description("Objects the audit follows").register(registry);
  }

  private static int serverMinor(KubernetesClient client) {
    try {
      return Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("[^0-9]", ""));
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("cannot read the server version; assuming a current one").addKeyValue("error",
          e.getMessage()).log();
      return 99;
    }
  }

  /** Starts the informers (on every replica: a standby stays warm) and the sweep thread. */
  public void start() {
    for (SweptKind kind : kinds) {
      var resources = client.genericKubernetesResources(kind.apiVersion(), kind.kind());
      SharedIndexInformer<GenericKubernetesResource> informer = (kind.namespaced()
          ? resources.inAnyNamespace().withLimit(500L).runnableInformer(0)
          : resources.withLimit(500L).runnableInformer(0));
      // the informer keeps the key and uid only; the inventory keeps what the engine reads
      informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
          GenericKubernetesResource.class, client.getKubernetesSerialization(), "metadata.uid"));
      informer.addEventHandler(new Handler(kind));
      informers.add(informer);
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      informer.start();
    }
    policies.onChange(() -> fullSweepWanted.set(true));
    long delay = settings.batchDelay().toMillis();
    thread.scheduleWithFixedDelay(this::tick, delay, delay, TimeUnit.MILLISECONDS);
    writer.setDaemon(true);
    writer.start();
    thread.scheduleWithFixedDelay(() -> fullSweepWanted.set(true), settings.interval().toMillis(),
        settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    LOG.atInfo().setMessage("audit following").addKeyValue("kinds", kinds.stream().map(SweptKind::kind).toList())
        .addKeyValue("interval", settings.interval().toString())
        .addKeyValue("reports", settings.format() == null ? "none" : settings.format().apiVersion())
        .addKeyValue("writesPerSecond", settings.writesPerSecond()).log();
  }

  public boolean synced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced) && policies.ready();
  }

  /** Only the leader writes; on becoming it, what earlier leaders reported is read back and everything judged. */
  public void leading(boolean value) {
    leading = value;
    if (value) {
      startedLeading = true;
      fullSweepWanted.set(true);
    } else {
      synchronized (pending) {
        pending.clear();
      }
    }
  }

  public void stop() {
    thread.shutdownNow();
    writer.interrupt();
    informers.forEach(SharedIndexInformer::stop);
  }

  Instant lastCompleted() {
    return lastCompleted;
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final SweptKind kind;

    Handler(SweptKind kind) {
      this.kind = kind;
    }

    @Override
    public void onAdd(GenericKubernetesResource object) {
      remember(kind, object);
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource object) {
      remember(kind, object);
    }

    @Override
    public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
      String uid = object.getMetadata().getUid();
      SweptObject gone = uid == null ? null : inventory.remove(uid);
      if (gone != null) {
        if (published.containsKey(uid)) {
          tombstones.put(uid, gone); // its report goes with it
        }
        dirty.add(uid);
      }
    }
  }

  /** Keeps what the engine reads; marks the object dirty only when that changed (not for a pod's status). */
  private void remember(SweptKind kind, GenericKubernetesResource object) {
    String uid = object.getMetadata().getUid();
    if (uid == null) {
      return;
    }
    Workload workload;
    try {
      JsonNode tree = client.getKubernetesSerialization().convertValue(object, JsonNode.class);
      workload = WorkloadReader.read(tree, kind.kind(), object.getMetadata().getNamespace());
    } catch (InvalidObjectException e) {
      LOG.atDebug().setMessage("object not judged").addKeyValue("kind", kind.kind())
          .addKeyValue("name", object.getMetadata().getName()).addKeyValue("error", e.getMessage()).log();
      return;
    }
    String controllerUid = null;
    for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(owner.getController())) {
        controllerUid = owner.getUid();
      }
    }
    SweptObject swept = new SweptObject(kind.apiVersion(), kind.kind(), object.getMetadata().getNamespace(),
        object.getMetadata().getName(), uid, controllerUid, workload);
    SweptObject before = inventory.put(uid, swept);
    if (!swept.equals(before)) {
      dirty.add(uid);
    }
  }

  /** One pass of the sweep thread: judge what changed (or everything), write what differs. */
  void tick() {
    try {
      if (!leading) {
        // a standby keeps no backlog: becoming the leader judges everything anyway
        dirty.clear();
        tombstones.clear();
        return;
      }
      if (!synced()) {
        return;
      }
      if (startedLeading) {
        startedLeading = false;
        readBackReports();
      }
      List<AdmissionPolicy> current = policies.current();
      boolean full = fullSweepWanted.getAndSet(false) || current != judgedWith; // a new list is a new policy set
      Set<String> batch;
      long started = System.nanoTime();
      if (full) {
        dirty.clear();
        batch = new HashSet<>(inventory.keySet());
        batch.addAll(published.keySet()); // objects gone while another replica led
        batch.addAll(tombstones.keySet());
        perPolicy.clear();
        tallies = null;
        judgedWith = current;
      } else {
        batch = new HashSet<>();
        for (var it = dirty.iterator(); it.hasNext(); ) {
          batch.add(it.next());
          it.remove();
        }
      }
      if (batch.isEmpty()) {
        // the figures are compared with the policies' cached status at every pass, not only after a change: a
        // status written over by another writer (the reconciler's first write replaces the whole status) is put
        // right within a pass, and a pass that finds them equal writes nothing
        writeStatuses(current);
        return;
      }
      tallies = null; // something is judged again: count again (an object's controller may have come or gone too)
      for (AdmissionPolicy policy : current) {
        perPolicy.computeIfAbsent(policy.name(), k -> new HashMap<>());
      }
      // judge and count here; the reports and Events go to the writer thread, which the write budget paces: a
      // change across thousands of objects is counted (kubectl get dsp) in a pass, reported in minutes
      for (String uid : batch) {
        Publication publication = judge(uid, current);
        synchronized (pending) {
          if (publication == null) {
            pending.remove(uid); // what is reported holds again: a queued change is stale
          } else {
            Publication queued = pending.get(uid);
            if (queued == null || !queued.fingerprint().equals(publication.fingerprint())) {
              // a newer judgement goes to the back; the same one keeps its place in the queue
              pending.remove(uid);
              pending.put(uid, publication);
              pending.notifyAll();
            }
          }
        }
      }
      if (full) {
        duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        lastCompleted = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastCompletedSeconds.set(lastCompleted.getEpochSecond());
        LOG.atInfo().setMessage("audit complete").addKeyValue("objects", inventory.size())
            .addKeyValue("reported", published.size())
            .addKeyValue("millis", (System.nanoTime() - started) / 1_000_000).log();
      }
      writeStatuses(current);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the next tick tries again; the sweep thread must not die
      LOG.atError().setMessage("audit pass failed").addKeyValue("error", e.toString()).setCause(e).log();
      fullSweepWanted.set(true);
    }
  }

  /** What changed for one object and is to be written: its report and, when it has findings, an Event. */
  private record Publication(SweptObject object, Findings findings, List<RuleId> passRules, String fingerprint,
      String passPolicy, boolean gone) {}

  /** Judges one object; returns what to write, or null when what was reported still holds. */
  private Publication judge(String uid, List<AdmissionPolicy> current) {
    SweptObject object = inventory.get(uid);
    if (object == null) {
      perPolicy.values().forEach(found -> found.remove(uid));
      SweptObject gone = tombstones.remove(uid);
      if (gone != null) {
        // its report is owned by it, and garbage collection would remove it too, but in its own time (and not at
        // all while the collector's graph is out of sync, as after a CRD was re-created): delete it now
        return new Publication(gone, Findings.NONE, List.of(), "", "", true);
      }
      published.remove(uid);
      return null;
    }
    for (AdmissionPolicy policy : current) {
      List<Violation> alone = AdmissionEngine.evaluate(object.workload(), List.of(policy)).violations();
      Map<String, List<Violation>> found = perPolicy.get(policy.name());
      if (alone.isEmpty()) {
        found.remove(uid);
      } else {
        found.put(uid, alone);
      }
    }
    Findings findings = Findings.of(AdmissionEngine.evaluate(object.workload(), current).violations());
    List<RuleId> passRules = settings.reportPass() ? passRules(findings, current) : List.of();
    String fingerprint = findings.fingerprint() + (passRules.isEmpty() ? "" : "+pass:" + passRules);
    String before = published.get(uid);
    if (fingerprint.equals(before == null ? "" : before)) {
      return null;
    }
    return new Publication(object, findings, passRules, fingerprint, current.isEmpty() ? "" : current.get(0).name(),
        false);
  }

  /** The writer thread: one queued publication at a time, oldest first, while this replica leads. */
  private void writeLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Publication next;
        synchronized (pending) {
          while (pending.isEmpty() || !leading) {
            pending.wait(1000);
          }
          var first = pending.entrySet().iterator();
          next = first.next().getValue();
          first.remove();
        }
        publish(next);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.atError().setMessage("audit write failed").addKeyValue("error", e.toString()).setCause(e).log();
      }
    }
  }

  private void publish(Publication publication) throws InterruptedException {
    SweptObject object = publication.object();
    if (!publication.gone() && !inventory.containsKey(object.uid())) {
      return; // gone meanwhile; its deletion is queued behind
    }
    if (reportsAvailable) {
      writeReport(object, publication.findings(), publication.passRules(), publication.passPolicy(),
          publication.fingerprint());
    }
    if (!publication.findings().isEmpty()) {
      budget.take();
      if (events.record(asResource(object), EventRecorder.Type.Warning, POLICY_VIOLATION, "Audit",
          eventMessage(publication.findings()))) {
        count("event");
      }
    }
    if (publication.fingerprint().isEmpty()) {
      published.remove(object.uid());
    } else {
      published.put(object.uid(), publication.fingerprint());
    }
  }

  private static List<RuleId> passRules(Findings findings, List<AdmissionPolicy> current) {
    Set<RuleId> judged = EnumSet.noneOf(RuleId.class);
    current.forEach(p -> judged.addAll(p.rules().keySet()));
    findings.violations().forEach(v -> judged.remove(v.rule()));
    return List.copyOf(judged);
  }

  static String eventMessage(Findings findings) {
    List<String> parts = new ArrayList<>();
    for (Violation violation : findings.violations()) {
      parts.add(violation.action().label() + ": " + ViolationText.line(violation));
    }
    return String.join("; ", parts);
  }

  private static GenericKubernetesResource asResource(SweptObject object) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion(object.apiVersion());
    resource.setKind(object.kind());
    resource.setMetadata(new ObjectMetaBuilder().withName(object.name()).withNamespace(object.namespace())
        .withUid(object.uid()).build());
    return resource;
  }

  private void writeReport(SweptObject object, Findings findings, List<RuleId> passRules, String passPolicy,
      String fingerprint) throws InterruptedException {
    PolicyReports.Format format = settings.format();
    boolean namespaced = object.namespace() != null;
    var reports = client.genericKubernetesResources(format.apiVersion(), format.kind(namespaced));
    budget.take();
    try {
      if (findings.isEmpty() && passRules.isEmpty()) {
        (namespaced ? reports.inNamespace(object.namespace()) : reports).withName(object.uid()).delete();
        count("report-delete");
        return;
      }
      GenericKubernetesResource report = PolicyReports.build(format, new PolicyReports.Subject(object.apiVersion(),
              object.kind(), object.namespace(), object.name(), object.uid()), findings.violations(), passRules,
          passPolicy, fingerprint, clock.instant());
      (namespaced ? reports.inNamespace(object.namespace()) : reports).resource(report)
          .createOr(NonDeletingOperation::update);
      count("report");
    } catch (KubernetesClientException e) {
      LOG.atWarn().setMessage("could not write a report").addKeyValue("object", object.describe())
          .addKeyValue("code", e.getCode()).addKeyValue("error", e.getMessage()).log();
    }
  }

  /** On becoming leader: what is already reported needs no second write, nor a second Event. */
  private void readBackReports() {
    PolicyReports.Format format = settings.format();
    reportsAvailable = false;
    if (format == null) {
      reportsMessage = "";
      return;
    }
    boolean namespacedKind = client.supports(format.apiVersion(), format.kind(true));
    boolean clusterKind = client.supports(format.apiVersion(), format.kind(false));
    if (!namespacedKind || !clusterKind) {
      reportsMessage = format.kind(true) + " and " + format.kind(false) + " (" + format.apiVersion() + ") are not"
          + " installed: no reports are written; Events, this status and the metrics still are. Install the CRDs"
          + " (the chart's reports.installCRDs) and restart the operator.";
      LOG.atWarn().setMessage("report CRDs missing; reports off").addKeyValue("apiVersion", format.apiVersion()).log();
      return;
    }
    reportsAvailable = true;
    reportsMessage = "";
    published.clear();
    for (boolean namespaced : new boolean[] {true, false}) {
      var reports = client.genericKubernetesResources(format.apiVersion(), format.kind(namespaced));
      var listed = (namespaced ? reports.inAnyNamespace() : reports)
          .withLabel(PolicyReports.MANAGED_BY, PolicyReports.SOURCE)
          .withoutLabel(PolicyReports.REPORT_FOR) // the node side's reports are its own
          .list().getItems();
      for (GenericKubernetesResource report : listed) {
        String fingerprint = report.getMetadata().getAnnotations() == null ? null
            : report.getMetadata().getAnnotations().get(PolicyReports.FINDINGS_ANNOTATION);
        if (fingerprint != null) {
          published.put(report.getMetadata().getName(), fingerprint);
        }
      }
    }
    LOG.atInfo().setMessage("reports read back").addKeyValue("reports", published.size()).log();
  }

  /** Each policy's status.audit (and its Reporting condition), written only when it differs from the cached one. */
  private void writeStatuses(List<AdmissionPolicy> current) throws InterruptedException {
    if (tallies == null) {
      // counted again only after a pass that judged something; compared with the cached statuses at every pass
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      tallies = new HashMap<>();
      for (AdmissionPolicy policy : current) {
        AuditTally.Tally tally = AuditTally.tally(inventory, perPolicy.getOrDefault(policy.name(), Map.of()),
            AuditStatus.MAX_EXAMPLES);
        tallies.put(policy.name(), tally);
        tally.byRuleAndAction().forEach((key, count) -> {
          String[] parts = key.split("\\|");
          rows.add(MultiGauge.Row.of(Tags.of("policy", policy.name(), "rule", parts[0], "action", parts[1]), count));
        });
      }
      violationsGauge.register(rows, true);
    }
    for (DaemonSecurityPolicy policy : policies.objects()) {
      if (policy.getMetadata().getResourceVersion().equals(patchedAt.get(policy.getMetadata().getUid()))) {
        continue; // patched at this version: the cache has not shown the result yet
      }
      AuditTally.Tally tally = tallies.get(policy.getMetadata().getName());
      AuditStatus desired = tally == null ? emptyStatus() : tally.status();
      AuditStatus existing = policy.getStatus() == null ? null : policy.getStatus().getAudit();
      desired.setLastCompleted(lastCompleted == null ? null : lastCompleted.toString());
      boolean sameAudit = existing != null && sameFigures(existing, desired);
      var condition = reportingCondition(policy);
      if (sameAudit && condition == null) {
        continue;
      }
      budget.take();
      patchStatus(policy, sameAudit ? null : desired, condition);
    }
  }

  private static AuditStatus emptyStatus() {
    AuditStatus status = new AuditStatus();
    status.setViolations(0L);
    status.setByRule(Map.of());
    status.setByAction(Map.of());
    status.setExamples(List.of());
    return status;
  }

  /** The figures without lastCompleted: an audit that found the same writes nothing. */
  static boolean sameFigures(AuditStatus a, AuditStatus b) {
    ObjectNode left = JSON.valueToTree(a);
    ObjectNode right = JSON.valueToTree(b);
    left.remove("lastCompleted");
    right.remove("lastCompleted");
    return left.equals(right);
  }

  /** The Reporting condition to set, or null when the policy already carries the right one. */
  private ObjectNode reportingCondition(DaemonSecurityPolicy policy) {
    if (settings.format() == null) {
      return null;
    }
    String status = reportsAvailable ? "True" : "False";
    String reason = reportsAvailable ? "ReportsWritten" : "ReportCRDMissing";
    String message = reportsAvailable ? settings.format().kind(true) + "s (" + settings.format().apiVersion()
        + ") are written for every object with a finding." : reportsMessage;
    var existing = policy.getStatus() == null || policy.getStatus().getConditions() == null ? null
        : policy.getStatus().getConditions().stream().filter(c -> REPORTING.equals(c.getType())).findFirst()
            .orElse(null);
    if (existing != null && status.equals(existing.getStatus()) && reason.equals(existing.getReason())
        && message.equals(existing.getMessage())) {
      return null;
    }
    ObjectNode condition = JSON.createObjectNode();
    condition.put("type", REPORTING);
    condition.put("status", status);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", Conditions.transitionTime(existing, status, clock.instant()));
    return condition;
  }

  /**
   * A JSON Patch guarded by the resourceVersion the cache holds, so that a Ready condition written meanwhile by the
   * policy reconciler is never overwritten with a stale list; a conflict is tried again on the next pass.
   */
  private boolean patchStatus(DaemonSecurityPolicy policy, AuditStatus audit, ObjectNode condition) {
    ArrayNode patch = JSON.createArrayNode();
    patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
        .put("value", policy.getMetadata().getResourceVersion());
    if (policy.getStatus() == null) {
      ObjectNode status = patch.addObject().put("op", "add").put("path", "/status").putObject("value");
      if (audit != null) {
        status.set("audit", JSON.valueToTree(audit));
      }
      if (condition != null) {
        status.putArray("conditions").add(condition);
      }
    } else {
      if (audit != null) {
        patch.addObject().put("op", "add").put("path", "/status/audit").set("value", JSON.valueToTree(audit));
      }
      if (condition != null) {
        ArrayNode conditions = JSON.createArrayNode();
        if (policy.getStatus().getConditions() != null) {
          policy.getStatus().getConditions().stream().filter(c -> !REPORTING.equals(c.getType()))
              .forEach(c -> conditions.add((JsonNode) JSON.valueToTree(c)));
        }
        conditions.add(condition);
        patch.addObject().put("op", "add").put("path", "/status/conditions").set("value", conditions);
      }
    }
    try {
      client.resources(DaemonSecurityPolicy.class).withName(policy.getMetadata().getName()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch.toString());
      patchedAt.put(policy.getMetadata().getUid(), policy.getMetadata().getResourceVersion());
      count("status");
      return true;
    } catch (KubernetesClientException e) {
      LOG.atDebug().setMessage("status not written; next pass").addKeyValue("policy", policy.getMetadata().getName())
          .addKeyValue("code", e.getCode()).log();
      return false;
    }
  }

  private void count(String kind) {
    writes.computeIfAbsent(kind, k -> Counter.builder("daemonguard.audit.writes")
        .description("API writes by the audit: report, report-delete, event, status").tag("kind", k)
        .register(registry)).increment();
  }
}
