package io.daemonguard.report;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events, where {@code kubectl describe} shows them. fabric8 has no EventRecorder (fabric8#8038), so this
 * is client-go's EventCorrelator in small: an exact repeat bumps {@code count} and {@code lastTimestamp} of the Event
 * already written instead of creating another, and each object gets a token bucket (a burst of 25, then one every five
 * minutes) so a flapping object cannot flood etcd. Writing an Event never fails the caller: an Event is a courtesy, the
 * status is the record.
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final int BURST = 25;
  static final Duration REFILL = Duration.ofMinutes(5);
  static final int MAX_KEYS = 4096;
  /** events.k8s.io/v1's limit on a note; kept for core/v1 too so both APIs show the same text. */
  static final int MAX_MESSAGE = 1024;

  public enum Type { Normal, Warning }

  private final KubernetesClient client;
  private final String namespace;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final AtomicLong dropped = new AtomicLong();
  /** Exact repeats, by object, type, reason and message: the Event written and its count. LRU, guarded by this. */
  private final Map<String, Written> repeats = lru();
  /** Token buckets by object uid. LRU, guarded by this. */
  private final Map<String, Bucket> buckets = lru();

  private record Written(String name, int count) {}

  private static final class Bucket {
    double tokens = BURST;
    Instant refilled;

    Bucket(Instant now) {
      refilled = now;
    }
  }

  /**
   * @param namespace where Events about cluster-scoped objects go ({@code default}, as client-go does); an Event about
   *     a namespaced object goes to the object's namespace, where {@code kubectl describe} looks
   * @param component the reporting component, e.g. {@code daemonguard-operator}
   * @param instance the reporting instance, e.g. the pod's name
   */
  public EventRecorder(KubernetesClient client, String namespace, String component, String instance, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.component = component;
    this.instance = instance;
    this.clock = clock;
  }

  /** Records an Event about {@code object}; returns whether one was written (created or counted). */
  public boolean record(HasMetadata object, Type type, String reason, String action, String message) {
    String uid = object.getMetadata().getUid();
    String note = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    String key = uid + '\0' + type + '\0' + reason + '\0' + note;
    Instant now = clock.instant();
    Written previous;
    synchronized (this) {
      if (!take(uid, now)) {
        dropped.incrementAndGet();
        LOG.atDebug().setMessage("event dropped: too many about one object").addKeyValue("object", describe(object))
            .addKeyValue("reason", reason).log();
        return false;
      }
      previous = repeats.get(key);
    }
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    try {
      if (previous != null && bump(namespaceOf(object), previous, timestamp)) {
        synchronized (this) {
          repeats.put(key, new Written(previous.name(), previous.count() + 1));
        }
      } else {
        Event created = client.v1().events().inNamespace(namespaceOf(object)).resource(event(object, type, reason,
            action, note, timestamp, now)).create();
        synchronized (this) {
          repeats.put(key, new Written(created.getMetadata().getName(), 1));
        }
      }
      return true;
    } catch (KubernetesClientException e) {
      LOG.atWarn().setMessage("could not write an event").addKeyValue("object", describe(object))
          .addKeyValue("reason", reason).addKeyValue("code", e.getCode()).addKeyValue("error", e.getMessage()).log();
      return false;
    }
  }

  public long dropped() {
    return dropped.get();
  }

  /** Counts a repeat on the Event already written; false when that Event is gone (Events expire after an hour). */
  private boolean bump(String eventNamespace, Written previous, String timestamp) {
    try {
      // patched through a stub, not withName(): fabric8 would GET the Event first, which RBAC need not grant
      Event stub = new EventBuilder().withNewMetadata().withName(previous.name()).withNamespace(eventNamespace)
          .endMetadata().build();
      client.v1().events().inNamespace(eventNamespace).resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"count\":" + (previous.count() + 1) + ",\"lastTimestamp\":\"" + timestamp + "\"}");
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private Event event(HasMetadata object, Type type, String reason, String action, String note, String timestamp,
      Instant now) {
    String name = object.getMetadata().getName();
    return new EventBuilder()
        .withNewMetadata()
        // client-go's naming: the object's name and a time in hex, unique enough for one recorder
        .withName(name + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano()))
        .withNamespace(namespaceOf(object))
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(object.getApiVersion())
            .withKind(object.getKind())
            .withName(name)
            .withNamespace(object.getMetadata().getNamespace())
            .withUid(object.getMetadata().getUid())
            .withResourceVersion(object.getMetadata().getResourceVersion())
            .build())
        .withType(type.name())
        .withReason(reason)
        .withAction(action)
        .withMessage(note)
        .withFirstTimestamp(timestamp)
        .withLastTimestamp(timestamp)
        .withCount(1)
        .withNewSource().withComponent(component).endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance)
        .build();
  }

  private String namespaceOf(HasMetadata object) {
    String own = object.getMetadata().getNamespace();
    return own == null || own.isEmpty() ? namespace : own;
  }

  private boolean take(String uid, Instant now) {
    Bucket bucket = buckets.computeIfAbsent(uid, k -> new Bucket(now));
    double refill = (double) Duration.between(bucket.refilled, now).toMillis() / REFILL.toMillis();
    bucket.tokens = Math.min(BURST, bucket.tokens + Math.max(0, refill));
    bucket.refilled = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  private static String describe(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return object.getKind() + " " + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}
