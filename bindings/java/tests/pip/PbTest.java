package pip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pip.testing.ProtoWire;

/**
 * The decisions on serialized pip.v1 messages, written and read here with
 * the wire format itself (field numbers of proto/pip/v1/decision.proto).
 */
class PbTest {
  static Engine engine;

  @BeforeAll
  static void open() {
    engine = Engine.withDefaultPolicy();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  // pip.v1.RetentionDueRequest: kind = 1, event_at = 2, as_of = 4.
  static byte[] inquiry(String asOf) {
    return new ProtoWire()
        .string(1, "inquiry")
        .message(2, ProtoWire.timestamp("2023-05-10T14:00:00+09:00"))
        .message(4, ProtoWire.timestamp(asOf))
        .toByteArray();
  }

  @Test
  void inquiryDueAfterThreeYearsAsBytes_clause7() {
    // RetentionDueDecision: due = 1, retain_until = 2, clause = 5.
    byte[] kept = engine.retentionDuePb(inquiry("2026-05-10T23:59:59+09:00"));
    assertEquals(0, ProtoWire.varintField(kept, 1));
    assertEquals("2026-05-10", ProtoWire.stringField(kept, 2));
    byte[] due = engine.retentionDuePb(inquiry("2026-05-11T00:00:00+09:00"));
    assertEquals(1, ProtoWire.varintField(due, 1));
    assertEquals("7", ProtoWire.stringField(due, 5));
    assertArrayEquals(
        due, engine.decidePb(Function.RETENTION_DUE, inquiry("2026-05-11T00:00:00+09:00")));
  }

  @Test
  void newsletterToOwnCustomerAllowedAsBytes_clause4_2() {
    // PurposeAllowedRequest: subject_id = 1, purpose = 2, categories = 3, as_of = 8.
    byte[] request = new ProtoWire()
                         .string(1, "c-1")
                         .string(2, "direct_mail")
                         .string(3, "name")
                         .string(3, "email")
                         .message(8, ProtoWire.timestamp("2026-03-01T12:00:00+09:00"))
                         .toByteArray();
    byte[] decision = engine.purposeAllowedPb(request);
    assertEquals(1, ProtoWire.varintField(decision, 1)); // allowed
    // The same answer as the JSON surface.
    Map<String, Object> json = Json.object(engine.purposeAllowed(
        "{\"subject_id\": \"c-1\", \"purpose\": \"direct_mail\","
        + " \"categories\": [\"name\", \"email\"], \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
    assertEquals(true, json.get("allowed"));
    // Reason (field 2) 0: code = 1 (ReasonCode PURPOSE_PERMITTED = 1), clause = 2.
    byte[] reason = (byte[]) ProtoWire.fields(decision).get(2).get(0);
    assertEquals(1, ProtoWire.varintField(reason, 1));
    assertEquals("4.2", ProtoWire.stringField(reason, 2));
  }

  @Test
  void evaluatePbAndBatchAnswerEachRequest_clause7() {
    // EvalRequest: retention_due = 3. EvalResponse: retention_due = 3, error = 15.
    byte[] eval = new ProtoWire().message(3, inquiry("2026-05-11T00:00:00+09:00")).toByteArray();
    byte[] response = engine.evaluatePb(eval);
    byte[] decision = (byte[]) ProtoWire.fields(response).get(3).get(0);
    assertEquals(1, ProtoWire.varintField(decision, 1));

    // An EvalRequest holding no function is an error, thrown.
    assertThrows(PipException.InvalidArgument.class, () -> engine.evaluatePb(new byte[0]));

    // EvalBatchRequest/Response: requests = 1, responses = 1. A bad request
    // gets its own error; the others are decided.
    byte[] badRequest = new ProtoWire().string(1, "inquiry").toByteArray(); // no event_at
    byte[] batch = new ProtoWire()
                       .message(1, eval)
                       .message(1, new ProtoWire().message(3, badRequest))
                       .toByteArray();
    List<Object> responses = ProtoWire.fields(engine.evaluateBatchPb(batch)).get(1);
    assertEquals(2, responses.size());
    byte[] first = (byte[]) ProtoWire.fields((byte[]) responses.get(0)).get(3).get(0);
    assertEquals(1, ProtoWire.varintField(first, 1));
    byte[] error = (byte[]) ProtoWire.fields((byte[]) responses.get(1)).get(15).get(0);
    assertEquals("INVALID_ARGUMENT", ProtoWire.stringField(error, 1));
    assertTrue(
        ProtoWire.stringField(error, 2).contains("event_at"), ProtoWire.stringField(error, 2));
  }

  @Test
  void unknownFieldIsRefusedNotIgnored_clause7() {
    // Field 99 is no field of RetentionDueRequest: a newer caller's field is
    // never dropped silently.
    byte[] request = new ProtoWire()
                         .string(1, "inquiry")
                         .message(2, ProtoWire.timestamp("2023-05-10T14:00:00+09:00"))
                         .message(4, ProtoWire.timestamp("2026-05-11T00:00:00+09:00"))
                         .varint(99, 1)
                         .toByteArray();
    assertThrows(PipException.InvalidArgument.class, () -> engine.retentionDuePb(request));
  }
}
