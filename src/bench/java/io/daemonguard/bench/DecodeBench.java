package io.daemonguard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daemonguard.webhook.AdmissionReviewCodec;
import io.daemonguard.webhook.ReviewRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where decoding's time goes, side by side on the same body:
 *
 * <ul>
 *   <li>{@code codec}: {@link AdmissionReviewCodec#decode} as the webhook runs it (its own tree reader: strict, and
 *       leaves unbuilt what nothing reads);
 *   <li>{@code databindStrict}: {@code ObjectMapper.readTree} with strict duplicate detection and no trailing tokens,
 *       which is what the codec did before (the "before" of BENCHMARKS.md);
 *   <li>{@code tokens}: the parser's tokens only, nothing built: the floor of any decoding that reads every byte;
 *   <li>{@code tokensWithoutManagedFields}: the same for the body without the object's {@code managedFields}.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"})
public class DecodeBench {

  private static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
      .maxNestingDepth(AdmissionReviewCodec.MAX_NESTING_DEPTH).build();
  private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(CONSTRAINTS).enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(CONSTRAINTS).build();

  @Param({Bodies.TYPICAL_POD, Bodies.LARGE_POD, Bodies.DEPLOYMENT})
  public String body;

  private byte[] bytes;
  private byte[] withoutManagedFields;

  @Setup(Level.Trial)
  public void setUp() {
    bytes = Bodies.body(body);
    withoutManagedFields = Bodies.withoutManagedFields(body);
  }

  @Benchmark
  public ReviewRequest codec() {
    return AdmissionReviewCodec.decode(bytes);
  }

  @Benchmark
  public JsonNode databindStrict() throws IOException {
    return STRICT.readTree(bytes);
  }

  @Benchmark
  public void tokens(Blackhole blackhole) throws IOException {
    tokens(bytes, blackhole);
  }

  /** The same floor for the body without the object's {@code metadata.managedFields}: that field's share of it. */
  @Benchmark
  public void tokensWithoutManagedFields(Blackhole blackhole) throws IOException {
    tokens(withoutManagedFields, blackhole);
  }

  private static void tokens(byte[] bytes, Blackhole blackhole) throws IOException {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        blackhole.consume(token);
      }
    }
  }
}
