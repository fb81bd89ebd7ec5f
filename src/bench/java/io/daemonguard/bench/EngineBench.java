package io.daemonguard.bench;

import io.daemonguard.admission.AdmissionEngine;
import io.daemonguard.admission.AdmissionPolicy;
import io.daemonguard.admission.Decision;
import io.daemonguard.admission.ExemptionLabelGuard;
import io.daemonguard.admission.Workload;
import io.daemonguard.admission.WorkloadReader;
import io.daemonguard.policy.FixedPolicies;
import io.daemonguard.webhook.AdmissionHandler;
import io.daemonguard.webhook.AdmissionReviewCodec;
import io.daemonguard.webhook.ReviewRequest;
import io.daemonguard.webhook.WebhookMetrics;
import java.util.List;
import java.util.Set;
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

/**
 * The engine without the network, one thread, per AdmissionReview body (see {@link Bodies}):
 *
 * <ul>
 *   <li>{@code decide}: the decision proper from the decoded object: {@link WorkloadReader} finds the containers and
 *       host volumes, {@link AdmissionEngine} applies the rules of the default policy;
 *   <li>{@code handle}: the whole of {@link AdmissionHandler#handle}: decode, decide, encode the response, count the
 *       metrics (everything the webhook does per request except HTTP, TLS and the denial log line).
 * </ul>
 *
 * Decoding alone is measured by {@link DecodeBench}. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the
 * bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"})
public class EngineBench {

  @Param({Bodies.TYPICAL_POD, Bodies.DENIED_POD, Bodies.LARGE_POD, Bodies.DEPLOYMENT})
  public String body;

  private byte[] bytes;
  private ReviewRequest request;
  private List<AdmissionPolicy> policies;
  private AdmissionHandler handler;

  @Setup(Level.Trial)
  public void setUp() {
    bytes = Bodies.body(body);
    request = AdmissionReviewCodec.decode(bytes);
    policies = List.of(AdmissionPolicy.defaultPolicy("daemonguard", Set.of()));
    handler = new AdmissionHandler(new FixedPolicies(policies), ExemptionLabelGuard.defaults(), new WebhookMetrics());
    Decision decision = decide();
    boolean expectDenied = body.equals(Bodies.DENIED_POD);
    if (decision.allowed() == expectDenied) {
      throw new IllegalStateException(body + ": unexpected decision " + decision);
    }
  }

  @Benchmark
  public Decision decide() {
    Workload workload = WorkloadReader.read(request.object(), request.kind(), request.namespace());
    return AdmissionEngine.evaluate(workload, policies);
  }

  @Benchmark
  public byte[] handle() {
    return handler.handle(bytes);
  }
}
