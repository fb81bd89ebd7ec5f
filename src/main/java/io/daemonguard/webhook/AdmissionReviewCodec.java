package io.daemonguard.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.daemonguard.admission.FieldSelection;
import io.daemonguard.admission.JsonFields;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.manifest.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** AdmissionReview {@code admission.k8s.io/v1}: strict decoding of what the apiserver sends, and the response. */
public final class AdmissionReviewCodec {

  public static final String API_VERSION = "admission.k8s.io/v1";
  /** Kubernetes objects are shallow; anything this deep is an attack on the parser, not a workload. */
  public static final int MAX_NESTING_DEPTH = StrictJson.MAX_NESTING_DEPTH;
  /** The admission operations; anything else is not an AdmissionReview the apiserver sent. */
  static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  /** Writes responses. */
  private static final JsonFactory FACTORY = new JsonFactory();

  /**
   * What the webhook reads of a review: the fields {@link #decode} checks and returns, and of the object what
   * {@link WorkloadReader} reads, and the labels of {@code request.oldObject}. Everything else ({@code options},
   * and most of the object: env, probes, resources, annotations, {@code managedFields}, {@code status}) is checked as
   * strictly but never built.
   */
  private static final FieldSelection READ = FieldSelection.of(
      "kind", FieldSelection.ALL,
      "apiVersion", FieldSelection.ALL,
      "request", FieldSelection.of(
          "uid", FieldSelection.ALL, "kind", FieldSelection.ALL, "operation", FieldSelection.ALL,
          "subResource", FieldSelection.ALL, "namespace", FieldSelection.ALL, "name", FieldSelection.ALL,
          "userInfo", FieldSelection.of("username", FieldSelection.ALL, "groups", FieldSelection.ALL),
          "object", WorkloadReader.FIELDS,
          // a Namespace UPDATE's labels before, for ExemptionLabelGuard
          "oldObject", FieldSelection.of("metadata", FieldSelection.of("labels", FieldSelection.ALL))));

  /** Reads a review into what {@link #READ} selects, checking every byte (see {@link PrunedTreeReader}). */
  private static final PrunedTreeReader READER = new PrunedTreeReader(READ, MAX_NESTING_DEPTH);

  private AdmissionReviewCodec() {}

  public static ReviewRequest decode(byte[] body) {
    return decode(body, 0, body.length);
  }

  /** Decodes the {@code length} bytes of {@code body} from {@code offset} (a network buffer's, without a copy). */
  public static ReviewRequest decode(byte[] body, int offset, int length) {
    int invalid = Utf8Validator.firstInvalid(body, offset, length);
    if (invalid >= 0) {
      // Jackson alone would read overlong forms (C0 AF as '/'), encoded surrogates, and UTF-16 or UTF-32 bodies
      byte bad = body[offset + invalid];
      throw new BadRequestException(String.format(Locale.ROOT, "body is not valid UTF-8 JSON: %s at byte offset %d",
          bad == 0 ? "a NUL byte" : String.format(Locale.ROOT, "byte 0x%02X", bad & 0xFF), invalid));
    }
    JsonNode review;
    try {
      review = READER.read(body, offset, length);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequestException("body could not be read: " + e.getMessage());
    }
    if (review == null || !review.isObject()) {
      throw new BadRequestException("body is not a JSON object");
    }
    String kind = text(review, "kind", "kind");
    if (!"AdmissionReview".equals(kind)) {
      throw new BadRequestException("kind is " + quote(kind) + ", expected \"AdmissionReview\"");
    }
    String apiVersion = text(review, "apiVersion", "apiVersion");
    if (!API_VERSION.equals(apiVersion)) {
      throw new BadRequestException("apiVersion is " + quote(apiVersion) + ", expected \"" + API_VERSION + "\"");
    }
    JsonNode request = review.get("request");
    if (request == null || request.isNull()) {
      throw new BadRequestException("request is missing");
    }
    if (!request.isObject()) {
      throw new BadRequestException("request is not an object");
    }
    String uid = text(request, "uid", "request.uid");
    if (uid == null || uid.isEmpty()) {
      throw new BadRequestException("request.uid is missing");
    }
    JsonNode gvk = request.get("kind");
    if (gvk == null || !gvk.isObject()) {
      throw new BadRequestException("request.kind is missing or not an object");
    }
    String operation = text(request, "operation", "request.operation");
    if (operation == null) {
      throw new BadRequestException("request.operation is missing");
    }
    if (!OPERATIONS.contains(operation)) {
      throw new BadRequestException("request.operation is " + quote(operation) + ", expected one of " + OPERATIONS);
    }
    JsonNode object = request.get("object");
    if (object != null && object.isNull()) {
      object = null;
    }
    if (object != null && !object.isObject()) {
      throw new BadRequestException("request.object is not an object");
    }
    if (object == null && (operation.equals("CREATE") || operation.equals("UPDATE"))) {
      // the apiserver always sends the object of a CREATE or UPDATE; without it there is nothing to judge
      throw new BadRequestException("request.object is missing for " + operation);
    }
    JsonNode oldObject = request.get("oldObject");
    if (oldObject != null && oldObject.isNull()) {
      oldObject = null;
    }
    if (oldObject != null && !oldObject.isObject()) {
      throw new BadRequestException("request.oldObject is not an object");
    }
    JsonNode userInfo = request.get("userInfo");
    String username = null;
    List<String> groups = List.of();
    if (userInfo != null && !userInfo.isNull()) {
      if (!userInfo.isObject()) {
        throw new BadRequestException("request.userInfo is not an object");
      }
      username = text(userInfo, "username", "request.userInfo.username");
      groups = strings(userInfo, "groups", "request.userInfo.groups");
    }
    // checked as the apiserver sends them, though nothing reads them: a review that gets them wrong is not one
    text(gvk, "version", "request.kind.version");
    text(request, "subResource", "request.subResource");
    return new ReviewRequest(
        uid,
        text(gvk, "group", "request.kind.group"),
        requiredText(gvk, "kind", "request.kind.kind"),
        operation,
        text(request, "namespace", "request.namespace"),
        text(request, "name", "request.name"),
        username,
        groups,
        object,
        oldObject);
  }

  /** The response: {@code allowed}, a 403 status with the message when denied, warnings, audit annotations. */
  public static byte[] encode(
      String uid, boolean allowed, String message, List<String> warnings, Map<String, String> auditAnnotations) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (message == null ? 0 : message.length()));
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("apiVersion", API_VERSION);
      json.writeStringField("kind", "AdmissionReview");
      json.writeObjectFieldStart("response");
      json.writeStringField("uid", uid);
      json.writeBooleanField("allowed", allowed);
      if (!allowed) {
        json.writeObjectFieldStart("status");
        json.writeNumberField("code", 403);
        json.writeStringField("reason", "Forbidden");
        json.writeStringField("message", message);
        json.writeEndObject();
      }
      if (!warnings.isEmpty()) {
        json.writeArrayFieldStart("warnings");
        for (String warning : warnings) {
          json.writeString(warning);
        }
        json.writeEndArray();
      }
      if (!auditAnnotations.isEmpty()) {
        json.writeObjectFieldStart("auditAnnotations");
        for (Map.Entry<String, String> annotation : auditAnnotations.entrySet()) {
          json.writeStringField(annotation.getKey(), annotation.getValue());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String text(JsonNode parent, String field, String path) {
    return JsonFields.text(parent, field, path, p -> new BadRequestException(p + " is not a string"));
  }

  private static List<String> strings(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadRequestException(path + " is not an array");
    }
    String[] values = new String[node.size()];
    for (int i = 0; i < values.length; i++) {
      if (!node.get(i).isTextual()) {
        throw new BadRequestException(path + "[" + i + "] is not a string");
      }
      values[i] = node.get(i).textValue();
    }
    return List.of(values);
  }

  private static String requiredText(JsonNode parent, String field, String path) {
    String value = text(parent, field, path);
    if (value == null || value.isEmpty()) {
      throw new BadRequestException(path + " is missing");
    }
    return value;
  }

  private static String quote(String value) {
    if (value == null) {
      return "missing";
    }
    // a 400 echoes what it refuses, but not a multi-megabyte string
    return "\"" + (value.length() > 64 ? value.substring(0, 64) + "...\" (" + value.length() + " characters)" : value + "\"");
  }
}
