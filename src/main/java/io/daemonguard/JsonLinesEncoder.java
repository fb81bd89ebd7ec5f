package io.daemonguard;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One flat JSON object per line, the shape log pipelines (Loki, Elasticsearch, Cloud Logging) index without help:
 * {@code {"time":"2026-11-30T00:25:01.120Z","level":"INFO","logger":"...","msg":"admission deny","uid":"...",...}}.
 * Logback's own JsonEncoder nests the key-value pairs as an array of one-key objects and writes epoch milliseconds,
 * which every query then has to unpick. A key-value pair named like one of the fixed fields is written as
 * {@code kv.<name>}, so that it can never overwrite the level or the message.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> FIXED = Set.of("time", "level", "logger", "msg", "thread", "error", "stack");

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("msg", event.getFormattedMessage());
      for (Map.Entry<String, Object> pair : pairs(event).entrySet()) {
        json.writeFieldName(pair.getKey());
        Object value = pair.getValue();
        if (value instanceof Number || value instanceof Boolean) {
          json.writeObject(value);
        } else {
          json.writeString(String.valueOf(value));
        }
      }
      json.writeStringField("thread", event.getThreadName());
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        json.writeStringField("error", thrown.getClassName() + ": " + thrown.getMessage());
        json.writeStringField("stack", ThrowableProxyUtil.asString(thrown));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** The event's key-value pairs and MDC, each name once (the last value wins), clear of the fixed fields. */
  private static Map<String, Object> pairs(ILoggingEvent event) {
    Map<String, Object> pairs = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
      pairs.put(name(entry.getKey()), entry.getValue());
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        pairs.put(name(pair.key), pair.value);
      }
    }
    return pairs;
  }

  private static String name(String key) {
    String name = String.valueOf(key);
    return FIXED.contains(name) ? "kv." + name : name;
  }
}
