package io.daemonguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of an AdmissionReview request the webhook uses. {@code object} is null for DELETE and CONNECT,
 * {@code oldObject} but for UPDATE and DELETE; of {@code oldObject} only the name and labels are read.
 */
public record ReviewRequest(
    String uid,
    String group,
    String kind,
    String operation,
    String namespace,
    String name,
    String username,
    List<String> groups,
    JsonNode object,
    JsonNode oldObject) {

  public ReviewRequest {
    groups = List.copyOf(groups);
  }
}
