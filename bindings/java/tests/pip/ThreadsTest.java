package pip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * One engine shared by many threads: every call agrees with the answer of a
 * single thread, while the policy is reloaded and while the engine closes.
 */
class ThreadsTest {
  static final String INQUIRY =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
      + " \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
  static final String SUSPENDED = "{\"purpose\": \"direct_mail\", \"categories\": [\"email\"],"
      + " \"active_requests\": [{\"type\": \"suspension\","
      + " \"received_at\": \"2026-01-10T09:00:00+09:00\"}],"
      + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
  static final int THREADS = 8;
  static final int CALLS = 300;

  @Test
  void callsFromManyThreadsAgreeDuringReloads_clauses7_8_1() throws Exception {
    try (Engine engine = Engine.withDefaultPolicy()) {
      // Clause 7: the inquiry is due; 8.1: the suspension blocks direct mail.
      String due = engine.retentionDue(INQUIRY);
      String blocked = engine.purposeAllowed(SUSPENDED);
      byte[] duePb = engine.retentionDuePb(PbTest.inquiry("2026-05-11T00:00:00+09:00"));
      assertTrue(due.contains("\"due\":true"), due);
      assertTrue(blocked.contains("\"allowed\":false"), blocked);

      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      try {
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; ++t) {
          workers.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < CALLS; ++i) {
              assertEquals(due, engine.retentionDue(INQUIRY));
              assertEquals(blocked, engine.purposeAllowed(SUSPENDED));
              assertArrayEquals(
                  duePb, engine.retentionDuePb(PbTest.inquiry("2026-05-11T00:00:00+09:00")));
            }
            return CALLS;
          }));
        }
        // The same policy, reloaded again and again meanwhile: one policy per call.
        Future<Integer> reloader = pool.submit(() -> {
          start.await();
          int reloads = 0;
          while (!done.get()) {
            engine.reload(PolicySource.defaultPolicy());
            ++reloads;
          }
          return reloads;
        });
        start.countDown();
        int calls = 0;
        for (Future<Integer> w : workers) calls += w.get(60, TimeUnit.SECONDS);
        done.set(true);
        assertTrue(reloader.get(60, TimeUnit.SECONDS) > 0);
        assertEquals(THREADS * CALLS, calls);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closeWaitsForCallsInFlightAndLaterCallsThrow_clause7() throws Exception {
    Engine engine = Engine.withDefaultPolicy();
    String due = engine.retentionDue(INQUIRY);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch everyOneCalled = new CountDownLatch(THREADS);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; ++t) {
        workers.add(pool.submit(() -> {
          int answered = 0;
          while (true) {
            String answer;
            try {
              answer = engine.retentionDue(INQUIRY);
            } catch (PipException.EngineClosed closed) {
              return answered; // the only way out
            }
            // Until close, every answer is the whole right answer.
            assertEquals(due, answer);
            if (answered++ == 0)
              everyOneCalled.countDown();
          }
        }));
      }
      assertTrue(everyOneCalled.await(60, TimeUnit.SECONDS));
      engine.close();
      for (Future<Integer> w : workers) assertTrue(w.get(60, TimeUnit.SECONDS) > 0);
    } finally {
      pool.shutdownNow();
    }
  }
}
