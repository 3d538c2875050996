// WireMessage::Read and WireView: every value read is what protobuf's parser
// reads from the same bytes (requests serialized by protobuf, random ones,
// hand-made non-canonical encodings, random and mutated bytes); what the
// reader refuses beyond protobuf (unknown fields, other wire types, a field
// or a oneof given twice) is refused with the field's path; and no input
// makes it crash or read past the bytes.
#include "src/codec/wire_view.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "pip/limits.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace codec_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using ::testing::HasSubstr;

// --- Bytes by hand ----------------------------------------------------------

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Tag(int number, int wire_type) {
  return Varint(static_cast<uint64_t>(number) << 3 | wire_type);
}
std::string VarintField(int number, uint64_t v) {
  return Tag(number, 0) + Varint(v);
}
std::string LenField(int number, const std::string& bytes) {
  return Tag(number, 2) + Varint(bytes.size()) + bytes;
}

// --- Comparing a view with the message protobuf parses ----------------------

uint32_t FloatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
uint64_t DoubleBits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

bool IsTimestamp(const FieldDescriptor* fd) {
  return fd->message_type() != nullptr &&
         fd->message_type()->full_name() == "google.protobuf.Timestamp";
}

// Expects every accessor of `v` to give what `m` holds, through nested
// messages; `path` names `m` in failures.
void ExpectSame(const Message& m, const WireView& v, const std::string& path) {
  const Descriptor* d = m.GetDescriptor();
  ASSERT_EQ(v.shape().descriptor(), d) << path;
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* fd = d->field(i);
    const int n = fd->number();
    const std::string at = absl::StrCat(path, ".", fd->name());
    if (fd->is_repeated()) {
      const int size = r->FieldSize(m, fd);
      ASSERT_EQ(v.Count(n), size) << at;
      EXPECT_EQ(v.Has(n), size > 0) << at;
      for (int j = 0; j < size; ++j) {
        const std::string at_j = absl::StrCat(at, "[", j, "]");
        switch (fd->cpp_type()) {
          case FieldDescriptor::CPPTYPE_INT32:
            EXPECT_EQ(v.Int32At(n, j), r->GetRepeatedInt32(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_ENUM:
            EXPECT_EQ(v.Int32At(n, j), r->GetRepeatedEnumValue(m, fd, j))
                << at_j;
            break;
          case FieldDescriptor::CPPTYPE_INT64:
            EXPECT_EQ(v.Int64At(n, j), r->GetRepeatedInt64(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_UINT32:
            EXPECT_EQ(v.UInt32At(n, j), r->GetRepeatedUInt32(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_UINT64:
            EXPECT_EQ(v.UInt64At(n, j), r->GetRepeatedUInt64(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_BOOL:
            EXPECT_EQ(v.BoolAt(n, j), r->GetRepeatedBool(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_FLOAT:
            EXPECT_EQ(FloatBits(v.FloatAt(n, j)),
                      FloatBits(r->GetRepeatedFloat(m, fd, j)))
                << at_j;
            break;
          case FieldDescriptor::CPPTYPE_DOUBLE:
            EXPECT_EQ(DoubleBits(v.DoubleAt(n, j)),
                      DoubleBits(r->GetRepeatedDouble(m, fd, j)))
                << at_j;
            break;
          case FieldDescriptor::CPPTYPE_STRING:
            EXPECT_EQ(v.StringAt(n, j), r->GetRepeatedString(m, fd, j)) << at_j;
            break;
          case FieldDescriptor::CPPTYPE_MESSAGE: {
            const Message& sub = r->GetRepeatedMessage(m, fd, j);
            ExpectSame(sub, v.MessageAt(n, j), at_j);
            if (IsTimestamp(fd)) {
              const WireTime t = v.TimeAt(n, j);
              const auto& ts =
                  static_cast<const google::protobuf::Timestamp&>(sub);
              EXPECT_TRUE(t.present) << at_j;
              EXPECT_EQ(t.seconds, ts.seconds()) << at_j;
              EXPECT_EQ(t.nanos, ts.nanos()) << at_j;
            }
            break;
          }
        }
      }
      continue;
    }
    if (fd->has_presence()) {
      EXPECT_EQ(v.Has(n), r->HasField(m, fd)) << at;
    }
    switch (fd->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        EXPECT_EQ(v.Int32(n), r->GetInt32(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        EXPECT_EQ(v.Int32(n), r->GetEnumValue(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        EXPECT_EQ(v.Int64(n), r->GetInt64(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        EXPECT_EQ(v.UInt32(n), r->GetUInt32(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        EXPECT_EQ(v.UInt64(n), r->GetUInt64(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        EXPECT_EQ(v.Bool(n), r->GetBool(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        EXPECT_EQ(FloatBits(v.Float(n)), FloatBits(r->GetFloat(m, fd))) << at;
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        EXPECT_EQ(DoubleBits(v.Double(n)), DoubleBits(r->GetDouble(m, fd)))
            << at;
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        EXPECT_EQ(v.String(n), r->GetString(m, fd)) << at;
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& sub = r->GetMessage(m, fd);
        if (r->HasField(m, fd)) {
          ExpectSame(sub, v.Message(n), at);
        } else {
          // Absent: an empty view (not walked, for a message that nests
          // itself).
          EXPECT_EQ(v.Message(n).shape().descriptor(), fd->message_type())
              << at;
        }
        if (IsTimestamp(fd)) {
          const WireTime t = v.Time(n);
          const auto& ts = static_cast<const google::protobuf::Timestamp&>(sub);
          EXPECT_EQ(t.present, r->HasField(m, fd)) << at;
          EXPECT_EQ(t.seconds, ts.seconds()) << at;
          EXPECT_EQ(t.nanos, ts.nanos()) << at;
        }
        break;
      }
    }
  }
  for (int k = 0; k < d->real_oneof_decl_count(); ++k) {
    const FieldDescriptor* set =
        r->GetOneofFieldDescriptor(m, d->oneof_decl(k));
    EXPECT_EQ(v.OneofCase(k), set == nullptr ? 0 : set->number())
        << path << " oneof " << d->oneof_decl(k)->name();
  }
}

// Reads `bytes` as protobuf does into a new message like `prototype` and
// with WireMessage::Read; expects both to accept them and agree. The
// Timestamp casts of ExpectSame need generated messages for timestamps,
// which every message of pip.v1 has.
void ExpectReadsAsProtobuf(const Message& prototype, const std::string& bytes) {
  std::unique_ptr<Message> parsed(prototype.New());
  ASSERT_TRUE(parsed->ParseFromString(bytes)) << "protobuf refuses the bytes";
  WireMessage view;
  const absl::Status status =
      WireMessage::Read(WireShape::Of(prototype.GetDescriptor()), bytes, &view);
  ASSERT_TRUE(status.ok()) << status;
  ExpectSame(*parsed, view, prototype.GetDescriptor()->name());
}

template <typename M>
void ExpectReadsAsProtobuf(const std::string& bytes) {
  ExpectReadsAsProtobuf(M::default_instance(), bytes);
}

// The status of reading `bytes` as an M.
template <typename M>
absl::Status ReadAs(const std::string& bytes) {
  WireMessage view;
  return WireMessage::Read(WireShape::Of<M>(), bytes, &view);
}

// --- Random messages --------------------------------------------------------

class Random {
 public:
  explicit Random(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool OneIn(int n) { return Int(0, n - 1) == 0; }
  uint64_t Bits() { return rng_(); }
  std::mt19937_64& engine() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

std::string RandomText(Random& rnd) {
  static const char* const kTexts[] = {
      "",
      "a",
      "c-1",
      "web_analytics",
      "location",
      "データ",
      "顧客-ü-🙂",
      "internal",
      "suspension",
      "k-1\x7f",
  };
  if (rnd.OneIn(10))
    return std::string(static_cast<size_t>(rnd.Int(100, 400)), 'x');
  return kTexts[rnd.Int(0, 9)];
}

int64_t RandomInt(Random& rnd) {
  switch (rnd.Int(0, 5)) {
    case 0:
      return 0;
    case 1:
      return -1;
    case 2:
      return rnd.Int(-1000, 1000);
    case 3:
      return static_cast<int64_t>(rnd.Bits());
    case 4:
      return INT32_MIN;
    default:
      return INT64_MAX;
  }
}

// Sets random fields of `m` (any message type): strings of several scripts
// and lengths, negative numbers, repeated fields of 0 to 3 values, oneofs,
// nested messages down to `depth` more levels.
void Fill(Message* m, Random& rnd, int depth) {
  const Descriptor* d = m->GetDescriptor();
  const Reflection* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* fd = d->field(i);
    if (rnd.OneIn(3)) continue;
    const int count = fd->is_repeated() ? rnd.Int(0, 3) : 1;
    for (int j = 0; j < count; ++j) {
      const int64_t x = RandomInt(rnd);
      const bool rep = fd->is_repeated();
      switch (fd->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          rep ? r->AddInt32(m, fd, static_cast<int32_t>(x))
              : r->SetInt32(m, fd, static_cast<int32_t>(x));
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const int v =
              rnd.OneIn(4)
                  ? static_cast<int32_t>(x)
                  : fd->enum_type()
                        ->value(rnd.Int(0, fd->enum_type()->value_count() - 1))
                        ->number();
          rep ? r->AddEnumValue(m, fd, v) : r->SetEnumValue(m, fd, v);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT64:
          rep ? r->AddInt64(m, fd, x) : r->SetInt64(m, fd, x);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          rep ? r->AddUInt32(m, fd, static_cast<uint32_t>(x))
              : r->SetUInt32(m, fd, static_cast<uint32_t>(x));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          rep ? r->AddUInt64(m, fd, static_cast<uint64_t>(x))
              : r->SetUInt64(m, fd, static_cast<uint64_t>(x));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          rep ? r->AddBool(m, fd, x & 1) : r->SetBool(m, fd, x & 1);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          rep ? r->AddFloat(m, fd, static_cast<float>(x) / 3)
              : r->SetFloat(m, fd, static_cast<float>(x) / 3);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          rep ? r->AddDouble(m, fd, static_cast<double>(x) / 7)
              : r->SetDouble(m, fd, static_cast<double>(x) / 7);
          break;
        case FieldDescriptor::CPPTYPE_STRING:
          rep ? r->AddString(m, fd, RandomText(rnd))
              : r->SetString(m, fd, RandomText(rnd));
          break;
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth == 0) break;
          Fill(rep ? r->AddMessage(m, fd) : r->MutableMessage(m, fd), rnd,
               depth - 1);
          break;
      }
    }
  }
}

// --- Shapes -----------------------------------------------------------------

TEST(WireShapeTest, OneShapePerTypeWithItsDescriptorAndFields) {
  const WireShape& a = WireShape::Of<v1::PurposeAllowedRequest>();
  const WireShape& b = WireShape::Of(v1::PurposeAllowedRequest::descriptor());
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(a.descriptor(), v1::PurposeAllowedRequest::descriptor());
  ASSERT_EQ(a.fields().size(), 9u);
  const WireShape::Field* consents =
      a.Find(v1::PurposeAllowedRequest::kConsentsFieldNumber);
  ASSERT_NE(consents, nullptr);
  EXPECT_TRUE(consents->repeated);
  EXPECT_EQ(consents->message, &WireShape::Of<v1::Consent>());
  const WireShape::Field* ground =
      a.Find(v1::PurposeAllowedRequest::kLegalGroundFieldNumber);
  ASSERT_NE(ground, nullptr);
  EXPECT_FALSE(ground->repeated);
  EXPECT_EQ(ground->message, &WireShape::Of<v1::LegalGround>());
  EXPECT_EQ(a.Find(10), nullptr);
  EXPECT_EQ(a.Find(0), nullptr);
  EXPECT_EQ(a.Find(1u << 28), nullptr);
  // Timestamps are recognised, wherever they are.
  EXPECT_TRUE(a.Find(v1::PurposeAllowedRequest::kAsOfFieldNumber)->timestamp);
  const WireShape& eval = WireShape::Of<v1::EvalRequest>();
  EXPECT_EQ(eval.oneof_count(), 1);
  EXPECT_EQ(eval.Find(1)->oneof, 0);
}

TEST(WireShapeTest, ThreadsAskingAtOnceGetTheSameShape) {
  std::vector<const WireShape*> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &got] {
      got[i] = &WireShape::Of(v1::EvalBatchRequest::descriptor());
    });
  }
  for (std::thread& t : threads) t.join();
  for (const WireShape* s : got) EXPECT_EQ(s, got[0]);
}

// --- Protobuf's messages, read back -----------------------------------------

v1::PurposeAllowedRequest FullPurposeRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("web_analytics");
  r.add_categories("location");
  r.add_categories("email");
  r.set_recipient("group_companies");
  r.mutable_context()->set_anonymized(true);
  r.mutable_context()->set_necessity_documented(true);
  for (int i = 0; i < 3; ++i) {
    v1::Consent* c = r.add_consents();
    c->set_id(absl::StrCat("k-", i));
    c->set_subject_id("c-1");
    c->add_categories("location");
    c->add_purposes("web_analytics");
    c->add_recipients("group_companies");
    c->mutable_granted_at()->set_seconds(-5 + i);
    c->mutable_granted_at()->set_nanos(-1);
    if (i == 1) c->mutable_expires_at()->set_seconds(1798761600);
    c->set_consent_version(-3);
  }
  v1::ActiveRequest* a = r.add_active_requests();
  a->set_type("suspension");
  a->set_id("req-1");
  a->mutable_received_at()->set_seconds(1768003200);
  r.mutable_as_of()->set_seconds(1772334000);
  return r;
}

TEST(WireViewTest, ReadsEveryFieldOfAPurposeAllowedRequest) {
  using R = v1::PurposeAllowedRequest;
  using C = v1::Consent;
  const std::string bytes = FullPurposeRequest().SerializeAsString();
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<R>(), bytes, &w).ok());
  EXPECT_EQ(w.String(R::kSubjectIdFieldNumber), "c-1");
  EXPECT_EQ(w.String(R::kPurposeFieldNumber), "web_analytics");
  ASSERT_EQ(w.Count(R::kCategoriesFieldNumber), 2);
  EXPECT_EQ(w.StringAt(R::kCategoriesFieldNumber, 0), "location");
  EXPECT_EQ(w.StringAt(R::kCategoriesFieldNumber, 1), "email");
  EXPECT_EQ(w.String(R::kRecipientFieldNumber), "group_companies");
  const WireView context = w.Message(R::kContextFieldNumber);
  EXPECT_TRUE(context.Bool(v1::UseContext::kAnonymizedFieldNumber));
  EXPECT_FALSE(context.Bool(v1::UseContext::kHealthServiceFieldNumber));
  EXPECT_TRUE(context.Bool(v1::UseContext::kNecessityDocumentedFieldNumber));
  ASSERT_EQ(w.Count(R::kConsentsFieldNumber), 3);
  const WireView c1 = w.MessageAt(R::kConsentsFieldNumber, 1);
  EXPECT_EQ(c1.String(C::kIdFieldNumber), "k-1");
  EXPECT_EQ(c1.StringAt(C::kRecipientsFieldNumber, 0), "group_companies");
  const WireTime granted = c1.Time(C::kGrantedAtFieldNumber);
  EXPECT_TRUE(granted.present);
  EXPECT_EQ(granted.seconds, -4);
  EXPECT_EQ(granted.nanos, -1);
  EXPECT_FALSE(c1.Time(C::kWithdrawnAtFieldNumber).present);
  EXPECT_FALSE(c1.Has(C::kWithdrawnAtFieldNumber));
  EXPECT_EQ(c1.Time(C::kExpiresAtFieldNumber).seconds, 1798761600);
  EXPECT_FALSE(
      w.MessageAt(R::kConsentsFieldNumber, 2).Has(C::kExpiresAtFieldNumber));
  EXPECT_EQ(c1.Int32(C::kConsentVersionFieldNumber), -3);
  ASSERT_EQ(w.Count(R::kActiveRequestsFieldNumber), 1);
  const WireView a = w.MessageAt(R::kActiveRequestsFieldNumber, 0);
  EXPECT_EQ(a.String(v1::ActiveRequest::kTypeFieldNumber), "suspension");
  EXPECT_EQ(a.String(v1::ActiveRequest::kIdFieldNumber), "req-1");
  EXPECT_EQ(a.Time(v1::ActiveRequest::kReceivedAtFieldNumber).seconds,
            1768003200);
  const WireTime as_of = w.Time(R::kAsOfFieldNumber);
  EXPECT_TRUE(as_of.present);
  EXPECT_EQ(as_of.seconds, 1772334000);
  EXPECT_EQ(as_of.nanos, 0);
  ExpectReadsAsProtobuf<R>(bytes);
}

TEST(WireViewTest, AbsentFieldsReadAsDefaults) {
  using R = v1::PurposeAllowedRequest;
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<R>(), "", &w).ok());
  EXPECT_EQ(w.String(R::kPurposeFieldNumber), "");
  EXPECT_FALSE(w.Has(R::kPurposeFieldNumber));
  EXPECT_EQ(w.Count(R::kCategoriesFieldNumber), 0);
  EXPECT_FALSE(w.Has(R::kContextFieldNumber));
  const WireView context = w.Message(R::kContextFieldNumber);
  EXPECT_EQ(context.shape().descriptor(), v1::UseContext::descriptor());
  EXPECT_FALSE(context.Bool(v1::UseContext::kAnonymizedFieldNumber));
  EXPECT_FALSE(w.Time(R::kAsOfFieldNumber).present);
  // An empty message given is present, as protobuf's has_as_of() says.
  // (The bytes read outlive the view, as they must.)
  const std::string empty_as_of = LenField(8, "");
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<R>(), empty_as_of, &w).ok());
  EXPECT_TRUE(w.Time(R::kAsOfFieldNumber).present);
  EXPECT_EQ(w.Time(R::kAsOfFieldNumber).seconds, 0);
  // A default-constructed view is of no message.
  EXPECT_EQ(WireView().shape().descriptor(), nullptr);
}

TEST(WireViewTest, ReadsEveryRequestTypeAsProtobuf) {
  v1::ConsentCheckRequest check;
  check.set_subject_id("c-1");
  check.add_categories("location");
  check.add_purposes("web_analytics");
  check.add_purposes("billing");
  *check.add_consents() = FullPurposeRequest().consents(1);
  check.mutable_as_of()->set_seconds(1);
  ExpectReadsAsProtobuf<v1::ConsentCheckRequest>(check.SerializeAsString());

  v1::RetentionDueRequest retention;
  retention.set_kind("accounting");
  retention.mutable_event_at()->set_seconds(1700000000);
  for (const char* type : {"legal_obligation", "dispute", "consent"}) {
    v1::Hold* h = retention.add_holds();
    h->set_type(type);
    h->set_id(absl::StrCat("h-", type));
    if (std::string(type) != "dispute") h->mutable_until()->set_seconds(-1);
  }
  retention.mutable_as_of()->set_seconds(1772334000);
  ExpectReadsAsProtobuf<v1::RetentionDueRequest>(retention.SerializeAsString());
  {
    const std::string bytes = retention.SerializeAsString();
    WireMessage w;
    ASSERT_TRUE(
        WireMessage::Read(WireShape::Of<v1::RetentionDueRequest>(), bytes, &w)
            .ok());
    const WireView dispute =
        w.MessageAt(v1::RetentionDueRequest::kHoldsFieldNumber, 1);
    EXPECT_EQ(dispute.String(v1::Hold::kTypeFieldNumber), "dispute");
    EXPECT_FALSE(dispute.Time(v1::Hold::kUntilFieldNumber).present);
    EXPECT_EQ(w.MessageAt(v1::RetentionDueRequest::kHoldsFieldNumber, 2)
                  .Time(v1::Hold::kUntilFieldNumber)
                  .seconds,
              -1);
  }

  v1::RequestValidateRequest validate;
  validate.set_type("disclosure");
  validate.set_channel("email");
  validate.mutable_received_at()->set_seconds(1771000000);
  validate.set_requester("agent");
  validate.add_documents("identity_document");
  validate.add_documents("power_of_attorney");
  validate.set_identity_verified(true);
  validate.set_fee_paid_jpy(-300);
  validate.add_review("third_party_rights");
  validate.mutable_as_of()->set_seconds(1772334000);
  ExpectReadsAsProtobuf<v1::RequestValidateRequest>(
      validate.SerializeAsString());
  {
    const std::string bytes = validate.SerializeAsString();
    WireMessage w;
    ASSERT_TRUE(WireMessage::Read(WireShape::Of<v1::RequestValidateRequest>(),
                                  bytes, &w)
                    .ok());
    EXPECT_EQ(w.Int32(v1::RequestValidateRequest::kFeePaidJpyFieldNumber),
              -300);
  }

  // EvalRequest holding each request, and a batch of them.
  v1::EvalBatchRequest batch;
  for (int which = 0; which <= 4; ++which) {
    v1::EvalRequest eval;
    switch (which) {
      case 1:
        *eval.mutable_purpose_allowed() = FullPurposeRequest();
        break;
      case 2:
        *eval.mutable_consent_check() = check;
        break;
      case 3:
        *eval.mutable_retention_due() = retention;
        break;
      case 4:
        *eval.mutable_request_validate() = validate;
        break;
    }
    const std::string bytes = eval.SerializeAsString();
    ExpectReadsAsProtobuf<v1::EvalRequest>(bytes);
    WireMessage w;
    ASSERT_TRUE(
        WireMessage::Read(WireShape::Of<v1::EvalRequest>(), bytes, &w).ok());
    EXPECT_EQ(w.OneofCase(), which);
    *batch.add_requests() = eval;
  }
  ExpectReadsAsProtobuf<v1::EvalBatchRequest>(batch.SerializeAsString());
}

// A oneof member given with its default (an empty message) is the member set.
TEST(WireViewTest, OneofMemberGivenEmptyIsSet) {
  v1::EvalRequest eval;
  eval.mutable_retention_due();
  const std::string bytes = eval.SerializeAsString();
  ExpectReadsAsProtobuf<v1::EvalRequest>(bytes);
  WireMessage w;
  ASSERT_TRUE(
      WireMessage::Read(WireShape::Of<v1::EvalRequest>(), bytes, &w).ok());
  EXPECT_EQ(w.OneofCase(), v1::EvalRequest::kRetentionDueFieldNumber);
  EXPECT_TRUE(w.Has(v1::EvalRequest::kRetentionDueFieldNumber));
  EXPECT_FALSE(w.Has(v1::EvalRequest::kPurposeAllowedFieldNumber));
}

TEST(WireViewTest, RandomRequestsOfEveryTypeReadAsProtobuf) {
  Random rnd(20260301);
  const Message* const prototypes[] = {
      &v1::PurposeAllowedRequest::default_instance(),
      &v1::ConsentCheckRequest::default_instance(),
      &v1::RetentionDueRequest::default_instance(),
      &v1::RequestValidateRequest::default_instance(),
      &v1::EvalRequest::default_instance(),
      &v1::EvalBatchRequest::default_instance(),
  };
  for (const Message* prototype : prototypes) {
    for (int i = 0; i < 300; ++i) {
      std::unique_ptr<Message> m(prototype->New());
      Fill(m.get(), rnd, 4);
      SCOPED_TRACE(m->ShortDebugString());
      ExpectReadsAsProtobuf(*prototype, m->SerializeAsString());
      if (HasFatalFailure()) return;
    }
  }
}

// The most a request may hold (pip/limits.h) reads whole, past the inline
// room.
TEST(WireViewTest, ReadsTheLargestRequestWhole) {
  v1::PurposeAllowedRequest r = FullPurposeRequest();
  r.clear_consents();
  for (int i = 0; i < kMaxConsentsPerRequest; ++i) {
    *r.add_consents() = FullPurposeRequest().consents(i % 3);
    r.mutable_consents(i)->set_id(absl::StrCat("k-", i));
  }
  for (int i = 0; i < kMaxIdsPerList; ++i) {
    r.add_categories(absl::StrCat("c", i));
  }
  const std::string bytes = r.SerializeAsString();
  ExpectReadsAsProtobuf<v1::PurposeAllowedRequest>(bytes);
  WireMessage w;
  ASSERT_TRUE(
      WireMessage::Read(WireShape::Of<v1::PurposeAllowedRequest>(), bytes, &w)
          .ok());
  EXPECT_EQ(w.MessageAt(6, kMaxConsentsPerRequest - 1).String(1),
            absl::StrCat("k-", kMaxConsentsPerRequest - 1));
}

// One WireMessage reads one request after another; a refused one reads as
// empty.
TEST(WireViewTest, ReadsAgainAndIsEmptyAfterAnError) {
  using R = v1::PurposeAllowedRequest;
  const std::string full = FullPurposeRequest().SerializeAsString();
  const std::string billing = LenField(2, "billing");
  const std::string twice = billing + LenField(2, "x");
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<R>(), full, &w).ok());
  EXPECT_EQ(w.Count(R::kConsentsFieldNumber), 3);
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<R>(), billing, &w).ok());
  EXPECT_EQ(w.String(R::kPurposeFieldNumber), "billing");
  EXPECT_EQ(w.Count(R::kConsentsFieldNumber), 0);
  EXPECT_FALSE(WireMessage::Read(WireShape::Of<R>(), twice, &w).ok());
  EXPECT_EQ(w.String(R::kPurposeFieldNumber), "");
  EXPECT_EQ(w.shape().descriptor(), R::descriptor());
}

// --- Encodings protobuf accepts and its serializer does not write ----------

TEST(WireViewTest, FieldsInAnyOrderReadAsProtobuf) {
  const std::string consent = LenField(6, VarintField(1, 42)) +
                              LenField(1, "k-1") + LenField(3, "location") +
                              VarintField(9, 2) + LenField(3, "email");
  const std::string bytes = LenField(8, VarintField(2, 5) + VarintField(1, 7)) +
                            LenField(6, consent) + LenField(3, "b") +
                            LenField(2, "billing") + LenField(3, "a") +
                            LenField(6, "") + LenField(1, "c-1");
  ExpectReadsAsProtobuf<v1::PurposeAllowedRequest>(bytes);
  WireMessage w;
  ASSERT_TRUE(
      WireMessage::Read(WireShape::Of<v1::PurposeAllowedRequest>(), bytes, &w)
          .ok());
  EXPECT_EQ(w.StringAt(3, 0), "b");
  EXPECT_EQ(w.StringAt(3, 1), "a");
  EXPECT_EQ(w.MessageAt(6, 0).StringAt(3, 1), "email");
  EXPECT_EQ(w.Time(8).seconds, 7);
  EXPECT_EQ(w.Time(8).nanos, 5);
}

TEST(WireViewTest, NonMinimalVarintsReadAsProtobuf) {
  // identity_verified = true as two bytes; fee_paid_jpy = 3 as five; the
  // tag of `type` as two bytes; a length as three.
  const std::string bytes = Tag(6, 0) + std::string("\x81\x00", 2) + Tag(7, 0) +
                            std::string("\x83\x80\x80\x80\x00", 5) +
                            std::string("\x8a\x00", 2) + "\x01x" + Tag(2, 2) +
                            std::string("\x85\x80\x00", 3) + "email";
  ExpectReadsAsProtobuf<v1::RequestValidateRequest>(bytes);
  WireMessage w;
  ASSERT_TRUE(
      WireMessage::Read(WireShape::Of<v1::RequestValidateRequest>(), bytes, &w)
          .ok());
  EXPECT_TRUE(w.Bool(6));
  EXPECT_EQ(w.Int32(7), 3);
  EXPECT_EQ(w.String(1), "x");
  EXPECT_EQ(w.String(2), "email");
}

TEST(WireViewTest, BoolOfAnyNonzeroVarintReadsAsProtobuf) {
  for (uint64_t v :
       {uint64_t{2}, uint64_t{0x80}, uint64_t{1} << 40, ~uint64_t{0}}) {
    const std::string bytes = VarintField(1, v);
    ExpectReadsAsProtobuf<v1::UseContext>(bytes);
    WireMessage w;
    ASSERT_TRUE(
        WireMessage::Read(WireShape::Of<v1::UseContext>(), bytes, &w).ok());
    EXPECT_TRUE(w.Bool(1));
  }
}

TEST(WireViewTest, Int32VarintsReadAsProtobuf) {
  // -5 as protobuf writes it (ten bytes, sign-extended); 2^40 + 7, which
  // protobuf truncates to 7; a five-byte 2^32 - 1, read as -1; a ten-byte
  // varint whose last byte holds more than bit 63.
  const std::string last_byte_over =
      std::string("\x87\x80\x80\x80\x80\x80\x80\x80\x80\x7f", 10);
  for (const std::string& value :
       {Varint(static_cast<uint64_t>(int64_t{-5})),
        Varint((uint64_t{1} << 40) + 7), Varint(0xffffffffu), last_byte_over}) {
    const std::string bytes = Tag(7, 0) + value;
    ExpectReadsAsProtobuf<v1::RequestValidateRequest>(bytes);
  }
  const std::string minus_five =
      Tag(7, 0) + Varint(static_cast<uint64_t>(int64_t{-5}));
  const std::string over_long = Tag(7, 0) + Varint((uint64_t{1} << 40) + 7);
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<v1::RequestValidateRequest>(),
                                minus_five, &w)
                  .ok());
  EXPECT_EQ(w.Int32(7), -5);
  ASSERT_TRUE(WireMessage::Read(WireShape::Of<v1::RequestValidateRequest>(),
                                over_long, &w)
                  .ok());
  EXPECT_EQ(w.Int32(7), 7);
}

TEST(WireViewTest, EmptyStringsAndMessagesReadAsProtobuf) {
  const std::string bytes = LenField(1, "") + LenField(3, "") +
                            LenField(5, "") + LenField(6, "") +
                            LenField(6, LenField(6, "")) + LenField(7, "");
  ExpectReadsAsProtobuf<v1::PurposeAllowedRequest>(bytes);
}

// --- What the reader refuses ------------------------------------------------

TEST(WireViewTest, RefusesAFieldTheMessageDoesNotDeclare) {
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(LenField(2, "billing") +
                                              VarintField(10, 1)),
            absl::InvalidArgumentError(
                "a field unknown to pip.v1.PurposeAllowedRequest (number 10)"));
  // In a consent, past the first.
  const std::string bytes =
      LenField(6, LenField(1, "k-0")) +
      LenField(6, LenField(1, "k-1") + LenField(40, "new restriction"));
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(bytes),
            absl::InvalidArgumentError(
                "consents[1]: a field unknown to pip.v1.Consent (number 40)"));
  // In a timestamp inside a consent.
  EXPECT_EQ(
      ReadAs<v1::PurposeAllowedRequest>(
          LenField(6, LenField(6, VarintField(1, 5) + VarintField(3, 0)))),
      absl::InvalidArgumentError("consents[0].granted_at: a field unknown to "
                                 "google.protobuf.Timestamp (number 3)"));
  // Protobuf would keep these aside and parse.
  v1::PurposeAllowedRequest parsed;
  EXPECT_TRUE(parsed.ParseFromString(bytes));
}

TEST(WireViewTest, RefusesAWireTypeOtherThanTheField) {
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(VarintField(2, 1)),
            absl::InvalidArgumentError(
                "purpose: wire type 0 where its type (string) takes wire "
                "type 2"));
  EXPECT_EQ(
      ReadAs<v1::PurposeAllowedRequest>(LenField(3, "a") + Tag(3, 5) + "abcd"),
      absl::InvalidArgumentError(
          "categories[1]: wire type 5 where its type (string) takes "
          "wire type 2"));
  EXPECT_EQ(ReadAs<v1::RequestValidateRequest>(LenField(6, "\x01")),
            absl::InvalidArgumentError(
                "identity_verified: wire type 2 where its type (bool) takes "
                "wire type 0"));
  // A group, started and ended.
  EXPECT_THAT(
      ReadAs<v1::PurposeAllowedRequest>(Tag(5, 3) + Tag(5, 4)).message(),
      HasSubstr("context: wire type 3"));
}

// protobuf keeps the last of a singular field given twice: `purpose:
// statistics` then `purpose: billing` would be read as billing.
TEST(WireViewTest, RefusesASingularFieldGivenTwice) {
  const std::string bytes =
      LenField(2, "statistics") + LenField(3, "email") + LenField(2, "billing");
  v1::PurposeAllowedRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_EQ(parsed.purpose(), "billing");
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(bytes),
            absl::InvalidArgumentError("purpose: given twice"));
  // Even with the same value, and for scalars.
  EXPECT_EQ(ReadAs<v1::UseContext>(VarintField(2, 1) + VarintField(2, 1)),
            absl::InvalidArgumentError("health_service: given twice"));
}

// protobuf merges a message given twice: two as_of would be read as one
// with the fields of both.
TEST(WireViewTest, RefusesASingularMessageGivenTwice) {
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(LenField(8, VarintField(1, 100)) +
                                              LenField(8, VarintField(2, 5))),
            absl::InvalidArgumentError("as_of: given twice"));
  EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(
                LenField(6, "") +
                LenField(6, LenField(6, VarintField(1, 1)) + LenField(6, ""))),
            absl::InvalidArgumentError("consents[1].granted_at: given twice"));
}

TEST(WireViewTest, RefusesTwoMembersOfAOneof) {
  const std::string bytes =
      LenField(1, LenField(2, "billing")) + LenField(2, LenField(1, "c-1"));
  v1::EvalRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_TRUE(parsed.has_consent_check());
  EXPECT_EQ(ReadAs<v1::EvalRequest>(bytes),
            absl::InvalidArgumentError(
                "consent_check: given twice: oneof request already holds "
                "purpose_allowed"));
  EXPECT_EQ(ReadAs<v1::EvalRequest>(LenField(3, "") + LenField(3, "")),
            absl::InvalidArgumentError("retention_due: given twice"));
}

TEST(WireViewTest, RefusesAStringThatIsNotUtf8) {
  const std::string bytes = LenField(6, LenField(1, "k-0")) +
                            LenField(6, LenField(3, "a") + LenField(3, "b") +
                                            LenField(3, "\xc3\x28"));
  v1::PurposeAllowedRequest parsed;
  EXPECT_FALSE(parsed.ParseFromString(bytes));
  EXPECT_EQ(
      ReadAs<v1::PurposeAllowedRequest>(bytes),
      absl::InvalidArgumentError("consents[1].categories[2]: not valid UTF-8"));
  // Overlong forms and surrogates, as protobuf judges them.
  for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xff"}) {
    EXPECT_EQ(ReadAs<v1::PurposeAllowedRequest>(LenField(2, bad)),
              absl::InvalidArgumentError("purpose: not valid UTF-8"))
        << bad;
  }
  ExpectReadsAsProtobuf<v1::PurposeAllowedRequest>(
      LenField(2, "利用目的 🙂"));
}

TEST(WireViewTest, RefusesMalformedBytes) {
  const auto refused = [](const std::string& bytes) {
    return std::string(ReadAs<v1::PurposeAllowedRequest>(bytes).message());
  };
  EXPECT_EQ(refused(LenField(2, "billing").substr(0, 5)),
            "purpose: truncated or malformed bytes (a length past the end)");
  EXPECT_EQ(refused(Tag(2, 2) + Varint(100) + "abc"),
            "purpose: truncated or malformed bytes (a length past the end)");
  EXPECT_EQ(refused(LenField(6, LenField(6, Tag(1, 0) + "\x80"))),
            "consents[0].granted_at.seconds: truncated or malformed bytes (a "
            "varint past the end or of more than 10 bytes)");
  EXPECT_EQ(refused(std::string("\x00\x01", 2)),
            "truncated or malformed bytes (field number 0)");
  EXPECT_EQ(refused("\x80"),
            "truncated or malformed bytes (a tag past the end or of more "
            "than 32 bits)");
  // A tag of more than 32 bits, and one of six bytes.
  EXPECT_THAT(refused(std::string("\x8a\x80\x80\x80\x70", 5) + "\x00"),
              HasSubstr("a tag past the end or of more than 32 bits"));
  EXPECT_THAT(refused(std::string("\x8a\x80\x80\x80\x80\x00\x00", 7)),
              HasSubstr("a tag past the end or of more than 32 bits"));
  // An eleven-byte varint.
  EXPECT_THAT(ReadAs<v1::UseContext>(Tag(1, 0) + std::string(10, '\x80') +
                                     std::string(1, '\0'))
                  .message(),
              HasSubstr("anonymized: truncated or malformed bytes"));
  // Wire types 6 and 7.
  EXPECT_THAT(refused(Tag(2, 6)), HasSubstr("purpose: wire type 6"));
  EXPECT_THAT(refused(Tag(20, 7)),
              HasSubstr("unknown to pip.v1.PurposeAllowedRequest (number 20)"));
}

// Every prefix of a valid request either reads or is refused; one that
// protobuf refuses is refused, and one that reads reads as protobuf reads
// it.
TEST(WireViewTest, EveryPrefixOfARequestReadsAsProtobufOrIsRefused) {
  v1::EvalRequest eval;
  *eval.mutable_purpose_allowed() = FullPurposeRequest();
  const std::string bytes = eval.SerializeAsString();
  const WireShape& shape = WireShape::Of<v1::EvalRequest>();
  int read = 0;
  for (size_t n = 0; n <= bytes.size(); ++n) {
    // Copied, so that ASan sees any read past the prefix.
    const std::string prefix = bytes.substr(0, n);
    WireMessage w;
    const absl::Status status = WireMessage::Read(shape, prefix, &w);
    v1::EvalRequest parsed;
    const bool protobuf_ok = parsed.ParseFromString(prefix);
    if (!protobuf_ok) {
      EXPECT_FALSE(status.ok()) << n;
      continue;
    }
    if (!status.ok()) continue;
    ++read;
    ExpectSame(parsed, w, "EvalRequest");
  }
  // The empty prefix and the whole request, at least.
  EXPECT_GE(read, 2);
}

// --- A message built at run time: every scalar type, self-nesting ----------

// pip.test.AllTypes: each scalar type singular and repeated (packed, as
// proto3 writes them), bytes, a oneof, a proto3 optional field, a field
// numbered past the dense table, and itself nested.
const Descriptor* AllTypes() {
  static const google::protobuf::DescriptorPool* const pool = [] {
    google::protobuf::FileDescriptorProto file;
    file.set_name("pip_test_all_types.proto");
    file.set_package("pip.test");
    file.set_syntax("proto3");
    google::protobuf::DescriptorProto* m = file.add_message_type();
    m->set_name("AllTypes");
    const std::pair<const char*, FieldDescriptor::Type> scalars[] = {
        {"i32", FieldDescriptor::TYPE_INT32},
        {"i64", FieldDescriptor::TYPE_INT64},
        {"u32", FieldDescriptor::TYPE_UINT32},
        {"u64", FieldDescriptor::TYPE_UINT64},
        {"s32", FieldDescriptor::TYPE_SINT32},
        {"s64", FieldDescriptor::TYPE_SINT64},
        {"f32", FieldDescriptor::TYPE_FIXED32},
        {"f64", FieldDescriptor::TYPE_FIXED64},
        {"sf32", FieldDescriptor::TYPE_SFIXED32},
        {"sf64", FieldDescriptor::TYPE_SFIXED64},
        {"fl", FieldDescriptor::TYPE_FLOAT},
        {"db", FieldDescriptor::TYPE_DOUBLE},
        {"b", FieldDescriptor::TYPE_BOOL},
        {"s", FieldDescriptor::TYPE_STRING},
        {"by", FieldDescriptor::TYPE_BYTES},
    };
    int number = 1;
    for (const auto& [name, type] : scalars) {
      for (bool repeated : {false, true}) {
        auto* f = m->add_field();
        f->set_name(absl::StrCat(repeated ? "r_" : "", name));
        f->set_number(number++);
        f->set_type(
            static_cast<google::protobuf::FieldDescriptorProto::Type>(type));
        f->set_label(
            repeated ? google::protobuf::FieldDescriptorProto::LABEL_REPEATED
                     : google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
      }
    }
    const auto add_message = [m](const char* name, int number, bool repeated,
                                 const char* type) {
      auto* f = m->add_field();
      f->set_name(name);
      f->set_number(number);
      f->set_type(google::protobuf::FieldDescriptorProto::TYPE_MESSAGE);
      f->set_type_name(type);
      f->set_label(
          repeated ? google::protobuf::FieldDescriptorProto::LABEL_REPEATED
                   : google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
      return f;
    };
    add_message("child", 40, false, ".pip.test.AllTypes");
    add_message("children", 41, true, ".pip.test.AllTypes");
    // A oneof of a string and a message, and a proto3 optional int32 (its
    // synthetic oneof, which is not a real one, last).
    m->add_oneof_decl()->set_name("choice");
    auto* a = m->add_field();
    a->set_name("choice_text");
    a->set_number(50);
    a->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
    a->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    a->set_oneof_index(0);
    add_message("choice_node", 51, false, ".pip.test.AllTypes")
        ->set_oneof_index(0);
    m->add_oneof_decl()->set_name("_maybe");
    auto* o = m->add_field();
    o->set_name("maybe");
    o->set_number(60);
    o->set_type(google::protobuf::FieldDescriptorProto::TYPE_INT32);
    o->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    o->set_oneof_index(1);
    o->set_proto3_optional(true);
    // A field numbered far out.
    auto* far = m->add_field();
    far->set_name("far");
    far->set_number(100000);
    far->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
    far->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);

    auto* p = new google::protobuf::DescriptorPool;
    const google::protobuf::FileDescriptor* built = p->BuildFile(file);
    if (built == nullptr) std::abort();
    return p;
  }();
  return pool->FindMessageTypeByName("pip.test.AllTypes");
}

const Message& AllTypesPrototype() {
  static google::protobuf::DynamicMessageFactory* const factory =
      new google::protobuf::DynamicMessageFactory;
  return *factory->GetPrototype(AllTypes());
}

TEST(WireViewTest, EveryScalarTypeReadsAsProtobuf) {
  Random rnd(7);
  for (int i = 0; i < 500; ++i) {
    std::unique_ptr<Message> m(AllTypesPrototype().New());
    Fill(m.get(), rnd, 2);
    SCOPED_TRACE(m->ShortDebugString());
    ExpectReadsAsProtobuf(AllTypesPrototype(), m->SerializeAsString());
    if (HasFatalFailure()) return;
  }
  const WireShape& shape = WireShape::Of(AllTypes());
  ASSERT_NE(shape.Find(100000), nullptr);
  EXPECT_EQ(shape.oneof_count(), 1);  // the real one only
}

TEST(WireViewTest, PackedAndUnpackedRepeatedScalarsReadAsProtobuf) {
  // r_i32 (2): 1, then packed -1 and 300, then 7; r_s32 (10) packed -2;
  // r_f32 (14) unpacked 5 then packed 6, 7; r_db (24) packed 0.5;
  // r_b (26) packed 0, 2.
  std::string packed_i32 =
      Varint(static_cast<uint64_t>(int64_t{-1})) + Varint(300);
  std::string fixed(8, '\0');
  fixed[0] = 6;
  fixed[4] = 7;
  double half = 0.5;
  std::string db(8, '\0');
  std::memcpy(&db[0], &half, 8);
  const std::string bytes =
      VarintField(2, 1) + LenField(2, packed_i32) + VarintField(2, 7) +
      LenField(10, Varint(3)) + Tag(14, 5) + std::string("\x05\0\0\0", 4) +
      LenField(14, fixed) + LenField(24, db) +
      LenField(26, std::string("\x00\x02", 2)) + LenField(2, "");
  ExpectReadsAsProtobuf(AllTypesPrototype(), bytes);
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of(AllTypes()), bytes, &w).ok());
  ASSERT_EQ(w.Count(2), 4);
  EXPECT_EQ(w.Int32At(2, 1), -1);
  EXPECT_EQ(w.Int32At(2, 2), 300);
  EXPECT_EQ(w.Int32At(2, 3), 7);
  EXPECT_EQ(w.Int32At(10, 0), -2);
  EXPECT_EQ(w.UInt32At(14, 2), 7u);
  EXPECT_EQ(w.DoubleAt(24, 0), 0.5);
  EXPECT_TRUE(w.BoolAt(26, 1));
  // Packed fixed-size values in a length that is not a multiple of theirs.
  EXPECT_THAT(WireMessage::Read(WireShape::Of(AllTypes()),
                                LenField(14, "\x01\x02\x03"), &w)
                  .message(),
              HasSubstr("r_f32: truncated or malformed bytes (packed 4-byte"));
}

TEST(WireViewTest, OptionalOneofAndFarFieldsReadAsProtobuf) {
  const std::string bytes = VarintField(60, 0) +
                            LenField(51, VarintField(60, 3)) +
                            LenField(100000, "far away");
  ExpectReadsAsProtobuf(AllTypesPrototype(), bytes);
  WireMessage w;
  ASSERT_TRUE(WireMessage::Read(WireShape::Of(AllTypes()), bytes, &w).ok());
  EXPECT_TRUE(w.Has(60));
  EXPECT_EQ(w.OneofCase(0), 51);
  EXPECT_EQ(w.Message(51).Int32(60), 3);
  EXPECT_EQ(w.String(100000), "far away");
  EXPECT_EQ(ReadAs<v1::UseContext>(LenField(100000, "x")).message(),
            "a field unknown to pip.v1.UseContext (number 100000)");
}

// `child` nested `depth` deep below the outermost message, the innermost
// holding i32 = 1.
std::string Nested(int depth) {
  std::string bytes = VarintField(1, 1);
  for (int i = 0; i < depth; ++i) bytes = LenField(40, bytes);
  return bytes;
}

TEST(WireViewTest, RefusesNestingPastTheDepthLimit) {
  const WireShape& shape = WireShape::Of(AllTypes());
  WireMessage w;
  // kMaxWireDepth messages in all: protobuf reads them, and so does Read.
  const std::string deepest = Nested(kMaxWireDepth - 1);
  ExpectReadsAsProtobuf(AllTypesPrototype(), deepest);
  ASSERT_TRUE(WireMessage::Read(shape, deepest, &w).ok());
  WireView v = w;
  for (int i = 0; i < kMaxWireDepth - 1; ++i) v = v.Message(40);
  EXPECT_EQ(v.Int32(1), 1);
  // One more is refused, naming the path to it.
  const absl::Status too_deep =
      WireMessage::Read(shape, Nested(kMaxWireDepth), &w);
  std::string path = "child";
  for (int i = 1; i < kMaxWireDepth; ++i) path += ".child";
  EXPECT_EQ(too_deep, absl::InvalidArgumentError(
                          absl::StrCat(path,
                                       ": messages nested deeper than 32 "
                                       "(kMaxWireDepth)")));
  // Far deeper, as a hostile input would be, the same.
  EXPECT_FALSE(WireMessage::Read(shape, Nested(2000), &w).ok());
}

// --- Random and mutated bytes -----------------------------------------------

// Whatever the bytes: Read never crashes nor reads past them; whenever it
// accepts them protobuf does too, and the two read the same values. Sets
// `*accepted` to whether Read accepted them.
void CheckArbitraryBytes(const Message& prototype, const std::string& bytes,
                         bool* accepted) {
  const WireShape& shape = WireShape::Of(prototype.GetDescriptor());
  WireMessage w;
  const absl::Status status = WireMessage::Read(shape, bytes, &w);
  *accepted = status.ok();
  if (!status.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    return;
  }
  std::unique_ptr<Message> parsed(prototype.New());
  ASSERT_TRUE(parsed->ParseFromString(bytes))
      << "Read accepts what protobuf refuses";
  ExpectSame(*parsed, w, prototype.GetDescriptor()->name());
}

TEST(WireViewTest, RandomAndMutatedBytesNeverCrashAndAgreeWithProtobuf) {
  Random rnd(1);
  const Message* const prototypes[] = {
      &v1::EvalRequest::default_instance(),
      &v1::PurposeAllowedRequest::default_instance(),
      &v1::RetentionDueRequest::default_instance(),
      &v1::RequestValidateRequest::default_instance(),
      &AllTypesPrototype(),
  };
  int accepted = 0;
  for (int i = 0; i < 100000; ++i) {
    const Message& prototype = *prototypes[i % 5];
    std::string bytes;
    if (i % 4 == 0) {
      // Random bytes, biased to small tags and lengths.
      const int n = rnd.Int(0, 40);
      for (int j = 0; j < n; ++j) {
        bytes.push_back(static_cast<char>(rnd.OneIn(2) ? rnd.Int(0, 0x50)
                                                       : rnd.Int(0, 255)));
      }
    } else {
      std::unique_ptr<Message> m(prototype.New());
      Fill(m.get(), rnd, 3);
      bytes = m->SerializeAsString();
      const int edits = rnd.Int(1, 3);
      for (int e = 0; e < edits && !bytes.empty(); ++e) {
        const size_t at =
            static_cast<size_t>(rnd.Int(0, static_cast<int>(bytes.size()) - 1));
        switch (rnd.Int(0, 4)) {
          case 0:  // one byte changed
            bytes[at] = static_cast<char>(rnd.Int(0, 255));
            break;
          case 1:  // one bit flipped
            bytes[at] ^= static_cast<char>(1 << rnd.Int(0, 7));
            break;
          case 2:  // a byte removed
            bytes.erase(at, 1);
            break;
          case 3:  // a byte inserted
            bytes.insert(at, 1, static_cast<char>(rnd.Int(0, 255)));
            break;
          default:  // cut short, or a piece of itself appended
            if (rnd.OneIn(2)) {
              bytes.resize(at);
            } else {
              bytes += bytes.substr(at, static_cast<size_t>(rnd.Int(1, 8)));
            }
            break;
        }
      }
    }
    SCOPED_TRACE(::testing::PrintToString(bytes));
    bool ok = false;
    CheckArbitraryBytes(prototype, bytes, &ok);
    if (HasFatalFailure()) return;
    accepted += ok;
  }
  // The mutations leave many inputs valid (about one in ten), so that
  // agreement is checked on them too.
  EXPECT_GT(accepted, 5000);
}

}  // namespace
}  // namespace codec_internal
}  // namespace pip
