package pip.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;
import pip.Engine;
import pip.testing.ProtoWire;

/**
 * Per-call cost of pip from Java: a typical purpose_allowed and
 * retention_due, as JSON strings and as serialized pip.v1 bytes, on the
 * embedded default policy. The requests are those of the C API's
 * benchmarks (tests/testing/requests.h: TypicalPurposeRequest,
 * TypicalRetentionRequest), so the figures compare with
 * BM_CApi{Json,Pb}_{PurposeAllowed,RetentionDue}_Typical of pip_bench.
 *
 * <p>Each case is warmed up (the JIT compiles the path), then timed in
 * rounds of about half a second each; the best and the median round are
 * printed in nanoseconds per call of this thread's CPU time (what
 * pip_bench reports as CPU), and the median round's wall time, which a
 * loaded machine inflates. One thread. Run by hand (README.md).
 */
public final class JavaBench {
  static final String PURPOSE_JSON = "{\"subject_id\":\"c-1\",\"purpose\":\"direct_mail\","
      + "\"categories\":[\"name\",\"email\"],\"as_of\":\"2026-03-01T12:00:00+09:00\"}";
  static final String RETENTION_JSON =
      "{\"kind\":\"inquiry\",\"event_at\":\"2023-05-10T14:00:00+09:00\","
      + "\"as_of\":\"2026-05-11T00:00:00+09:00\"}";

  static volatile Object sink;
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
    byte[] purposePb = new ProtoWire()
                           .string(1, "c-1")
                           .string(2, "direct_mail")
                           .string(3, "name")
                           .string(3, "email")
                           .message(8, ProtoWire.timestamp("2026-03-01T12:00:00+09:00"))
                           .toByteArray();
    byte[] retentionPb = new ProtoWire()
                             .string(1, "inquiry")
                             .message(2, ProtoWire.timestamp("2023-05-10T14:00:00+09:00"))
                             .message(4, ProtoWire.timestamp("2026-05-11T00:00:00+09:00"))
                             .toByteArray();
    try (Engine engine = Engine.withDefaultPolicy()) {
      System.out.printf("pip %s, policy %s, %s %s%n", Engine.libraryVersion(),
          engine.policyVersion(), System.getProperty("java.vm.name"),
          System.getProperty("java.version"));
      System.out.printf("%-24s %14s %14s %14s %12s%n", "case", "best cpu ns", "median cpu ns",
          "median wall ns", "calls/round");
      run("purpose_allowed json", seconds, () -> engine.purposeAllowed(PURPOSE_JSON));
      run("purpose_allowed pb", seconds, () -> engine.purposeAllowedPb(purposePb));
      run("retention_due json", seconds, () -> engine.retentionDue(RETENTION_JSON));
      run("retention_due pb", seconds, () -> engine.retentionDuePb(retentionPb));
    }
  }

  static void run(String name, double seconds, Supplier<Object> call) {
    // Warm-up, and the number of calls that takes about `seconds`.
    long calls = 1000;
    while (true) {
      long start = System.nanoTime();
      for (long i = 0; i < calls; ++i) sink = call.get();
      long elapsed = System.nanoTime() - start;
      if (elapsed > seconds * 1e9)
        break;
      calls *= 2;
    }
    double[] cpu = new double[5];
    double[] wall = new double[cpu.length];
    for (int r = 0; r < cpu.length; ++r) {
      long cpuStart = THREADS.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (long i = 0; i < calls; ++i) sink = call.get();
      wall[r] = (double) (System.nanoTime() - start) / calls;
      cpu[r] = (double) (THREADS.getCurrentThreadCpuTime() - cpuStart) / calls;
    }
    Arrays.sort(cpu);
    Arrays.sort(wall);
    System.out.printf("%-24s %14.0f %14.0f %14.0f %12d%n", name, cpu[0], cpu[cpu.length / 2],
        wall[wall.length / 2], calls);
  }
}
