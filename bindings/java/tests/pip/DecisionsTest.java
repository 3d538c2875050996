package pip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision functions on JSON, on the embedded default policy. Each test
 * states the rule of the policy it checks and its clause.
 */
class DecisionsTest {
  static Engine engine;

  @BeforeAll
  static void open() {
    engine = Engine.withDefaultPolicy();
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static final String NEWSLETTER_TO_PARTNER =
      "{\"subject_id\": \"c-004\", \"purpose\": \"direct_mail\","
      + " \"categories\": [\"name\", \"email\"], \"recipient\": \"third_party\","
      + " \"consents\": [{\"id\": \"k-4001\", \"subject_id\": \"c-004\","
      + " \"recipients\": [\"third_party\"], \"granted_at\": \"2025-06-01T10:00:00+09:00\","
      + " %s \"consent_version\": 1}],"
      + " \"as_of\": \"2026-04-15T09:00:00+09:00\"}";

  static List<String> codes(Map<String, Object> decision, String list) {
    List<String> codes = new ArrayList<>();
    for (Object r : Json.list(decision.get(list))) codes.add((String) Json.object(r).get("code"));
    return codes;
  }

  @Test
  void newsletterToThirdPartyAllowedWithConsent_withdrawalDenies_clause4_2_appi27() {
    // 4.2 direct mail is a purpose of the policy; giving the data to a third
    // party needs the person's consent (APPI 27), which a withdrawal ends.
    Map<String, Object> d =
        Json.object(engine.purposeAllowed(String.format(NEWSLETTER_TO_PARTNER, "")));
    assertEquals(true, d.get("allowed"));
    assertEquals(List.of("PURPOSE_PERMITTED", "CONSENT_RELIED", "CONSENT_RELIED",
                     "PROVISION_RECORD_REQUIRED"),
        codes(d, "reasons"));
    assertEquals("4.2", Json.object(Json.list(d.get("reasons")).get(0)).get("clause"));

    Map<String, Object> withdrawn = Json.object(engine.purposeAllowed(
        String.format(NEWSLETTER_TO_PARTNER, "\"withdrawn_at\": \"2026-02-10T18:20:00+09:00\",")));
    assertEquals(false, withdrawn.get("allowed"));
    assertEquals(List.of("RECIPIENT_CONSENT_REQUIRED", "WITHDRAWN"), codes(withdrawn, "reasons"));
  }

  @Test
  void suspensionRequestBlocksDirectMail_clause8_1() {
    String request = "{\"subject_id\": \"c-1\", \"purpose\": \"direct_mail\","
        + " \"categories\": [\"name\", \"email\"],"
        + " \"active_requests\": [{\"type\": \"suspension\", \"id\": \"r-7\","
        + " \"received_at\": \"2026-01-10T09:00:00+09:00\"}],"
        + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
    Map<String, Object> d = Json.object(engine.purposeAllowed(request));
    assertEquals(false, d.get("allowed"));
    Map<String, Object> reason = Json.object(Json.list(d.get("reasons")).get(0));
    assertEquals("SUSPENDED_BY_REQUEST", reason.get("code"));
    assertEquals("8.1", reason.get("clause"));
    assertEquals("r-7", reason.get("request_id"));
    assertEquals(
        Map.of("version", engine.policyVersion(), "hash", engine.policyHash()), d.get("policy"));
  }

  @Test
  void locationNeedsConsent_consentCheckSeesWithdrawal_clause2_4() {
    String consent = "{\"id\": \"k-1\", \"subject_id\": \"c-1\", \"categories\": [\"location\"],"
        + " \"granted_at\": \"2025-04-01T10:00:00+09:00\", \"consent_version\": 1%s}";
    String check = "{\"subject_id\": \"c-1\", \"categories\": [\"location\"],"
        + " \"purposes\": [\"usage_analysis\"], \"consents\": [" + consent + "],"
        + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";
    Map<String, Object> valid = Json.object(engine.consentCheck(String.format(check, "")));
    assertEquals(true, valid.get("valid"));
    assertEquals("k-1", valid.get("consent_id"));
    Map<String, Object> withdrawn = Json.object(engine.consentCheck(
        String.format(check, ", \"withdrawn_at\": \"2026-02-01T00:00:00+09:00\"")));
    assertEquals(false, withdrawn.get("valid"));
    assertEquals(List.of("WITHDRAWN"), codes(withdrawn, "reasons"));
  }

  static final String INQUIRY =
      "{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\", \"as_of\": \"%s\"}";

  @Test
  void inquiryKeptThreeYearsThenDue_clause7() {
    // Clause 7: inquiries are kept 3 years; the day of the inquiry is not
    // counted, so the record is kept through 2026-05-10 and due from the 11th.
    Map<String, Object> kept =
        Json.object(engine.retentionDue(String.format(INQUIRY, "2026-05-10T23:59:59+09:00")));
    assertEquals(false, kept.get("due"));
    assertEquals("2026-05-10", kept.get("retain_until"));
    Map<String, Object> due =
        Json.object(engine.retentionDue(String.format(INQUIRY, "2026-05-11T00:00:00+09:00")));
    assertEquals(true, due.get("due"));
    assertEquals("2026-05-11T00:00:00+09:00", due.get("due_at"));
    assertEquals("secure_erasure_and_shredding", due.get("deletion_method"));
    assertEquals("7", due.get("clause"));
  }

  static final String DISCLOSURE = "{\"type\": \"disclosure\", \"channel\": \"email\","
      + " \"received_at\": \"2026-01-31T10:00:00+09:00\","
      + " \"documents\": [\"identity_document\", \"request_form\"],"
      + " \"identity_verified\": true, \"fee_paid_jpy\": 300, %s"
      + " \"as_of\": \"2026-02-02T09:00:00+09:00\"}";

  @Test
  void requestByProxyMissesPowerOfAttorney_clause8_3() {
    Map<String, Object> self = Json.object(engine.requestValidate(String.format(DISCLOSURE, "")));
    assertEquals(true, self.get("valid"));
    assertEquals("2026-03-02", self.get("respond_by")); // 8.2: 30 days
    assertEquals("RESPOND", self.get("next_step"));

    Map<String, Object> byProxy =
        Json.object(engine.requestValidate(String.format(DISCLOSURE, "\"requester\": \"agent\",")));
    assertEquals(false, byProxy.get("valid"));
    assertEquals(List.of("power_of_attorney"), byProxy.get("missing"));
    assertEquals("COLLECT_DOCUMENTS", byProxy.get("next_step"));
    assertEquals("8.3", Json.object(Json.list(byProxy.get("reasons")).get(0)).get("clause"));
  }

  @Test
  void paperFormWithPurposeStatedMayBeAcquired_appi21_2() {
    Map<String, Object> d = Json.object(engine.acquisitionCheck(
        "{\"subject_id\": \"c-1\", \"channel\": \"paper\","
        + " \"categories\": [\"name\", \"contract\"], \"purpose_stated\": true,"
        + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
    assertEquals(true, d.get("allowed"));
    Map<String, Object> unstated = Json.object(engine.acquisitionCheck(
        "{\"subject_id\": \"c-1\", \"channel\": \"paper\","
        + " \"categories\": [\"name\", \"contract\"], \"purpose_stated\": false,"
        + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
    assertEquals(false, unstated.get("allowed"));
  }

  static final String CONTRACTOR = "{\"contractor_id\": \"vendor-17\","
      + " \"criteria_met\": [\"adequate_security_measures\", \"clear_privacy_policy\","
      + " \"no_serious_past_breach\", \"security_certification\", \"sound_finances\"],"
      + " \"contract_terms\": [\"confidentiality\", \"no_use_beyond_purpose\","
      + " \"no_third_party_provision\", \"subcontracting_restriction\","
      + " \"return_or_deletion_on_termination\", \"incident_reporting\"%s],"
      + " \"last_checked_at\": \"2025-05-10T14:00:00+09:00\","
      + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}";

  @Test
  void contractorNeedsEveryContractTerm_clause6_2() {
    Map<String, Object> d = Json.object(
        engine.contractorCheck(String.format(CONTRACTOR, ", \"liability_for_damages\"")));
    assertEquals(true, d.get("allowed"));
    assertEquals("2026-05-10", d.get("next_check_by")); // 5.1: checked once a year
    Map<String, Object> missing =
        Json.object(engine.contractorCheck(String.format(CONTRACTOR, "")));
    assertEquals(false, missing.get("allowed"));
    Map<String, Object> reason = Json.object(Json.list(missing.get("reasons")).get(0));
    assertEquals("CONTRACT_TERM_MISSING", reason.get("code"));
    assertEquals("6.2", reason.get("clause"));
  }

  @Test
  void healthDataLeakIsReportable_appi26() {
    String leak = "{\"kind\": \"INCIDENT_LEAK\", \"categories\": [%s], \"people\": 10,"
        + " \"aware_at\": \"2026-01-31T15:30:00Z\", \"as_of\": \"2026-02-01T09:00:00+09:00\"}";
    Map<String, Object> plain =
        Json.object(engine.incidentAssess(String.format(leak, "\"name\", \"email\"")));
    assertEquals(false, plain.get("reportable"));
    Map<String, Object> health =
        Json.object(engine.incidentAssess(String.format(leak, "\"name\", \"health\"")));
    assertEquals(true, health.get("reportable"));
    assertEquals(true, health.get("notify_people"));
    assertEquals(
        List.of("INCIDENT_REPORTABLE", "SPECIAL_CARE_DATA_INVOLVED"), codes(health, "grounds"));
  }

  @Test
  void complaintGoesToInvestigationByPrivacyOfficer_clause9_1() {
    Map<String, Object> d = Json.object(engine.complaintRoute(
        "{\"state\": \"first_response\", \"as_of\": \"2026-03-01T12:00:00+09:00\"}"));
    assertEquals("investigation", d.get("next_step"));
    assertEquals("privacy_officer", d.get("owner"));
    assertEquals("9.1", Json.object(Json.list(d.get("reasons")).get(0)).get("clause"));
  }

  @Test
  void evaluateAnswersAWholeEvalRequest_clause7() {
    String request =
        "{\"retention_due\": " + String.format(INQUIRY, "2026-05-11T00:00:00+09:00") + "}";
    Map<String, Object> response = Json.object(engine.evaluate(request));
    assertEquals(List.of("retention_due"), new ArrayList<>(response.keySet()));
    assertEquals(true, Json.object(response.get("retention_due")).get("due"));
    // The same decision as the function's own method.
    assertEquals(
        Json.parse(engine.retentionDue(String.format(INQUIRY, "2026-05-11T00:00:00+09:00"))),
        response.get("retention_due"));
    // decide() by Function is the same call.
    assertEquals(engine.retentionDue(String.format(INQUIRY, "2026-05-11T00:00:00+09:00")),
        engine.decide(
            Function.named("retention_due"), String.format(INQUIRY, "2026-05-11T00:00:00+09:00")));
  }

  @Test
  void batchAnswersEachRequestAndKeepsErrorsInPlace_clause7() {
    List<String> answers = engine.evaluateBatch(
        List.of("{\"retention_due\": " + String.format(INQUIRY, "2026-05-10T23:59:59+09:00") + "}",
            "{\"retention_due\": {\"kind\": \"inquiry\"}}",
            "{\"retention_due\": " + String.format(INQUIRY, "2026-05-11T00:00:00+09:00") + "}"));
    assertEquals(3, answers.size());
    assertEquals(false, Json.object(Json.object(answers.get(0)).get("retention_due")).get("due"));
    Map<String, Object> error = Json.object(Json.object(answers.get(1)).get("error"));
    assertEquals("INVALID_ARGUMENT", error.get("code"));
    assertTrue(((String) error.get("message")).contains("event_at"), error.toString());
    assertEquals(true, Json.object(Json.object(answers.get(2)).get("retention_due")).get("due"));
    assertEquals(List.of(), engine.evaluateBatch(List.of()));
  }

  @Test
  void explainCitesTheClause_clause8_1() {
    String text = engine.explain("{\"purpose_allowed\": {\"purpose\": \"direct_mail\","
            + " \"categories\": [\"email\"], \"active_requests\": [{\"type\": \"suspension\","
            + " \"received_at\": \"2026-01-10T09:00:00+09:00\"}],"
            + " \"as_of\": \"2026-03-01T12:00:00+09:00\"}}",
        false);
    assertTrue(text.contains("8.1"), text);
    assertFalse(text.isEmpty());
  }

  @Test
  void functionsAreThoseOfFunctionsDef() {
    // Clauses 1.4 to 9: one function per question, as pip/functions.def lists them.
    // Function must list include/pip/functions.def as the library was built.
    String[] fromLibrary = Engine.nativeFunctionNames();
    String[] fromJava =
        Arrays.stream(Function.values()).map(Function::jsonName).toArray(String[] ::new);
    assertEquals(Arrays.asList(fromLibrary), Arrays.asList(fromJava));
    for (Function f : Function.values()) assertEquals(f.ordinal() + 1, f.number());
    assertFalse(Engine.libraryVersion().isEmpty());
  }
}
