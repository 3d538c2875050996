// The message encoder (encoder.h): the generated setters it takes for
// pip.v1.Reason and pip.v1.PolicyStamp set the field each number names, and
// a decision set through them is the message the wire encoder's bytes
// parse into: the same decision, field for field, on every surface.
#include "src/render/encoder.h"

#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pip/v1/decision.pb.h"
#include "src/render/render.h"

namespace pip {
namespace engine_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Every string and enum field of M is mapped to the accessor of that very
// field: a value set through the table reads back through reflection.
template <typename M>
void ExpectEveryFieldMapped() {
  const Descriptor* d = M::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    SCOPED_TRACE(f->full_name());
    M m;
    const uint32_t number = static_cast<uint32_t>(f->number());
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string* s = GeneratedSetters<M>::String(m, number);
        ASSERT_NE(s, nullptr);
        *s = "value of " + f->name();
        EXPECT_EQ(m.GetReflection()->GetString(m, f), "value of " + f->name());
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int last =
            f->enum_type()->value(f->enum_type()->value_count() - 1)->number();
        ASSERT_TRUE(GeneratedSetters<M>::Enum(m, number, last));
        EXPECT_EQ(m.GetReflection()->GetEnumValue(m, f), last);
        break;
      }
      default:
        ADD_FAILURE() << "a field of a type the table does not map";
    }
    // Nothing else was set.
    std::vector<const FieldDescriptor*> set;
    m.GetReflection()->ListFields(m, &set);
    EXPECT_EQ(set.size(), 1u);
  }
  // A number the message does not have is not mapped.
  M m;
  EXPECT_EQ(GeneratedSetters<M>::String(m, 1000), nullptr);
  EXPECT_FALSE(GeneratedSetters<M>::Enum(m, 1000, 1));
}

TEST(GeneratedSettersTest, EveryFieldOfReasonIsMappedToItself) {
  ExpectEveryFieldMapped<v1::Reason>();
}

TEST(GeneratedSettersTest, EveryFieldOfPolicyStampIsMappedToItself) {
  ExpectEveryFieldMapped<v1::PolicyStamp>();
}

// A layout of a decision with two reasons (one with every id, one with
// none) and the policy stamp: what Spec::Layout writes for a function.
template <typename Encoder>
void TwoReasons(const ReasonFields& full, const ReasonFields& bare,
                Encoder& e) {
  e.Bool(v1::RequestValidateDecision::kValidFieldNumber, "valid", true);
  e.BeginList(v1::RequestValidateDecision::kReasonsFieldNumber, "reasons");
  e.MessageItem(v1::RequestValidateDecision::kReasonsFieldNumber,
                [&](auto& m) { EncodeReason(full, m); });
  e.MessageItem(v1::RequestValidateDecision::kReasonsFieldNumber,
                [&](auto& m) { EncodeReason(bare, m); });
  e.EndList();
  e.Message(
      v1::RequestValidateDecision::kPolicyFieldNumber, "policy", [](auto& m) {
        m.String(v1::PolicyStamp::kVersionFieldNumber, "version", "2026-04-01");
        m.String(v1::PolicyStamp::kHashFieldNumber, "hash", "ab12");
      });
}

TEST(MessageEncoderTest, ReasonsAndStampEqualWhatTheWireBytesParseInto) {
  ReasonFields full;
  full.code = v1::DOCUMENT_MISSING;
  full.clause = "8.2";
  full.category = "contact";
  full.purpose = "billing";
  full.recipient = "third_party";
  full.document = "power_of_attorney";
  full.review_ground = "legal_obligation";
  full.article = "APPI 33";
  full.provision = "p";
  full.channel = "web_form";
  full.ids.consent_id = "k-1";
  full.ids.request_type = "disclosure";
  full.ids.request_id = "r-1";
  full.ids.hold_type = "litigation";
  full.ids.hold_id = "h-1";
  full.message_ja << "委任状が"
                  << "ありません (" << int64_t{8} << ")";
  full.message_en << "The power of attorney "
                  << "is missing.";
  ReasonFields bare;
  bare.code = v1::RESPONSE_OVERDUE;
  bare.clause = "8.2";

  v1::RequestValidateDecision by_setters;
  {
    MessageEncoder e(&by_setters);
    TwoReasons(full, bare, e);
  }
  std::string wire;
  {
    WireEncoder e(&wire);
    TwoReasons(full, bare, e);
  }
  v1::RequestValidateDecision parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(parsed, by_setters)) << diff;
  ASSERT_EQ(by_setters.reasons_size(), 2);
  EXPECT_EQ(by_setters.reasons(0).message_ja(), "委任状がありません (8)");
  EXPECT_EQ(by_setters.reasons(0).hold_id(), "h-1");
  EXPECT_EQ(by_setters.reasons(1).document(), "");
  EXPECT_EQ(by_setters.policy().hash(), "ab12");
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
