package io.daemonguard.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.api.DaemonSecurityPolicy;

/**
 * A DaemonSecurityPolicy as a JSON tree (a file's document, an AdmissionReview's object) compiled for the engine. A
 * field the API does not have is an error, not a no-op: a typo must never switch a check off.
 */
public final class PolicyObjects {

  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private PolicyObjects() {}

  /** @throws IllegalArgumentException naming the policy and the field that is wrong */
  public static AdmissionPolicy compile(JsonNode object) {
    DaemonSecurityPolicy policy;
    try {
      policy = STRICT.treeToValue(object, DaemonSecurityPolicy.class);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "(top level)";
      throw refused(object, parent + ": no such field \"" + e.getPropertyName() + "\" (known here: " + String.join(", ",
          e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")", e);
    } catch (MismatchedInputException e) {
      throw refused(object, path(e) + ": " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (JsonProcessingException e) {
      throw refused(object, e.getOriginalMessage().replace('\n', ' '), e);
    }
    return PolicyCompiler.compile(policy);
  }

  private static IllegalArgumentException refused(JsonNode object, String why, Exception cause) {
    String name = object.path("metadata").path("name").asText("");
    return new IllegalArgumentException("DaemonSecurityPolicy " + (name.isEmpty() ? "(no name)" : name) + ": " + why, cause);
  }

  /** The field a binding error is about, as the policy spells it: {@code spec.admission.rules.privilegedContainr}. */
  private static String path(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
