// Tests of pip's JSON codec (src/codec/json_codec.h).
//
// protobuf's own JSON util is the reference here: the printer must print
// byte for byte what MessageToJsonString prints, and every input the parser
// accepts must be read as JsonStringToMessage reads it. Where protobuf is
// lenient the codec refuses, each case with why (DESIGN.md principle 4: an
// input is evaluated exactly as written, or refused).
#include "src/codec/json_codec.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"
#include "pip/v1/audit.pb.h"
#include "pip/v1/decision.pb.h"
#include "src/codec/json.h"

namespace pip {
namespace engine_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;
using ::pip::testing::StatusIs;
using ::testing::HasSubstr;

// --- References ---------------------------------------------------------------

// What protobuf prints for `message` with the options of PrintJsonAnswer;
// empty when it cannot print it.
std::string ProtobufPrint(const Message& message, bool proto_names = true,
                          bool always_primitives = true) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = proto_names;
  options.always_print_primitive_fields = always_primitives;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options)
           .ok()) {
    return "";
  }
  return out;
}

std::string CodecPrint(const Message& message,
                       JsonFields fields = JsonFields::kAll) {
  std::string out;
  const absl::Status s = AppendJsonMessage(message, &out, fields);
  EXPECT_OK(s);
  return out;
}

// Parses `json` into `message` with the codec, and checks that its second
// form, which writes the message's bytes instead (ParseJsonToWire, how the
// pipeline reads JSON), accepts and refuses alike, with the same error, and
// writes bytes that protobuf reads to the same message.
absl::Status Parse(absl::string_view json, Message* message) {
  const absl::Status parsed = ParseJsonMessage(json, message);
  std::string wire = "kept";
  const absl::Status to_wire =
      ParseJsonToWire(json, message->GetDescriptor(), &wire);
  EXPECT_EQ(to_wire, parsed) << json;
  if (!parsed.ok()) {
    EXPECT_EQ(wire, "kept") << "an error appends nothing: " << json;
    return parsed;
  }
  EXPECT_EQ(wire.substr(0, 4), "kept") << json;
  std::unique_ptr<Message> read(message->New());
  EXPECT_TRUE(read->ParseFromString(wire.substr(4))) << json;
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(*message, *read)) << diff << "\n" << json;
  return parsed;
}

// Parses `json` as a pip.v1.EvalRequest with the codec and checks that it is
// refused with a message that holds `what` (usually the path).
void ExpectRefused(const std::string& json, const std::string& what) {
  v1::EvalRequest request;
  const absl::Status s = Parse(json, &request);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << json;
  EXPECT_THAT(std::string(s.message()), HasSubstr(what)) << json;
}

// Parses `json` with both parsers; they must both accept it and agree.
void ExpectSameAsProtobuf(const std::string& json, const Message& prototype) {
  std::unique_ptr<Message> ours(prototype.New());
  std::unique_ptr<Message> theirs(prototype.New());
  const auto reference =
      google::protobuf::util::JsonStringToMessage(json, theirs.get());
  ASSERT_OK(reference) << "\n" << json;
  const absl::Status s = Parse(json, ours.get());
  ASSERT_OK(s) << "\n" << json;
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(*theirs, *ours)) << diff << "\n" << json;
}

// --- Random messages ---------------------------------------------------------

// Fills messages of pip.v1 with random values, text that needs escaping and
// non-ASCII text included.
class Filler {
 public:
  explicit Filler(uint32_t seed) : rng_(seed) {}

  // `known_enums`: only declared enum values (an input the parser accepts).
  void Fill(Message* message, bool known_enums, int depth = 0) {
    const Descriptor* d = message->GetDescriptor();
    const Reflection* r = message->GetReflection();
    if (d == google::protobuf::Timestamp::descriptor()) {
      FillTimestamp(message);
      return;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (Chance(3)) continue;  // left at its default
      if (f->containing_oneof() != nullptr &&
          r->HasOneof(*message, f->containing_oneof())) {
        continue;
      }
      if (f->is_repeated()) {
        const int n = static_cast<int>(rng_() % 4);
        for (int k = 0; k < n; ++k) Add(message, f, known_enums, depth);
      } else {
        Set(message, f, known_enums, depth);
      }
    }
  }

 private:
  bool Chance(int one_in) { return rng_() % static_cast<uint32_t>(one_in) == 0; }

  std::string Text() {
    static const char* const kPieces[] = {
        "a",  "name", "c-1", " ", "\"", "\\", "/", "<", ">", "&", "'",
        "\n", "\t",  "\r",  "\b", "\f", "", "\x01",
        "\x1f", "\x7f", "é", "個人情報", "😀", "\u00ad", "\u2028", "\u2029",
        "\u200b", "\ufeff", "\U0001D173", "\U000E0001", "\u0085", "\u0600",
        "\uFFFB", "\U0010FFFF", "\u07FF", "\u0800", "\uFFFD"};
    std::string out;
    const int n = static_cast<int>(rng_() % 5);
    for (int i = 0; i < n; ++i) {
      const size_t k = rng_() % (sizeof(kPieces) / sizeof(kPieces[0]));
      // kPieces[16] stands for a NUL byte.
      if (k == 16) {
        out.push_back('\0');
      } else {
        out += kPieces[k];
      }
    }
    return out;
  }

  int64_t Int(int64_t lo, int64_t hi) {
    switch (rng_() % 4) {
      case 0: return lo;
      case 1: return hi;
      case 2: return 0;
      default:
        // The span in unsigned arithmetic: hi - lo overflows int64_t for
        // the full range.
        return lo + static_cast<int64_t>(
                        rng_() % std::min<uint64_t>(
                                     static_cast<uint64_t>(hi) -
                                         static_cast<uint64_t>(lo),
                                     uint64_t{1} << 40));
    }
  }

  void FillTimestamp(Message* message) {
    auto* ts = static_cast<google::protobuf::Timestamp*>(message);
    ts->set_seconds(Int(-62135596800, 253402300799));
    switch (rng_() % 4) {
      case 0: ts->set_nanos(0); break;
      case 1: ts->set_nanos(static_cast<int32_t>(rng_() % 1000) * 1000000); break;
      case 2: ts->set_nanos(static_cast<int32_t>(rng_() % 1000000) * 1000); break;
      default: ts->set_nanos(static_cast<int32_t>(rng_() % 1000000000)); break;
    }
  }

  int EnumValue(const FieldDescriptor* f, bool known) {
    if (!known && Chance(5)) return 1000 + static_cast<int>(rng_() % 100);
    const auto* e = f->enum_type();
    return e->value(static_cast<int>(rng_() % static_cast<uint32_t>(e->value_count())))
        ->number();
  }

  void Set(Message* m, const FieldDescriptor* f, bool known, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: r->SetString(m, f, Text()); break;
      case FieldDescriptor::CPPTYPE_BOOL: r->SetBool(m, f, Chance(2)); break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, static_cast<int32_t>(Int(INT32_MIN, INT32_MAX)));
        break;
      case FieldDescriptor::CPPTYPE_INT64: r->SetInt64(m, f, Int(INT64_MIN, INT64_MAX)); break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, static_cast<uint64_t>(Int(INT64_MIN, INT64_MAX)));
        break;
      case FieldDescriptor::CPPTYPE_ENUM: r->SetEnumValue(m, f, EnumValue(f, known)); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 6) Fill(r->MutableMessage(m, f), known, depth + 1);
        break;
      default: FAIL() << "no random value for " << f->full_name();
    }
  }

  void Add(Message* m, const FieldDescriptor* f, bool known, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: r->AddString(m, f, Text()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 6) Fill(r->AddMessage(m, f), known, depth + 1);
        break;
      default: FAIL() << "no random element for " << f->full_name();
    }
  }

  std::mt19937 rng_;
};

// Every message type a JSON surface of pip reads or prints.
std::vector<const Message*> SurfaceTypes() {
  return {&v1::EvalRequest::default_instance(),
          &v1::EvalResponse::default_instance(),
          &v1::PurposeAllowedRequest::default_instance(),
          &v1::ConsentCheckRequest::default_instance(),
          &v1::RetentionDueRequest::default_instance(),
          &v1::RequestValidateRequest::default_instance(),
          &v1::PurposeAllowedDecision::default_instance(),
          &v1::ConsentCheckDecision::default_instance(),
          &v1::RetentionDueDecision::default_instance(),
          &v1::RequestValidateDecision::default_instance()};
}

// --- Golden scenarios ----------------------------------------------------------

// The request lines of tests/scenarios/*.jsonl.
std::vector<std::string> ScenarioRequests() {
  std::vector<std::string> out;
  const std::filesystem::path dir =
      std::filesystem::path(PIP_SOURCE_DIR) / "tests" / "scenarios";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonl") continue;
    std::ifstream in(entry.path());
    std::string line;
    bool request = true;
    while (std::getline(in, line)) {
      if (line.empty() || absl::StartsWith(line, "#")) continue;
      if (request) out.push_back(line);
      request = !request;
    }
  }
  return out;
}

const Engine& DefaultEngine() { return testing::SharedDefaultEngine(); }

// --- (a) Printing ------------------------------------------------------------

TEST(JsonCodecPrintTest, GoldenScenarioAnswersPrintAsProtobufPrintsThem) {
  const std::vector<std::string> requests = ScenarioRequests();
  ASSERT_GT(requests.size(), 30u);
  int decisions = 0;
  for (const std::string& line : requests) {
    v1::EvalRequest request;
    if (!google::protobuf::util::JsonStringToMessage(line, &request).ok()) {
      continue;  // a broken line: no decision to print
    }
    EXPECT_EQ(CodecPrint(request), ProtobufPrint(request)) << line;
    const v1::EvalResponse response = DefaultEngine().Evaluate(request);
    decisions += response.has_error() ? 0 : 1;
    EXPECT_EQ(CodecPrint(response), ProtobufPrint(response)) << line;
  }
  EXPECT_GT(decisions, 20);
}

TEST(JsonCodecPrintTest, RandomMessagesOfEverySurfaceTypePrintAsProtobuf) {
  Filler filler(20260401);
  for (const Message* type : SurfaceTypes()) {
    for (int i = 0; i < 300; ++i) {
      std::unique_ptr<Message> m(type->New());
      filler.Fill(m.get(), /*known_enums=*/false);
      const std::string reference = ProtobufPrint(*m);
      ASSERT_FALSE(reference.empty()) << m->DebugString();
      ASSERT_EQ(CodecPrint(*m), reference) << m->DebugString();
    }
  }
}

TEST(JsonCodecPrintTest, EmptyAndDefaultMessagesPrintAsProtobuf) {
  for (const Message* type : SurfaceTypes()) {
    EXPECT_EQ(CodecPrint(*type), ProtobufPrint(*type)) << type->GetTypeName();
  }
  v1::EvalRequest request;
  request.mutable_purpose_allowed()->mutable_context();  // set, all false
  request.mutable_purpose_allowed()->add_consents()->mutable_granted_at();
  EXPECT_EQ(CodecPrint(request), ProtobufPrint(request));
}

// JsonFields::kSet prints what protobuf prints without
// always_print_primitive_fields: the form of the audit log's lines
// (pip.v1.AuditRecord, docs/audit.md), which outside tools read.
TEST(JsonCodecPrintTest, SetFieldsOnlyPrintAsProtobufWithoutDefaults) {
  std::vector<const Message*> types = SurfaceTypes();
  types.push_back(&v1::AuditRecord::default_instance());
  Filler filler(20261201);
  for (const Message* type : types) {
    EXPECT_EQ(CodecPrint(*type, JsonFields::kSet),
              ProtobufPrint(*type, true, false))
        << type->GetTypeName();
    for (int i = 0; i < 300; ++i) {
      std::unique_ptr<Message> m(type->New());
      filler.Fill(m.get(), /*known_enums=*/false);
      const std::string reference = ProtobufPrint(*m, true, false);
      ASSERT_FALSE(reference.empty()) << m->DebugString();
      ASSERT_EQ(CodecPrint(*m, JsonFields::kSet), reference)
          << m->DebugString();
    }
  }
  // Present but default: a oneof member, a message, a timestamp at zero.
  v1::EvalRequest request;
  request.mutable_purpose_allowed()->mutable_context();
  request.mutable_purpose_allowed()->add_consents()->mutable_granted_at();
  EXPECT_EQ(CodecPrint(request, JsonFields::kSet),
            ProtobufPrint(request, true, false));
  v1::EvalResponse response;
  response.mutable_retention_due();
  EXPECT_EQ(CodecPrint(response, JsonFields::kSet),
            ProtobufPrint(response, true, false));
}

// Every code point is escaped (or not) as protobuf escapes it; 256 code
// points a string.
TEST(JsonCodecPrintTest, EveryCodePointIsEscapedAsProtobufEscapesIt) {
  v1::Error e;
  std::string text;
  for (uint32_t cp = 0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    if (cp < 0x80) {
      text.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      text.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      text.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      text.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    if (cp % 256 != 255 && cp != 0x10FFFF) continue;
    e.set_message(text);
    ASSERT_EQ(CodecPrint(e), ProtobufPrint(e)) << "U+" << std::hex << cp;
    text.clear();
  }
}

// The printer reads eight ASCII bytes at a time and runs of kana and kanji
// in a tight loop: a byte to escape at any place in or after such a run is
// still escaped as protobuf escapes it, and a malformed sequence after one
// is still an error.
TEST(JsonCodecPrintTest, EscapesInAndAfterFastRunsAsProtobuf) {
  v1::Error e;
  const std::string specials[] = {"\"", "\\", "<", ">", "\x7f", "\x01",
                                  "\n", "\xc2\x85", "\u2028", "\u00e9",
                                  "\U0001F600", "個", "\u00ad"};
  for (const std::string& run : {std::string("a"), std::string("個人情報")}) {
    for (const std::string& special : specials) {
      for (int at = 0; at <= 17; ++at) {
        std::string text;
        for (int i = 0; i < at; ++i) text += run;
        text += special;
        for (int i = at; i < 17; ++i) text += run;
        e.set_message(text);
        ASSERT_EQ(CodecPrint(e), ProtobufPrint(e)) << text;
      }
    }
  }
  std::string out;
  for (const std::string& bad :
       {std::string("個人情報\xe3\x81"), std::string("個人\xe3\x28\xa1情報"),
        std::string("個人\xed\xa0\x80"), std::string("個人\xe3\x81\xc0"),
        std::string("abcdefgh\xff")}) {
    e.set_message(bad);
    EXPECT_THAT(AppendJsonMessage(e, &out),
                StatusIs(absl::StatusCode::kInternal))
        << bad;
  }
}

TEST(JsonCodecPrintTest, TimestampsPrintAsProtobufPrintsThem) {
  v1::RetentionDueRequest r;
  for (int64_t seconds : {int64_t{-62135596800}, int64_t{-1}, int64_t{0},
                          int64_t{951782400}, int64_t{253402300799}}) {
    for (int32_t nanos : {0, 1, 1000, 1000000, 10000000, 120000000,
                          999999999, 123456000}) {
      r.mutable_as_of()->set_seconds(seconds);
      r.mutable_as_of()->set_nanos(nanos);
      EXPECT_EQ(CodecPrint(r), ProtobufPrint(r)) << seconds << " " << nanos;
    }
  }
}

// A message protobuf cannot print is an error, never a line with a wrong
// value in it.
TEST(JsonCodecPrintTest, UnprintableMessagesAreErrors) {
  std::string out;
  v1::Error e;
  e.set_message("a\xffz");
  EXPECT_THAT(AppendJsonMessage(e, &out),
              StatusIs(absl::StatusCode::kInternal));
  v1::RetentionDueRequest r;
  r.mutable_as_of()->set_seconds(253402300800);
  EXPECT_THAT(AppendJsonMessage(r, &out),
              StatusIs(absl::StatusCode::kInternal));
  r.mutable_as_of()->set_seconds(0);
  r.mutable_as_of()->set_nanos(-1);
  EXPECT_THAT(AppendJsonMessage(r, &out),
              StatusIs(absl::StatusCode::kInternal));
}

// --- (b) Parsing: agreement with protobuf ---------------------------------------

TEST(JsonCodecParseTest, GoldenScenarioRequestsParseAsProtobufParsesThem) {
  int parsed = 0;
  for (const std::string& line : ScenarioRequests()) {
    v1::EvalRequest reference;
    if (!google::protobuf::util::JsonStringToMessage(line, &reference).ok()) {
      v1::EvalRequest ours;
      EXPECT_FALSE(Parse(line, &ours).ok()) << line;
      continue;
    }
    ExpectSameAsProtobuf(line, v1::EvalRequest::default_instance());
    ++parsed;
  }
  EXPECT_GT(parsed, 28);
}

// Random messages printed by protobuf in each of its forms (proto or JSON
// names, defaults or not), read back by the codec.
TEST(JsonCodecParseTest, RandomMessagesPrintedByProtobufParseBack) {
  Filler filler(7);
  for (const Message* type : SurfaceTypes()) {
    for (int i = 0; i < 200; ++i) {
      std::unique_ptr<Message> m(type->New());
      filler.Fill(m.get(), /*known_enums=*/true);
      for (bool proto_names : {true, false}) {
        for (bool always : {true, false}) {
          const std::string json = ProtobufPrint(*m, proto_names, always);
          ASSERT_FALSE(json.empty());
          std::unique_ptr<Message> ours(type->New());
          const absl::Status s = Parse(json, ours.get());
          ASSERT_OK(s) << "\n" << json;
          ASSERT_TRUE(MessageDifferencer::Equals(*m, *ours)) << json;
        }
      }
    }
  }
}

// APPI 20(2), 27 (a consent's scope): an empty list of a consent's
// categories, purposes or recipients means "any" (or internal use only), so
// a list given as null, which protobuf reads as empty, would widen the
// consent. pip refuses it; every other list alike.
TEST(JsonCodecStrictTest, NullListIsRefusedNeverReadAsAny) {
  ExpectRefused(
      R"({"consent_check": {"consents": [{"id": "k", "categories": null}]}})",
      "(consent_check.consents[0].categories): null is not a list");
  ExpectRefused(
      R"({"purpose_allowed": {"consents": [{"id": "k", "purposes": null}]}})",
      "(purpose_allowed.consents[0].purposes): null is not a list");
  ExpectRefused(R"({"purpose_allowed": {"categories": null}})",
                "(purpose_allowed.categories): null is not a list");
  // A singular field given as null is absent, as protobuf reads it.
  ExpectSameAsProtobuf(
      R"({"consent_check": {"consents": [{"id": "k", "withdrawn_at": null}]}})",
      v1::EvalRequest::default_instance());
}

TEST(JsonCodecParseTest, JsonSyntaxProtobufAcceptsIsReadTheSame) {
  for (const char* json : {
           R"({})",
           " \t\r\n{ \"purpose_allowed\" : { \"purpose\" : \"x\" } } \n",
           R"({"purposeAllowed": {"subjectId": "x", "activeRequests": [{"receivedAt": "2026-03-01T12:00:00Z"}]}})",
           R"({"purpose_allowed": {"purpose": null, "context": null}})",
           R"({"purpose_allowed": null})",
           R"({"purpose_allowed": {"subject_id": "\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t\u0041"}})",
           R"({"purpose_allowed": {"subject_id": "a\u0000b"}})",
           R"({"request_validate": {"fee_paid_jpy": -0}})",
           R"({"request_validate": {"fee_paid_jpy": -2147483648}})",
           R"({"request_validate": {"fee_paid_jpy": 2147483647}})",
           R"({"purpose_allowed": {"as_of": "2026-03-01T12:00:00.1+09:00"}})",
           R"({"purpose_allowed": {"as_of": "2026-03-01T12:00:00.123456789-00:30"}})",
           R"({"purpose_allowed": {"as_of": "0001-01-01T00:00:00Z"}})",
           R"({"purpose_allowed": {"as_of": "9999-12-31T23:59:59.999999999Z"}})",
           R"({"purpose_allowed": {"as_of": "2024-02-29T00:00:00Z"}})",
           "{\"purpose_allowed\": {\"subject_id\": \"個人 😀\"}}",
       }) {
    ExpectSameAsProtobuf(json, v1::EvalRequest::default_instance());
  }
  // Enums by name or by the number of a declared value.
  for (const char* json : {R"({"code": "HOLD_APPLIES"})", R"({"code": 42})"}) {
    ExpectSameAsProtobuf(json, v1::Reason::default_instance());
  }
}

// Times the codec accepts are read as protobuf reads them; the ones protobuf
// refuses the codec refuses too.
TEST(JsonCodecParseTest, TimesAgreeWithProtobuf) {
  const std::string base = R"({"retention_due": {"as_of": "T"}})";
  for (const char* time : {
           "2026-03-01T12:00:00Z", "2026-03-01T12:00:00+09:00",
           "2026-03-01T12:00:00-09:30", "2026-03-01T12:00:00.5Z",
           "2026-03-01T12:00:00.000000001Z", "1900-01-01T00:00:00+09:00",
           "0001-01-01T00:00:00Z", "0001-01-01T09:00:00+09:00",
           "9999-12-31T23:59:59Z", "9999-12-31T14:59:59-09:00",
           "2023-02-28T23:59:59+23:59", "2000-02-29T00:00:00Z",
           // Refused by both.
           "2026-03-01t12:00:00z", "2026-03-01T12:00:00", "2026-02-30T00:00:00Z",
           "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z",
           "2026-03-01T12:60:00Z", "2026-03-01T12:00:60Z", "0000-01-01T00:00:00Z",
           "2026-03-01T12:00:00+24:00", "2026-03-01T12:00:00+0900",
           "2026-03-01T12:00:00.Z", "26-03-01T12:00:00Z", "2026-3-01T12:00:00Z",
           "2026-03-01 12:00:00Z", "yesterday", "", "2026-03-01T12:00:00Zjunk",
           "+2026-03-01T12:00:00Z", "2026-03-01T12:00:00+09:00:00",
           // protobuf takes these two; the first is before year 1 in UTC, the
           // second has more digits than a Timestamp holds.
           "0001-01-01T00:00:00+01:00", "2026-03-01T12:00:00.1234567891Z"}) {
    const std::string json = absl::StrReplaceAll(base, {{"T\"", absl::StrCat(time, "\"")}});
    v1::EvalRequest reference, ours;
    const bool theirs_ok =
        google::protobuf::util::JsonStringToMessage(json, &reference).ok();
    const bool ours_ok = Parse(json, &ours).ok();
    if (ours_ok) {
      EXPECT_TRUE(theirs_ok) << time;
      EXPECT_TRUE(MessageDifferencer::Equals(reference, ours)) << time;
    } else {
      v1::EvalRequest again;
      EXPECT_THAT(std::string(Parse(json, &again).message()),
                  HasSubstr("(retention_due.as_of): invalid time"))
          << time;
    }
    if (!theirs_ok) EXPECT_FALSE(ours_ok) << time;
  }
}

// --- (c) Strictness: what protobuf accepts and pip refuses ----------------------

// Clause 4.3 (statistics only on anonymized data), 2.5 (health only in a
// health service; family structure only where necessity is documented): the
// context flags decide denies, so only JSON true and false may set them.
// protobuf reads "yes", "true" and "1"-like strings as true and "no" as false.
TEST(JsonCodecStrictTest, ContextFlagsOfClauses4And2_5AreReadOnlyFromBooleans) {
  for (const char* value : {R"("yes")", R"("no")", R"("true")", R"("false")",
                            "1", "0", "[]", "{}", R"("")"}) {
    ExpectRefused(absl::StrCat(R"({"purpose_allowed": {"context": {"anonymized": )",
                               value, "}}}"),
                  "(purpose_allowed.context.anonymized): expected true or false");
  }
  ExpectRefused(R"({"request_validate": {"identity_verified": "yes"}})",
                "(request_validate.identity_verified): expected true or false, got a string");
  ExpectRefused(R"({"request_validate": {"review": {"third_party_rights": "no"}}})",
                "(request_validate.review): expected an array");
  ExpectRefused(R"({"purpose_allowed": {"context": {"anonymized": True}}})",
                "(purpose_allowed.context.anonymized): expected true or false, got 'T'");
}

// A list written as a bare string would be read by protobuf as a one-element
// list: refused, so that a caller's malformed list is never evaluated as
// some other list (clause 2: the categories decide which rules apply).
TEST(JsonCodecStrictTest, ListsAreOnlyArrays) {
  ExpectRefused(R"({"purpose_allowed": {"categories": "email"}})",
                "(purpose_allowed.categories): expected an array, got a string");
  ExpectRefused(R"({"consent_check": {"consents": {"id": "k"}}})",
                "(consent_check.consents): expected an array, got an object");
  ExpectRefused(R"({"purpose_allowed": {"categories": ["a", null]}})",
                "(purpose_allowed.categories[1]): null is not allowed in a list");
  ExpectRefused(R"({"purpose_allowed": {"categories": ["email", 3]}})",
                "(purpose_allowed.categories[1]): expected a string, got a number");
  ExpectRefused(R"({"purpose_allowed": {"categories": ["a",]}})",
                "(purpose_allowed.categories[1]): expected a string, got ']'");
}

TEST(JsonCodecStrictTest, StringsAreOnlyStrings) {
  ExpectRefused(R"({"purpose_allowed": {"purpose": 7}})",
                "(purpose_allowed.purpose): expected a string, got a number");
  ExpectRefused(R"({"purpose_allowed": {"purpose": true}})",
                "(purpose_allowed.purpose): expected a string, got a boolean");
  ExpectRefused(R"({"purpose_allowed": {"purpose": 'x'}})",
                "(purpose_allowed.purpose): expected a string, got '''");
  ExpectRefused(R"({"purpose_allowed": {"context": "anonymized"}})",
                "(purpose_allowed.context): expected an object, got a string");
  ExpectRefused(R"({"purpose_allowed": {"as_of": 5}})",
                "(purpose_allowed.as_of): expected a time as an RFC 3339 string");
}

// Clause 8.3 (the fee) and 2.4 (consent versions): integers are JSON
// integers in range; protobuf also takes 3e2, 300.0 and "300".
TEST(JsonCodecStrictTest, Int32FieldsAreIntegersInRange) {
  for (const char* fee : {"1.5", "3e2", "300.0", "1E0"}) {
    ExpectRefused(absl::StrCat(R"({"request_validate": {"fee_paid_jpy": )", fee, "}}"),
                  "(request_validate.fee_paid_jpy): expected an integer");
  }
  ExpectRefused(R"({"request_validate": {"fee_paid_jpy": "300"}})",
                "(request_validate.fee_paid_jpy): expected an integer, got a string");
  for (const char* fee : {"2147483648", "-2147483649", "99999999999999999999999"}) {
    ExpectRefused(absl::StrCat(R"({"request_validate": {"fee_paid_jpy": )", fee, "}}"),
                  "(request_validate.fee_paid_jpy): '");
    ExpectRefused(absl::StrCat(R"({"request_validate": {"fee_paid_jpy": )", fee, "}}"),
                  "is out of range for int32");
  }
  ExpectRefused(R"({"consent_check": {"consents": [{}, {"consent_version": 4294967297}]}})",
                "(consent_check.consents[1].consent_version): '4294967297' is out of range");
  for (const char* fee : {"01", "-", "+1", ".5", "1.", "1e", "NaN", "Infinity", "-Infinity"}) {
    ExpectRefused(absl::StrCat(R"({"request_validate": {"fee_paid_jpy": )", fee, "}}"),
                  "(request_validate.fee_paid_jpy)");
  }
}

TEST(JsonCodecStrictTest, SixtyFourBitIntegersAreCheckedToo) {
  google::protobuf::Timestamp t;
  EXPECT_FALSE(Parse(R"({"seconds": "9223372036854775808"})", &t).ok());
  EXPECT_FALSE(Parse(R"({"seconds": "1.5"})", &t).ok());
  EXPECT_FALSE(Parse(R"({"seconds": " 1"})", &t).ok());
  EXPECT_FALSE(Parse(R"({"seconds": 1e3})", &t).ok());
  t.Clear();
  EXPECT_OK(Parse(R"({"seconds": "-9223372036854775808"})", &t));
  EXPECT_EQ(t.seconds(), INT64_MIN);
}

TEST(JsonCodecStrictTest, EnumsAreDeclaredNamesOrNumbers) {
  v1::Reason reason;
  EXPECT_THAT(std::string(Parse(R"({"code": "hold_applies"})", &reason).message()),
              HasSubstr("(code): unknown ReasonCode value 'hold_applies'"));
  EXPECT_THAT(std::string(Parse(R"({"code": 1000})", &reason).message()),
              HasSubstr("(code): unknown ReasonCode value '1000'"));
  EXPECT_FALSE(Parse(R"({"code": "42"})", &reason).ok());
  EXPECT_FALSE(Parse(R"({"code": true})", &reason).ok());
}

TEST(JsonCodecStrictTest, UnknownKeysAreErrorsNamingThePath) {
  ExpectRefused(R"({"purpose_allowed": {"purpose": "billing", "colour": "red"}})",
                "(purpose_allowed): unknown field 'colour'");
  ExpectRefused(R"({"consent_check": {"consents": [{}, {"Id": "k"}]}})",
                "(consent_check.consents[1]): unknown field 'Id'");
  ExpectRefused(R"({"purpose": "billing"})", "unknown field 'purpose'");
  // Keys are exact: the proto name or the JSON name, no other spelling.
  ExpectRefused(R"({"purpose_allowed": {"SubjectId": "c"}})", "unknown field 'SubjectId'");
  ExpectRefused(R"({"purpose_allowed": {"subjectid": "c"}})", "unknown field 'subjectid'");
  // A long key is quoted in part.
  const std::string long_key(500, 'k');
  v1::EvalRequest request;
  const absl::Status s = Parse(absl::StrCat("{\"", long_key, "\": 1}"), &request);
  EXPECT_THAT(std::string(s.message()), HasSubstr("...'"));
  EXPECT_LT(s.message().size(), 200u);
}

// Ported from the duplicate-key pre-scan this codec replaces: protobuf's
// parser lets the last of two equal keys win, so a reviewer reading the line
// and pip could read different requests.
TEST(JsonCodecStrictTest, DuplicateKeysAreNamedWithTheirPlace) {
  ExpectRefused(R"({"retention_due": {}, "retention_due": {}})",
                "duplicate key 'retention_due'; a field may appear once");
  ExpectRefused(R"({"purpose_allowed": {"purpose": "statistics", "purpose": "billing"}})",
                "duplicate key 'purpose' in purpose_allowed; a field may appear once");
  ExpectRefused(R"({"consent_check": {"consents": [{"id": "a"}, {"id": "b", "id": "c"}]}})",
                "duplicate key 'id' in consent_check.consents[1]");
  ExpectRefused(R"({"consent_check": {"subject_id": "c-1", "subjectId": "c-2"}})",
                "duplicate key 'subjectId' in consent_check (the same field as 'subject_id')");
  ExpectRefused(R"({"consent_check": {"subjectId": "c-1", "subject_id": "c-2"}})",
                "duplicate key 'subject_id' in consent_check (the same field as 'subjectId')");
  ExpectRefused(R"({"retention_due": {"kind": "inquiry", "\u006bind": "accounting"}})",
                "duplicate key 'kind' in retention_due");
  ExpectRefused(R"({"purpose_allowed": {"context": {"anonymized": false, "anonymized": true}}})",
                "duplicate key 'anonymized' in purpose_allowed.context");
  // null counts: the key was given.
  ExpectRefused(R"({"purpose_allowed": {"purpose": null, "purpose": "billing"}})",
                "duplicate key 'purpose' in purpose_allowed");
  // Keys in string values are not keys; equal keys in sibling objects are
  // distinct.
  v1::EvalRequest request;
  EXPECT_TRUE(Parse(R"({"consent_check": {"subject_id": "\"subject_id\": 1", "consents": [{"id": "a"}, {"id": "a"}]}})",
                    &request)
                  .ok());
}

// Two functions in one request: protobuf refuses it too; the codec says
// which two.
TEST(JsonCodecStrictTest, TwoMembersOfTheRequestOneofAreRefused) {
  ExpectRefused(R"({"purpose_allowed": {}, "consent_check": {}})",
                "'consent_check' and 'purpose_allowed' are both given");
  v1::EvalRequest request;
  EXPECT_TRUE(Parse(R"({"purpose_allowed": null, "consent_check": {}})", &request).ok());
  EXPECT_TRUE(request.has_consent_check());
}

TEST(JsonCodecStrictTest, InvalidUtf8IsRefusedWithoutQuotingIt) {
  for (const std::string& bad :
       {std::string("c\xc0\xaf"), std::string("\xff"), std::string("\xed\xa0\x80"),
        std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82"), std::string("\x80")}) {
    v1::EvalRequest request;
    const absl::Status s =
        Parse(absl::StrCat(R"({"purpose_allowed": {"subject_id": ")", bad, "\"}}"), &request);
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("(purpose_allowed.subject_id): a string is not valid UTF-8 at byte"));
    EXPECT_FALSE(absl::StrContains(s.message(), bad));
  }
  // In a key, too.
  ExpectRefused("{\"purpose_allowed\": {\"\xff\": 1}}", "(purpose_allowed): a string is not valid UTF-8");
  // Lone surrogates written as escapes.
  ExpectRefused(R"({"purpose_allowed": {"subject_id": "c\ud800"}})",
                "(purpose_allowed.subject_id): unpaired surrogate");
  ExpectRefused(R"({"purpose_allowed": {"subject_id": "c\udc00x"}})", "unpaired surrogate");
  ExpectRefused(R"({"purpose_allowed": {"subject_id": "\ud800\u0041"}})", "unpaired surrogate");
  ExpectRefused(R"({"purpose_allowed": {"subject_id": "\u12"}})", "invalid \\u escape");
  ExpectRefused(R"({"purpose_allowed": {"subject_id": "\x"}})", "invalid escape");
}

// RFC 8259: control characters in strings are escaped. A raw one (protobuf
// takes it) could hide text from a reviewer reading the line.
TEST(JsonCodecStrictTest, RawControlCharactersInStringsAreRefused) {
  ExpectRefused("{\"purpose_allowed\": {\"subject_id\": \"a\tb\"}}",
                "(purpose_allowed.subject_id): control character 0x09 in a string must be escaped");
  const char raw_nul[] = "{\"purpose_allowed\": {\"subject_id\": \"a\0b\"}}";
  ExpectRefused(std::string(raw_nul, sizeof(raw_nul) - 1), "control character 0x00");
}

// NUL policy: "\u0000" is read as a NUL byte, and the request's text checks
// (pip/engine.h, resolve.cc) refuse it naming the field; a raw NUL byte
// outside a string is not JSON.
TEST(JsonCodecStrictTest, EscapedNulIsLeftToTheTextChecks) {
  v1::EvalRequest request;
  ASSERT_OK(
      Parse(R"({"purpose_allowed": {"subject_id": "c\u0000"}})", &request));
  EXPECT_EQ(request.purpose_allowed().subject_id(), std::string("c\0", 2));
  ExpectRefused(std::string("{\"retention_due\": {\0}}", 22), "expected a key (a string), got byte 0x00 at byte 19");
}

TEST(JsonCodecStrictTest, TrailingGarbageAndBrokenSyntaxAreRefused) {
  ExpectRefused(R"({"purpose_allowed": {}} x)", "expected the end of the input after the JSON object, got 'x' at byte 24");
  ExpectRefused(R"({"purpose_allowed": {}}})", "got '}' at byte 23");
  ExpectRefused(R"({"purpose_allowed": {},})", "expected a key (a string), got '}'");
  ExpectRefused(R"({"purpose_allowed": {"purpose": )", "(purpose_allowed.purpose): expected a string, got the end of the input");
  ExpectRefused(R"({"purpose_allowed" {}})", "expected ':' after a key, got an object at byte 19");
  ExpectRefused(R"({"purpose_allowed": {"purpose": "x" "y"}})", "expected ',' or '}', got a string");
  ExpectRefused(R"({"purpose_allowed": {"purpose": "x)", "(purpose_allowed.purpose): unterminated string");
  ExpectRefused("", "the request is empty");
  ExpectRefused("   ", "the request is empty");
  ExpectRefused("[]", "expected a JSON object, got an array");
  ExpectRefused(R"("x")", "expected a JSON object, got a string");
  ExpectRefused("not json at all", "expected a JSON object, got 'n'");
  ExpectRefused(R"({"purpose_allowed": nul})", "(purpose_allowed): expected a value");
  // Whitespace is RFC 8259's four characters only.
  ExpectRefused("{\"purpose_allowed\":\v{}}", "got byte 0x0b");
  ExpectRefused("\xef\xbb\xbf{}", "expected a JSON object, got byte 0xef");
}

// The parser never recurses more than kMaxJsonDepth deep, whatever the
// input; pip.v1 requests nest less, so deep input fails on its type first.
TEST(JsonCodecStrictTest, DeepNestingIsRefusedWithoutRecursing) {
  static_assert(kMaxJsonDepth >= 8, "pip.v1 requests must fit");
  // The inputs are too long to print on failure: only the messages are.
  const auto message = [](const std::string& json) {
    v1::EvalRequest request;
    return std::string(Parse(json, &request).message());
  };
  EXPECT_EQ(message(absl::StrCat(R"({"purpose_allowed": {"categories": )",
                                 std::string(100000, '['))),
            "(purpose_allowed.categories[0]): expected a string, got an array");
  EXPECT_EQ(message(absl::StrCat(R"({"purpose_allowed": {"context": )",
                                 std::string(100000, '{'))),
            "(purpose_allowed.context): expected a key (a string), got an "
            "object at byte 33");
  EXPECT_EQ(message(std::string(100000, '{')),
            "expected a key (a string), got an object at byte 1");
}

// Every field of every message a JSON surface reads or prints is of a kind
// the codec handles (so no pip.v1 input meets the "unsupported" error).
TEST(JsonCodecStrictTest, EveryFieldOfTheSurfaceTypesIsSupported) {
  std::vector<const Descriptor*> todo;
  for (const Message* type : SurfaceTypes()) todo.push_back(type->GetDescriptor());
  todo.push_back(v1::EvalBatchRequest::descriptor());
  todo.push_back(v1::EvalBatchResponse::descriptor());
  std::set<const Descriptor*> seen;
  while (!todo.empty()) {
    const Descriptor* d = todo.back();
    todo.pop_back();
    if (!seen.insert(d).second || d == google::protobuf::Timestamp::descriptor()) continue;
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      EXPECT_FALSE(f->is_map()) << f->full_name();
      EXPECT_NE(f->type(), FieldDescriptor::TYPE_BYTES) << f->full_name();
      EXPECT_NE(f->cpp_type(), FieldDescriptor::CPPTYPE_FLOAT) << f->full_name();
      EXPECT_NE(f->cpp_type(), FieldDescriptor::CPPTYPE_DOUBLE) << f->full_name();
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        todo.push_back(f->message_type());
        if (f->message_type() != google::protobuf::Timestamp::descriptor()) {
          EXPECT_FALSE(absl::StartsWith(f->message_type()->file()->name(),
                                        "google/protobuf/"))
              << f->full_name();
        }
      }
    }
  }
  EXPECT_GT(seen.size(), 15u);
}

// --- The seam (json.h) -----------------------------------------------------------

TEST(JsonSeamTest, ErrorsKeepTheInvalidJsonRequestPrefix) {
  v1::EvalRequest request;
  const absl::Status s = ParseJsonRequest(
      R"({"purpose_allowed": {"context": {"anonymized": "yes"}}})", &request);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(s.message(),
            "invalid JSON request: (purpose_allowed.context.anonymized): "
            "expected true or false, got a string");
}

TEST(JsonSeamTest, PrintJsonAnswerIsProtobufsLine) {
  v1::RetentionDueRequest request;
  ASSERT_OK(ParseJsonRequest(
      R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"})",
      &request));
  absl::StatusOr<v1::RetentionDueDecision> decision =
      DefaultEngine().RetentionDue(request);
  ASSERT_OK(decision);
  absl::StatusOr<std::string> line = PrintJsonAnswer(*decision);
  ASSERT_OK(line);
  EXPECT_EQ(*line, ProtobufPrint(*decision));
  EXPECT_TRUE(absl::StartsWith(*line, R"({"due":true,"retain_until":"2026-05-10",)")) << *line;
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
