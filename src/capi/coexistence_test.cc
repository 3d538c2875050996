// One process, both libraries: this program links libpip.a (pip::pip, the
// C++ API) and libpip_c.so (pip::pip_c, the C API), as a program that
// embeds pip in C++ and loads a plugin written against pip.h would. Each
// registers its messages with the one libprotobuf of the process; the C
// library's are generated under a package of its own
// (cmake/capi_proto_package.cmake), so loading both does not abort, and the
// two answer every request alike, byte for byte.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"

namespace pip {
namespace {

struct Freer {
  void operator()(void* p) const { pip_free(p); }
};
struct EngineFreer {
  void operator()(pip_engine* e) const { pip_engine_free(e); }
};
struct ErrorFreer {
  void operator()(pip_error* e) const { pip_error_free(e); }
};
using CError = std::unique_ptr<pip_error, ErrorFreer>;

// 7: an inquiry of 2023-05-10 is kept until 2026-05-10, due on 2026-05-11.
constexpr char kInquiry[] =
    R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"})";
// 4.2: direct mail to a customer with no consent or request stands.
constexpr char kNewsletter[] =
    R"({"subject_id": "c-2", "purpose": "direct_mail", "categories": ["name", "email"], "as_of": "2026-03-01T12:00:00+09:00"})";

class CoexistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cpp_ = testing::DefaultEngine();
    pip_engine* c = nullptr;
    const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    pip_error* error = nullptr;
    ASSERT_EQ(pip_engine_new(&c, &source, nullptr, &error), PIP_OK)
        << pip_error_message(error);
    c_.reset(c);
  }

  // The C API's JSON answer to `request` for `function`.
  std::string CJson(Function function, absl::string_view request) {
    char* out = nullptr;
    size_t len = 0;
    pip_error* error = nullptr;
    const pip_status status =
        function == Function::kRetentionDue
            ? pip_retention_due_json(&out, &len, c_.get(), request.data(),
                                     request.size(), &error)
            : pip_purpose_allowed_json(&out, &len, c_.get(), request.data(),
                                       request.size(), &error);
    CError owned_error(error);
    EXPECT_EQ(status, PIP_OK) << pip_error_message(error);
    std::unique_ptr<char, Freer> owned(out);
    return out == nullptr ? "" : std::string(out, len);
  }

  std::unique_ptr<Engine> cpp_;
  std::unique_ptr<pip_engine, EngineFreer> c_;
};

TEST_F(CoexistenceTest, Clause7_RetentionIsDecidedAlikeInJson) {
  std::string cpp;
  ASSERT_TRUE(DecideJson(*cpp_, Function::kRetentionDue, kInquiry, &cpp).ok());
  const std::string c = CJson(Function::kRetentionDue, kInquiry);
  EXPECT_EQ(c, cpp);
  EXPECT_TRUE(absl::StartsWith(c, R"({"due":true,"retain_until":"2026-05-10")"))
      << c;
}

TEST_F(CoexistenceTest, Clause4_2_TheNewsletterIsDecidedAlikeInJson) {
  std::string cpp;
  ASSERT_TRUE(
      DecideJson(*cpp_, Function::kPurposeAllowed, kNewsletter, &cpp).ok());
  const std::string c = CJson(Function::kPurposeAllowed, kNewsletter);
  EXPECT_EQ(c, cpp);
  EXPECT_TRUE(absl::StartsWith(c, R"({"allowed":true)")) << c;
  EXPECT_TRUE(absl::StrContains(c, R"("code":"PURPOSE_PERMITTED")")) << c;
}

// The C library's messages are generated from copies of the .proto files:
// the same bytes in give the same bytes out, and the C++ messages read
// them as pip.v1 messages.
TEST_F(CoexistenceTest, Clause7_RetentionIsDecidedAlikeInProtobuf) {
  v1::RetentionDueRequest request;
  request.set_kind("inquiry");
  request.mutable_event_at()->set_seconds(1683694800);  // 2023-05-10 14:00 JST
  request.mutable_as_of()->set_seconds(1778425200);     // 2026-05-11 00:00 JST
  const std::string bytes = request.SerializeAsString();
  std::string cpp;
  ASSERT_TRUE(DecidePb(*cpp_, Function::kRetentionDue, bytes, &cpp).ok());
  uint8_t* out = nullptr;
  size_t len = 0;
  pip_error* error = nullptr;
  ASSERT_EQ(pip_retention_due_pb(&out, &len, c_.get(),
                                 reinterpret_cast<const uint8_t*>(bytes.data()),
                                 bytes.size(), &error),
            PIP_OK)
      << pip_error_message(error);
  std::unique_ptr<uint8_t, Freer> owned(out);
  const std::string c(reinterpret_cast<const char*>(out), len);
  EXPECT_EQ(c, cpp);
  v1::RetentionDueDecision decision;
  ASSERT_TRUE(decision.ParseFromString(c));
  EXPECT_TRUE(decision.due());
  EXPECT_EQ(decision.retain_until(), "2026-05-10");
}

// Messages to people name the messages as the contract does, pip.v1, in
// the C library too: a field unknown to the request (7), and a policy
// field that does not exist.
TEST_F(CoexistenceTest, ErrorsNameThePipV1Messages) {
  const std::string unknown_field("\xf8\x06\x01", 3);  // field 111 = 1
  std::string cpp;
  const absl::Status cpp_status =
      DecidePb(*cpp_, Function::kRetentionDue, unknown_field, &cpp);
  ASSERT_FALSE(cpp_status.ok());
  uint8_t* out = nullptr;
  size_t len = 0;
  pip_error* error = nullptr;
  EXPECT_EQ(pip_retention_due_pb(
                &out, &len, c_.get(),
                reinterpret_cast<const uint8_t*>(unknown_field.data()),
                unknown_field.size(), &error),
            PIP_INVALID_ARGUMENT);
  CError owned_error(error);
  EXPECT_EQ(pip_error_message(error),
            "pip_retention_due_pb: " + std::string(cpp_status.message()));
  EXPECT_TRUE(absl::StrContains(pip_error_message(error),
                                "unknown to pip.v1.RetentionDueRequest"))
      << pip_error_message(error);

  const char policy[] = "no_such_field: 1\n";
  pip_policy_source source = PIP_POLICY_SOURCE_INIT;
  source.kind = PIP_SOURCE_TEXT;
  source.data = policy;
  source.data_len = std::strlen(policy);
  pip_engine* engine = nullptr;
  pip_error* policy_error = nullptr;
  EXPECT_EQ(pip_engine_new(&engine, &source, nullptr, &policy_error),
            PIP_INVALID_ARGUMENT);
  CError owned_policy_error(policy_error);
  const std::string message = pip_error_message(policy_error);
  EXPECT_TRUE(absl::StrContains(message, "\"pip.v1.Policy\"")) << message;
  EXPECT_FALSE(absl::StrContains(message, "pip_c.")) << message;
  const absl::StatusOr<std::unique_ptr<Engine>> cpp_engine =
      Engine::Create(PolicySource::Text(policy));
  ASSERT_FALSE(cpp_engine.ok());
  EXPECT_EQ(message, "pip_engine_new: " +
                         std::string(cpp_engine.status().message()));
}

}  // namespace
}  // namespace pip
