package io.daemonguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts of an AdmissionReview request the webhook uses. {@code object} is null for DELETE and CONNECT. */
public record ReviewRequest(
    String uid,
    String group,
    String version,
    String kind,
    String subResource,
    String operation,
    String namespace,
    String name,
    String username,
    JsonNode object) {}
