package io.daemonguard.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.daemonguard.admission.Violation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Results as one JSON array, one element per object: {@code {"file","kind","namespace","name","allowed",
 * "violations":[{"rule","message","path","container","action","policies"}]}}, the contract of {@code check -o json}.
 */
public final class JsonReport {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonReport() {}

  public static void write(PrintWriter out, List<ObjectResult> results) {
    try {
      JsonGenerator json = JSON.createGenerator(out);
      json.useDefaultPrettyPrinter();
      json.writeStartArray();
      for (ObjectResult result : results) {
        json.writeStartObject();
        json.writeStringField("file", result.source());
        json.writeStringField("kind", result.workload().kind());
        json.writeStringField("namespace", result.workload().namespace());
        json.writeStringField("name", result.workload().name());
        json.writeBooleanField("allowed", result.decision().allowed());
        json.writeArrayFieldStart("violations");
        for (Violation violation : result.decision().violations()) {
          json.writeStartObject();
          json.writeStringField("rule", violation.rule().id());
          json.writeStringField("message", violation.message());
          json.writeStringField("path", violation.path());
          json.writeStringField("container", ViolationText.containers(violation));
          json.writeStringField("action", violation.action().label());
          json.writeArrayFieldStart("policies");
          for (String policy : violation.policies()) {
            json.writeString(policy);
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.flush();
      out.println();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
