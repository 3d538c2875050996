package pip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error is an exception naming the problem, never a decision and never
 * a crash: bad requests, bad policies, null arguments, a closed engine.
 */
class ErrorsTest {
  static Engine engine;

  @BeforeAll
  static void open() {
    engine = Engine.withDefaultPolicy();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static <T extends PipException> T assertPipError(
      Class<T> type, String code, String inMessage, Executable call) {
    T e = assertThrows(type, call);
    assertEquals(code, e.codeName());
    assertEquals(StatusCode.valueOf(code), e.code());
    assertTrue(e.getMessage().contains(inMessage),
        "'" + e.getMessage() + "' should name '" + inMessage + "'");
    return e;
  }

  @Test
  void malformedJsonIsAnErrorNamingWhereItBreaks() {
    // A direct-mail request (4.2) cut short gets no decision: an error is
    // never an allow.
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "invalid JSON request",
        () -> engine.purposeAllowed("{\"purpose\": \"direct_mail\", \"categories\": [\"email\"],"));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "invalid JSON",
        () -> engine.evaluate("not json"));
  }

  @Test
  void unknownPurposeIdIsAnErrorWithASuggestion_clause4() {
    // Clause 4 lists the purposes; a misspelt one is never read as another.
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT",
        "purpose: unknown purpose 'direct_mial' (did you mean 'direct_mail'?)",
        ()
            -> engine.purposeAllowed("{\"purpose\": \"direct_mial\", \"categories\": [\"email\"],"
                + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
  }

  @Test
  void textOutsideTheBasicPlaneSurvivesIntoTheMessage_clause4() {
    // Text crosses JNI as UTF-8: a character beyond U+FFFF comes back whole.
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT",
        "unknown purpose '\uD83D\uDCE7'",
        ()
            -> engine.purposeAllowed("{\"purpose\": \"\uD83D\uDCE7\", \"categories\": [\"email\"],"
                + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
  }

  @Test
  void unknownFieldAndMissingTimeAreErrors_clause7() {
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "kinds",
        () -> engine.retentionDue("{\"kinds\": \"inquiry\"}"));
    // Clause 7 counts from the inquiry: without its time there is no answer.
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "event_at",
        ()
            -> engine.retentionDue(
                "{\"kind\": \"inquiry\", \"as_of\": \"2026-05-11T00:00:00+09:00\"}"));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "event_at",
        () -> engine.evaluate("{\"retention_due\": {\"kind\": \"inquiry\"}}"));
  }

  @Test
  void corruptBytesAreAnError() {
    // Retention (7) and whole requests as bytes that do not parse.
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "",
        () -> engine.retentionDuePb(new byte[] {(byte) 0x0a, (byte) 0x7f, 'x'}));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "",
        () -> engine.evaluatePb(new byte[] {(byte) 0xff, (byte) 0xff}));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "",
        () -> engine.evaluateBatchPb(new byte[] {(byte) 0x0a, (byte) 0x7f}));
  }

  @Test
  void nullArgumentsAreErrorsNotCrashes() {
    // No request at all is no question of the policy (clauses 2-9): every
    // entry point refuses it, naming the argument, before reaching pip.
    List<Executable> calls = Arrays.asList(()
                                               -> engine.purposeAllowed(null),
        ()
            -> engine.consentCheck(null),
        ()
            -> engine.retentionDue(null),
        ()
            -> engine.requestValidate(null),
        ()
            -> engine.acquisitionCheck(null),
        ()
            -> engine.contractorCheck(null),
        ()
            -> engine.incidentAssess(null),
        ()
            -> engine.complaintRoute(null),
        ()
            -> engine.decide(null, "{}"),
        ()
            -> engine.evaluate(null),
        ()
            -> engine.explain(null, true),
        ()
            -> engine.evaluateBatch(null),
        ()
            -> engine.evaluateBatch(Arrays.asList("{}", null)),
        ()
            -> engine.retentionDuePb(null),
        ()
            -> engine.decidePb(Function.RETENTION_DUE, null),
        ()
            -> engine.evaluatePb(null),
        ()
            -> engine.evaluateBatchPb(null),
        ()
            -> engine.reload(null),
        ()
            -> Engine.create(null),
        ()
            -> Engine.create(PolicySource.defaultPolicy(), null),
        ()
            -> PolicySource.text(null),
        ()
            -> PolicySource.binary(null),
        ()
            -> PolicySource.file(null),
        ()
            -> PolicySource.signed(null, new byte[0], ""),
        ()
            -> PolicySource.signedFile(Path.of("p"), null),
        ()
            -> EngineOptions.builder().trustedKey((String) null),
        () -> EngineOptions.builder().auditLog(Path.of("log"), null));
    for (Executable call : calls) {
      PipException e = assertThrows(PipException.InvalidArgument.class, call);
      assertTrue(e.getMessage().endsWith(": null"), e.getMessage());
    }
    assertEquals("requests[1]: null",
        assertThrows(PipException.InvalidArgument.class,
            () -> engine.evaluateBatch(Arrays.asList("{}", null)))
            .getMessage());
  }

  @Test
  void closedEngineThrowsAndClosingTwiceIsHarmless_clause7() {
    Engine closed = Engine.withDefaultPolicy();
    String request = "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
        + " \"as_of\": \"2026-05-11T00:00:00+09:00\"}";
    assertTrue(closed.retentionDue(request).contains("\"due\":true"));
    closed.close();
    closed.close();
    PipException.EngineClosed e =
        assertThrows(PipException.EngineClosed.class, () -> closed.retentionDue(request));
    assertEquals(StatusCode.FAILED_PRECONDITION, e.code());
    assertThrows(PipException.EngineClosed.class, closed::policyVersion);
    assertThrows(PipException.EngineClosed.class, () -> closed.retentionDuePb(new byte[0]));
    assertThrows(
        PipException.EngineClosed.class, () -> closed.reload(PolicySource.defaultPolicy()));
  }

  @Test
  void unreachableEngineIsFreed_clause7() throws Exception {
    // An engine nobody closed is freed by its Cleaner once unreachable.
    long freed = Engine.FREED.get();
    Engine forgotten = Engine.withDefaultPolicy();
    assertTrue(forgotten.retentionDue("{\"kind\": \"inquiry\","
        + " \"event_at\": \"2023-05-10T14:00:00+09:00\","
        + " \"as_of\": \"2026-05-11T00:00:00+09:00\"}").contains("\"due\":true"));
    forgotten = null;
    for (int i = 0; i < 200 && Engine.FREED.get() == freed; ++i) {
      System.gc();
      Thread.sleep(50);
    }
    assertTrue(Engine.FREED.get() > freed);
  }

  @Test
  void policyErrorsNameTheFileAndTheProblem(@TempDir Path dir) throws Exception {
    // A policy that cannot be read or validated never runs; the policy in
    // force (the default's 4.2 and 7 alike) stays.
    assertPipError(PipException.NotFound.class, "NOT_FOUND", "no-such-policy.textproto",
        () -> Engine.create(PolicySource.file(dir.resolve("no-such-policy.textproto"))));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "broken.textproto",
        ()
            -> Engine.create(
                PolicySource.text("version: \"x\"\nnot_a_field: 1\n", "broken.textproto")));
    // A failed reload leaves the running policy in place.
    Path bad = dir.resolve("bad.textproto");
    Files.writeString(bad, "version: 3");
    String hash = engine.policyHash();
    assertThrows(PipException.InvalidArgument.class, () -> engine.reload(PolicySource.file(bad)));
    assertEquals(hash, engine.policyHash());
  }

  @Test
  void optionErrorsAreExceptions(@TempDir Path dir) {
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "trusted_keys",
        ()
            -> Engine.create(PolicySource.defaultPolicy(),
                EngineOptions.builder().trustedKey("not a key").build()));
    assertPipError(PipException.InvalidArgument.class, "INVALID_ARGUMENT", "",
        ()
            -> Engine.create(PolicySource.defaultPolicy(),
                EngineOptions.builder().auditLog(dir.resolve("log.jsonl"), new byte[8]).build()));
    // Clause 5.4's decision log: a log that cannot be opened stops the engine.
    assertPipError(PipException.Unavailable.class, "UNAVAILABLE", "",
        ()
            -> Engine.create(PolicySource.defaultPolicy(),
                EngineOptions.builder()
                    .auditLog(dir.resolve("missing-dir/log.jsonl"), new byte[32])
                    .build()));
  }

  @Test
  void theCodeTableMapsEveryCode() {
    // The one table of status codes to exceptions (README.md, "Errors").
    assertEquals(
        PipException.InvalidArgument.class, PipException.of("INVALID_ARGUMENT", "m").getClass());
    assertEquals(PipException.NotFound.class, PipException.of("NOT_FOUND", "m").getClass());
    assertEquals(PipException.Untrusted.class, PipException.of("UNAUTHENTICATED", "m").getClass());
    assertEquals(
        PipException.Untrusted.class, PipException.of("PERMISSION_DENIED", "m").getClass());
    assertEquals(PipException.FailedPrecondition.class,
        PipException.of("FAILED_PRECONDITION", "m").getClass());
    assertEquals(PipException.ResourceExhausted.class,
        PipException.of("RESOURCE_EXHAUSTED", "m").getClass());
    assertEquals(PipException.Unavailable.class, PipException.of("UNAVAILABLE", "m").getClass());
    assertEquals(PipException.Internal.class, PipException.of("INTERNAL", "m").getClass());
    PipException other = PipException.of("DATA_LOSS", "m");
    assertEquals(PipException.class, other.getClass());
    assertEquals(StatusCode.DATA_LOSS, other.code());
    PipException unknown = PipException.of("SOMETHING_NEW", "m");
    assertEquals(StatusCode.UNKNOWN, unknown.code());
    assertEquals("SOMETHING_NEW", unknown.codeName());
    assertThrows(PipException.InvalidArgument.class, () -> Function.named("retention"));
  }
}
