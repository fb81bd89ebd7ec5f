package io.daemonguard.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** AdmissionReview {@code admission.k8s.io/v1}: strict decoding of what the apiserver sends, and the response. */
public final class AdmissionReviewCodec {

  public static final String API_VERSION = "admission.k8s.io/v1";
  /** Kubernetes objects are shallow; anything this deep is an attack on the parser, not a workload. */
  public static final int MAX_NESTING_DEPTH = 100;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private AdmissionReviewCodec() {}

  public static ReviewRequest decode(byte[] body) {
    JsonNode review;
    try {
      review = MAPPER.readTree(body);
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
    JsonNode object = request.get("object");
    if (object != null && object.isNull()) {
      object = null;
    }
    if (object != null && !object.isObject()) {
      throw new BadRequestException("request.object is not an object");
    }
    JsonNode userInfo = request.get("userInfo");
    String username = null;
    if (userInfo != null && !userInfo.isNull()) {
      if (!userInfo.isObject()) {
        throw new BadRequestException("request.userInfo is not an object");
      }
      username = text(userInfo, "username", "request.userInfo.username");
    }
    return new ReviewRequest(
        uid,
        text(gvk, "group", "request.kind.group"),
        text(gvk, "version", "request.kind.version"),
        requiredText(gvk, "kind", "request.kind.kind"),
        text(request, "subResource", "request.subResource"),
        operation,
        text(request, "namespace", "request.namespace"),
        text(request, "name", "request.name"),
        username,
        object);
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
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadRequestException(path + " is not a string");
    }
    return node.textValue();
  }

  private static String requiredText(JsonNode parent, String field, String path) {
    String value = text(parent, field, path);
    if (value == null || value.isEmpty()) {
      throw new BadRequestException(path + " is missing");
    }
    return value;
  }

  private static String quote(String value) {
    return value == null ? "missing" : "\"" + value + "\"";
  }
}
