// Limits (pip/limits.h) and bad input. DESIGN.md principle 4 (fail closed):
// a request past a limit, with malformed text, an impossible number or time,
// or a field given twice is an InvalidArgument error that names the field or
// the limit, and never a decision. Each limit is shown at its value (accepted)
// and one past it (refused).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"
#include "pip/policy.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::testing::HasSubstr;

using testing::Time;

const Engine& DefaultEngine() { return testing::SharedDefaultEngine(); }

// 4.2: name and email for direct mail, nothing against it: allowed.
v1::PurposeAllowedRequest DirectMail() {
  return testing::TypicalPurposeRequest();
}

v1::Consent LocationConsent(int i) {
  v1::Consent c;
  c.set_id(absl::StrCat("k-", i));
  c.set_subject_id("c-1");
  c.add_categories("location");
  *c.mutable_granted_at() = Time("2025-04-01T10:00:00+09:00");
  c.set_consent_version(1);
  return c;
}

// 2.4: location with a consent: allowed.
v1::ConsentCheckRequest LocationCheck() {
  v1::ConsentCheckRequest r;
  r.set_subject_id("c-1");
  r.add_categories("location");
  r.add_purposes("usage_analysis");
  *r.add_consents() = LocationConsent(0);
  *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  return r;
}

// 7: an inquiry of 2023-05-10 is kept until 2026-05-10.
v1::RetentionDueRequest Inquiry() { return testing::TypicalRetentionRequest(); }

// 8.2, 8.3: a complete disclosure request by email.
v1::RequestValidateRequest Disclosure() {
  v1::RequestValidateRequest r;
  r.set_type("disclosure");
  r.set_channel("email");
  *r.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  r.add_documents("identity_document");
  r.add_documents("request_form");
  r.set_identity_verified(true);
  r.set_fee_paid_jpy(300);
  *r.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  return r;
}

// An error that is InvalidArgument, names `what`, and is itself valid
// UTF-8 (it never quotes bad bytes back).
template <typename T>
void ExpectRefused(const absl::StatusOr<T>& result, absl::string_view what) {
  ASSERT_THAT(result,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(what)))
      << "accepted; expected an error naming " << what;
  EXPECT_TRUE(google::protobuf::internal::IsStructurallyValidUTF8(
      result.status().message().data(),
      static_cast<int>(result.status().message().size())));
}

// The answer line of EvaluateJson is an error with code INVALID_ARGUMENT
// whose message names `what`.
void ExpectErrorLine(const std::string& line, absl::string_view what) {
  const std::string answer = pip::EvaluateJson(DefaultEngine(), line);
  v1::EvalResponse response;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(answer, &response))
      << answer;
  ASSERT_TRUE(response.has_error()) << "not an error: " << answer;
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT") << answer;
  EXPECT_THAT(response.error().message(), HasSubstr(what)) << answer;
}

// The answer line of EvaluateJson is a decision, not an error.
void ExpectDecisionLine(const std::string& line) {
  const std::string answer = pip::EvaluateJson(DefaultEngine(), line);
  EXPECT_FALSE(absl::StartsWith(answer, "{\"error\"")) << answer;
}

// --- Limits ------------------------------------------------------------------

TEST(LimitsTest, ConsentsPerRequest) {
  v1::ConsentCheckRequest r = LocationCheck();
  while (r.consents_size() < kMaxConsentsPerRequest) {
    *r.add_consents() = LocationConsent(r.consents_size());
  }
  absl::StatusOr<v1::ConsentCheckDecision> at = DefaultEngine().ConsentCheck(r);
  ASSERT_OK(at);
  EXPECT_TRUE(at->valid());
  *r.add_consents() = LocationConsent(r.consents_size());
  ExpectRefused(DefaultEngine().ConsentCheck(r), "kMaxConsentsPerRequest");

  // The same limit on the consents of purpose_allowed.
  v1::PurposeAllowedRequest p = DirectMail();
  for (int i = 0; i <= kMaxConsentsPerRequest; ++i) {
    *p.add_consents() = LocationConsent(i);
  }
  ExpectRefused(DefaultEngine().PurposeAllowed(p), "kMaxConsentsPerRequest");
}

TEST(LimitsTest, ActiveRequestsPerRequest) {
  v1::PurposeAllowedRequest r = DirectMail();
  // 8.1: third-party stop requests do not block internal use.
  auto add = [&r] {
    v1::ActiveRequest* a = r.add_active_requests();
    a->set_type("third_party_stop");
    *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
  };
  while (r.active_requests_size() < kMaxActiveRequests) add();
  absl::StatusOr<v1::PurposeAllowedDecision> at =
      DefaultEngine().PurposeAllowed(r);
  ASSERT_OK(at);
  EXPECT_TRUE(at->allowed());
  add();
  ExpectRefused(DefaultEngine().PurposeAllowed(r), "kMaxActiveRequests");
}

TEST(LimitsTest, CategoriesAndPurposesPerList) {
  v1::PurposeAllowedRequest r = DirectMail();
  while (r.categories_size() < kMaxIdsPerList) r.add_categories("name");
  absl::StatusOr<v1::PurposeAllowedDecision> at =
      DefaultEngine().PurposeAllowed(r);
  ASSERT_OK(at);
  EXPECT_TRUE(at->allowed());
  r.add_categories("name");
  ExpectRefused(DefaultEngine().PurposeAllowed(r), "kMaxIdsPerList");

  v1::ConsentCheckRequest c = LocationCheck();
  while (c.purposes_size() <= kMaxIdsPerList) c.add_purposes("usage_analysis");
  ExpectRefused(DefaultEngine().ConsentCheck(c), "kMaxIdsPerList");

  // And on a consent's scope.
  c = LocationCheck();
  while (c.consents(0).categories_size() <= kMaxIdsPerList) {
    c.mutable_consents(0)->add_categories("location");
  }
  ExpectRefused(DefaultEngine().ConsentCheck(c), "consents[0].categories");
}

TEST(LimitsTest, HoldsPerRecord) {
  v1::RetentionDueRequest r = Inquiry();
  while (r.holds_size() < kMaxHolds) r.add_holds()->set_type("dispute");
  absl::StatusOr<v1::RetentionDueDecision> at = DefaultEngine().RetentionDue(r);
  ASSERT_OK(at);
  EXPECT_FALSE(at->due()) << "7: a dispute hold keeps the record";
  r.add_holds()->set_type("dispute");
  ExpectRefused(DefaultEngine().RetentionDue(r), "kMaxHolds");
}

TEST(LimitsTest, TextBytes) {
  v1::PurposeAllowedRequest r = DirectMail();
  r.set_subject_id(std::string(kMaxTextBytes, 'c'));
  ASSERT_OK(DefaultEngine().PurposeAllowed(r));
  r.set_subject_id(std::string(kMaxTextBytes + 1, 'c'));
  ExpectRefused(DefaultEngine().PurposeAllowed(r), "kMaxTextBytes");

  v1::RetentionDueRequest h = Inquiry();
  h.add_holds()->set_type("dispute");
  h.mutable_holds(0)->set_id(std::string(kMaxTextBytes + 1, 'h'));
  ExpectRefused(DefaultEngine().RetentionDue(h), "holds[0].id");
}

TEST(LimitsTest, JsonRequestBytes) {
  // A valid request padded with spaces to exactly the limit is read.
  const std::string request =
      R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})";
  std::string line = request;
  line.insert(1, kMaxJsonRequestBytes - request.size(), ' ');
  ASSERT_EQ(line.size(), kMaxJsonRequestBytes);
  ExpectDecisionLine(line);
  line.insert(1, " ");
  ExpectErrorLine(line, "kMaxJsonRequestBytes");
  ExpectRefused(ParseEvalRequestJson(line), "kMaxJsonRequestBytes");
}

TEST(LimitsTest, PolicyBytes) {
  // A valid policy padded with a comment to the limit loads; one byte more
  // is refused before it is parsed, from text and from binary bytes.
  std::string text(DefaultPolicyText());
  text += "\n#";
  text.append(kMaxPolicyBytes - text.size(), 'x');
  ASSERT_EQ(text.size(), kMaxPolicyBytes);
  ASSERT_TRUE(Engine::Create(PolicySource::Text(text)).ok());
  text += "x";
  ExpectRefused(Engine::Create(PolicySource::Text(text)), "kMaxPolicyBytes");
  ExpectRefused(Engine::Create(PolicySource::Binary(
                    std::string(kMaxPolicyBytes + 1, '\0'))),
                "kMaxPolicyBytes");
  auto engine = Engine::Create(PolicySource::Default());
  ASSERT_TRUE(engine.ok());
  EXPECT_THAT(
      std::string((*engine)->Reload(PolicySource::Text(text)).message()),
      HasSubstr("kMaxPolicyBytes"));
}

// --- Hostile policy bytes ----------------------------------------------------

// Binary policy bytes from a newer schema may carry a restriction this
// version does not know; the policy is refused, never run without it.
TEST(HostilePolicyTest, BinaryPolicyWithAnUnknownFieldIsRefused) {
  auto engine = Engine::Create(PolicySource::Default());
  ASSERT_TRUE(engine.ok());
  const std::string bytes = (*engine)->policy().SerializeAsString();
  ASSERT_TRUE(Engine::Create(PolicySource::Binary(bytes)).ok());
  // Field 1000, varint 1: tag (1000 << 3 | 0) = 8000 = 0xC0 0x3E.
  const std::string unknown = bytes + std::string("\xC0\x3E\x01", 3);
  ExpectRefused(Engine::Create(PolicySource::Binary(unknown)),
                "<field number 1000>: a field unknown to pip.v1.Policy");
  // Inside a purpose: a condition the newer schema added.
  v1::Policy policy = (*engine)->policy();
  policy.GetReflection()
      ->MutableUnknownFields(policy.mutable_purposes(0))
      ->AddVarint(77, 1);
  ExpectRefused(
      Engine::Create(PolicySource::Binary(policy.SerializeAsString())),
      "purposes[0].<field number 77>");
  // Given as a message, to Reload, it is refused as well.
  EXPECT_THAT(
      std::string((*engine)->Reload(PolicySource::Message(policy)).message()),
      HasSubstr("purposes[0].<field number 77>"));
  EXPECT_TRUE(ValidatePolicy(policy).size() == 1);
}

// Text format takes any bytes in a string; a label that is not UTF-8 would
// be echoed into decisions and make them unprintable, so the policy is
// refused with the field named.
TEST(HostilePolicyTest, PolicyTextThatIsNotUtf8IsRefused) {
  std::string text(DefaultPolicyText());
  const std::string label = "label_en: \"Preparation of statistical data\"";
  ASSERT_NE(text.find(label), std::string::npos);
  text.replace(text.find(label), label.size(),
               "label_en: \"Preparation \xe0\x94\x96 data\"");
  ExpectRefused(Engine::Create(PolicySource::Text(text)),
                "].label_en: not valid UTF-8");
  EXPECT_FALSE(ValidatePolicyText(text).empty());
}

// In binary, protobuf itself refuses a string that is not UTF-8, and says
// why only in its log: pip returns that finding as its error and prints
// nothing on the host's stderr.
TEST(HostilePolicyTest, BinaryPolicyThatIsNotUtf8IsRefusedSayingWhyInTheError) {
  // Field 1 (version), length 1, byte 0xFF.
  const std::string bytes("\x0a\x01\xff", 3);
  ::testing::internal::CaptureStderr();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Binary(bytes));
  const std::string printed = ::testing::internal::GetCapturedStderr();
  ExpectRefused(std::move(engine),
                "String field 'pip.v1.Policy.version' contains invalid UTF-8");
  EXPECT_EQ(printed, "") << "nothing of protobuf's reaches stderr";
}

// --- Malformed text: invalid UTF-8 and NUL bytes ---------------------------

// Overlong forms, UTF-16 surrogates, stray continuation bytes, truncated
// sequences and code points past U+10FFFF are all refused, in every text
// field, with the field named.
TEST(BadInputTest, InvalidUtf8InEveryTextField) {
  const std::string bad[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                             "\x80", "\xe6\x97", "\xf4\x90\x80\x80", "\xff"};
  for (const std::string& b : bad) {
    SCOPED_TRACE(absl::CEscape(b));
    v1::PurposeAllowedRequest p = DirectMail();
    p.set_subject_id("c" + b);
    ExpectRefused(DefaultEngine().PurposeAllowed(p), "subject_id: not valid UTF-8");
    p = DirectMail();
    p.set_categories(1, "email" + b);
    ExpectRefused(DefaultEngine().PurposeAllowed(p), "categories[1]: not valid UTF-8");
    p = DirectMail();
    p.set_recipient(b);
    ExpectRefused(DefaultEngine().PurposeAllowed(p), "recipient: not valid UTF-8");
    p = DirectMail();
    v1::ActiveRequest* a = p.add_active_requests();
    a->set_type("suspension");
    a->set_id(b);
    *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
    ExpectRefused(DefaultEngine().PurposeAllowed(p),
                  "active_requests[0].id: not valid UTF-8");

    v1::ConsentCheckRequest c = LocationCheck();
    c.mutable_consents(0)->set_id(b);
    ExpectRefused(DefaultEngine().ConsentCheck(c), "consents[0].id: not valid UTF-8");
    c = LocationCheck();
    c.mutable_consents(0)->set_subject_id("c-1" + b);
    ExpectRefused(DefaultEngine().ConsentCheck(c),
                  "consents[0].subject_id: not valid UTF-8");

    v1::RetentionDueRequest h = Inquiry();
    h.add_holds()->set_type("dispute");
    h.mutable_holds(0)->set_id(b);
    ExpectRefused(DefaultEngine().RetentionDue(h), "holds[0].id: not valid UTF-8");
    h = Inquiry();
    h.set_kind(b);
    ExpectRefused(DefaultEngine().RetentionDue(h), "kind: not valid UTF-8");

    v1::RequestValidateRequest v = Disclosure();
    v.set_channel(b);
    ExpectRefused(DefaultEngine().RequestValidate(v), "channel: not valid UTF-8");
    v = Disclosure();
    v.set_requester(b);
    ExpectRefused(DefaultEngine().RequestValidate(v), "requester: not valid UTF-8");
  }
}

TEST(BadInputTest, ValidUtf8IsAccepted) {
  v1::PurposeAllowedRequest p = DirectMail();
  p.set_subject_id("顧客-😀");
  absl::StatusOr<v1::PurposeAllowedDecision> d = DefaultEngine().PurposeAllowed(p);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

TEST(BadInputTest, InvalidUtf8InJsonIsAnError) {
  ExpectErrorLine(
      "{\"purpose_allowed\": {\"subject_id\": \"c\xc0\xaf\", \"purpose\": "
      "\"direct_mail\", \"categories\": [\"name\"], \"as_of\": "
      "\"2026-03-01T12:00:00+09:00\"}}",
      "");
  // A lone surrogate written as an escape.
  ExpectErrorLine(
      R"({"purpose_allowed": {"subject_id": "c\ud800", "purpose": "direct_mail", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "");
}

// The JSON parser quotes bad input in its message; the error line stays
// valid UTF-8 JSON whatever the bytes (an overlong form here).
TEST(BadInputTest, ErrorLineQuotingBadBytesIsValidJson) {
  const std::string line =
      "{\"retention_due\": {\xe0\x94\x96\x91\x9b\xdd\xc5\xdf\"kind\": "
      "\"inquiry\"}}";
  const std::string answer = pip::EvaluateJson(DefaultEngine(), line);
  EXPECT_TRUE(google::protobuf::internal::IsStructurallyValidUTF8(
      answer.data(), static_cast<int>(answer.size())));
  ExpectErrorLine(line, "invalid JSON request");
  absl::StatusOr<v1::EvalRequest> parsed = ParseEvalRequestJson(line);
  ExpectRefused(parsed, "invalid JSON request");
}

TEST(BadInputTest, NulBytesAreRefused) {
  v1::PurposeAllowedRequest p = DirectMail();
  p.set_subject_id(std::string("c-1\0x", 5));
  ExpectRefused(DefaultEngine().PurposeAllowed(p), "subject_id: contains a NUL byte");
  p = DirectMail();
  p.set_categories(0, std::string("name\0", 5));
  ExpectRefused(DefaultEngine().PurposeAllowed(p), "categories[0]: contains a NUL byte");
  ExpectErrorLine(
      R"({"consent_check": {"subject_id": "c-1\u0000", "categories": ["location"], "purposes": ["usage_analysis"], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "subject_id: contains a NUL byte");
  // A raw NUL byte in the JSON text.
  ExpectErrorLine(std::string("{\"retention_due\": {\0}}", 22), "");
}

// --- Numbers and times -------------------------------------------------------

TEST(BadInputTest, EnormousNumbersInJsonAreErrors) {
  const std::string base =
      R"({"request_validate": {"type": "disclosure", "channel": "email", "received_at": "2026-01-31T10:00:00+09:00", "documents": ["identity_document", "request_form"], "identity_verified": true, "fee_paid_jpy": FEE, "as_of": "2026-02-02T09:00:00+09:00"}})";
  ExpectDecisionLine(absl::StrReplaceAll(base, {{"FEE", "300"}}));
  for (const char* fee : {"2147483648", "99999999999999999999999", "1e30",
                          "-2147483649", "3.5", "NaN", "Infinity"}) {
    SCOPED_TRACE(fee);
    ExpectErrorLine(absl::StrReplaceAll(base, {{"FEE", fee}}), "");
  }
  const std::string consent =
      R"({"consent_check": {"subject_id": "c-1", "categories": ["location"], "purposes": ["usage_analysis"], "consents": [{"id": "k", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00", "consent_version": VERSION}], "as_of": "2026-03-01T12:00:00+09:00"}})";
  ExpectDecisionLine(absl::StrReplaceAll(consent, {{"VERSION", "1"}}));
  ExpectErrorLine(absl::StrReplaceAll(consent, {{"VERSION", "4294967297"}}), "");
}

TEST(BadInputTest, NegativeFeesAreRefused) {
  v1::RequestValidateRequest v = Disclosure();
  for (int fee : {-1, std::numeric_limits<int32_t>::min()}) {
    v.set_fee_paid_jpy(fee);
    ExpectRefused(DefaultEngine().RequestValidate(v), "fee_paid_jpy");
  }
  ExpectErrorLine(
      R"({"request_validate": {"type": "disclosure", "channel": "email", "received_at": "2026-01-31T10:00:00+09:00", "fee_paid_jpy": -300, "as_of": "2026-02-02T09:00:00+09:00"}})",
      "fee_paid_jpy: a fee cannot be negative");
}

TEST(BadInputTest, TimesOutsideTheYears1900To9999) {
  v1::RetentionDueRequest r = Inquiry();
  *r.mutable_event_at() = Time("1900-01-01T00:00:00Z");
  EXPECT_OK(DefaultEngine().RetentionDue(r));
  // The lower bound is on the Tokyo date, like every date pip counts:
  // 1899-12-31T15:00:00Z is 1900-01-01 00:00 in Tokyo, a second earlier is
  // still 1899 there.
  *r.mutable_event_at() = Time("1899-12-31T15:00:00Z");
  EXPECT_OK(DefaultEngine().RetentionDue(r));
  *r.mutable_event_at() = Time("1900-01-01T00:00:00+09:00");
  EXPECT_OK(DefaultEngine().RetentionDue(r));
  *r.mutable_event_at() = Time("1899-12-31T14:59:59Z");
  ExpectRefused(DefaultEngine().RetentionDue(r), "event_at: time is outside the years 1900-9999");
  *r.mutable_event_at() = Time("1899-12-31T23:59:59+09:00");
  ExpectRefused(DefaultEngine().RetentionDue(r), "event_at: time is outside the years 1900-9999");

  r = Inquiry();
  *r.mutable_as_of() = Time("9999-12-31T23:59:59Z");
  EXPECT_OK(DefaultEngine().RetentionDue(r));
  // Past what JSON can write: seconds of 10000-01-01, the largest int64,
  // the smallest, and nanos out of range.
  for (int64_t seconds : {int64_t{253402300800}, std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min()}) {
    r.mutable_as_of()->set_seconds(seconds);
    ExpectRefused(DefaultEngine().RetentionDue(r), "as_of");
  }
  r = Inquiry();
  r.mutable_as_of()->set_nanos(-1);
  ExpectRefused(DefaultEngine().RetentionDue(r), "as_of: nanos out of range");
  r.mutable_as_of()->set_nanos(1000000000);
  ExpectRefused(DefaultEngine().RetentionDue(r), "as_of: nanos out of range");

  ExpectErrorLine(
      R"({"retention_due": {"kind": "inquiry", "event_at": "1899-12-31T00:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})",
      "event_at: time is outside the years 1900-9999");
  ExpectErrorLine(
      R"({"retention_due": {"kind": "inquiry", "event_at": "10000-01-01T00:00:00Z", "as_of": "2026-05-11T00:00:00+09:00"}})",
      "");
}

// Near the end of the accepted years a period that ends past 9999 is still
// a decision (not due) or a clear error, never a crash.
TEST(BadInputTest, PeriodsEndingAfter9999) {
  v1::RetentionDueRequest r = Inquiry();
  *r.mutable_event_at() = Time("9999-12-30T00:00:00Z");
  *r.mutable_as_of() = Time("9999-12-31T00:00:00Z");
  absl::StatusOr<v1::RetentionDueDecision> d = DefaultEngine().RetentionDue(r);
  if (d.ok()) {
    EXPECT_FALSE(d->due()) << "7: three years have not passed";
  } else {
    EXPECT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument));
  }
  v1::RequestValidateRequest v = Disclosure();
  *v.mutable_received_at() = Time("9999-12-31T00:00:00Z");
  *v.mutable_as_of() = Time("9999-12-31T00:00:00Z");
  absl::StatusOr<v1::RequestValidateDecision> rv = DefaultEngine().RequestValidate(v);
  if (!rv.ok()) EXPECT_EQ(rv.status().code(), absl::StatusCode::kInvalidArgument);
}

// --- Duplicated fields -------------------------------------------------------

TEST(BadInputTest, DuplicateJsonKeysAreRefusedNamingTheKey) {
  // The last "purpose" would win and turn a denied use into an allowed one.
  ExpectErrorLine(
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "statistics", "categories": ["name"], "purpose": "billing", "as_of": "2026-03-01T12:00:00+09:00"}})",
      "duplicate key 'purpose' in purpose_allowed");
  // Nested, in the second consent.
  ExpectErrorLine(
      R"({"consent_check": {"subject_id": "c-1", "categories": ["location"], "purposes": ["usage_analysis"], "consents": [{"id": "a", "granted_at": "2025-04-01T10:00:00+09:00"}, {"id": "b", "granted_at": "2025-04-01T10:00:00+09:00", "id": "c"}], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "duplicate key 'id' in consent_check.consents[1]");
  // The same field by its proto name and by its JSON name.
  ExpectErrorLine(
      R"({"consent_check": {"subject_id": "c-1", "subjectId": "c-2", "categories": ["location"], "purposes": ["usage_analysis"], "as_of": "2026-03-01T12:00:00+09:00"}})",
      "duplicate key 'subjectId' in consent_check (the same field as 'subject_id')");
  // The same key written with an escape.
  ExpectErrorLine(
      R"({"retention_due": {"kind": "inquiry", "\u006bind": "accounting", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}})",
      "duplicate key 'kind' in retention_due");
  // A repeated list and a repeated context object.
  ExpectErrorLine(
      R"({"purpose_allowed": {"purpose": "statistics", "categories": ["name"], "categories": ["email"], "context": {"anonymized": true}, "as_of": "2026-03-01T12:00:00+09:00"}})",
      "duplicate key 'categories'");
  ExpectErrorLine(
      R"({"purpose_allowed": {"purpose": "statistics", "categories": ["name"], "context": {"anonymized": false, "anonymized": true}, "as_of": "2026-03-01T12:00:00+09:00"}})",
      "duplicate key 'anonymized' in purpose_allowed.context");
  // Two functions in one request.
  ExpectErrorLine(
      R"({"retention_due": {"kind": "inquiry", "as_of": "2026-05-11T00:00:00+09:00"}, "retention_due": {"kind": "inquiry", "as_of": "2026-05-11T00:00:00+09:00"}})",
      "");
  ExpectErrorLine(
      R"({"retention_due": {"kind": "inquiry", "as_of": "2026-05-11T00:00:00+09:00"}, "request_validate": {"type": "disclosure"}})",
      "");
  // Equal values in different objects are no duplicate.
  ExpectDecisionLine(
      R"({"consent_check": {"subject_id": "c-1", "categories": ["location"], "purposes": ["usage_analysis"], "consents": [{"id": "a", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00"}, {"id": "b", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00"}], "as_of": "2026-03-01T12:00:00+09:00"}})");
}

}  // namespace
}  // namespace pip
