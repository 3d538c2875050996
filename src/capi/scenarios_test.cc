// Every golden scenario of tests/scenarios/default_policy.jsonl, asked
// through the C API (pip/pip.h) in JSON and in protobuf, one at a time, per
// function and in batches, must get exactly the C++ Engine's answer: the
// same JSON bytes, the same decision message, the same error code. The
// goldens themselves (what the policy says) are checked against the Engine
// by tests/scenarios_test.cc; this test ties the C surface to it. The C
// API is libpip_c.so, with its own copy of pip and of the messages, in the
// same process as libpip.a's Engine: the two answer alike.
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "tools/pipctl/golden.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using google::protobuf::util::MessageDifferencer;

struct RequestLine {
  int line = 0;
  std::string json;
};

// The request lines of the golden file, read as `pipctl test` reads it.
std::vector<RequestLine> GoldenRequests() {
  std::ifstream in(absl::StrCat(PIP_SOURCE_DIR,
                                "/tests/scenarios/default_policy.jsonl"));
  absl::StatusOr<std::vector<pipctl::GoldenCase>> cases =
      pipctl::ReadGoldenCases(in, "default_policy.jsonl");
  EXPECT_OK(cases);
  std::vector<RequestLine> requests;
  if (!cases.ok()) return requests;
  for (const pipctl::GoldenCase& c : *cases) {
    requests.push_back({c.line, c.request});
  }
  return requests;
}

// Owns what pip_* hands out.
struct Freer {
  void operator()(void* p) const { pip_free(p); }
};
using CString = std::unique_ptr<char, Freer>;
using CBytes = std::unique_ptr<uint8_t, Freer>;

struct EngineFreer {
  void operator()(pip_engine* e) const { pip_engine_free(e); }
};

// One function of the API in both encodings, and where its request and
// decision sit in EvalRequest / EvalResponse.
struct Function {
  std::string name;
  pip_status (*json)(char**, size_t*, const pip_engine*, const char*, size_t,
                     pip_error**);
  pip_status (*pb)(uint8_t**, size_t*, const pip_engine*, const uint8_t*,
                   size_t, pip_error**);
};

const Function* FunctionOf(const v1::EvalRequest& request) {
  static const Function kFunctions[] = {
      {"purpose_allowed", pip_purpose_allowed_json, pip_purpose_allowed_pb},
      {"consent_check", pip_consent_check_json, pip_consent_check_pb},
      {"retention_due", pip_retention_due_json, pip_retention_due_pb},
      {"request_validate", pip_request_validate_json,
       pip_request_validate_pb},
  };
  switch (request.request_case()) {
    case v1::EvalRequest::kPurposeAllowed: return &kFunctions[0];
    case v1::EvalRequest::kConsentCheck: return &kFunctions[1];
    case v1::EvalRequest::kRetentionDue: return &kFunctions[2];
    case v1::EvalRequest::kRequestValidate: return &kFunctions[3];
    case v1::EvalRequest::REQUEST_NOT_SET: return nullptr;
  }
  return nullptr;
}

// The message inside the oneof of an EvalRequest or EvalResponse.
const google::protobuf::Message& OneofValue(
    const google::protobuf::Message& message) {
  const auto* oneof = message.GetDescriptor()->oneof_decl(0);
  const auto* field =
      message.GetReflection()->GetOneofFieldDescriptor(message, oneof);
  return message.GetReflection()->GetMessage(message, field);
}

class CapiScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Create(PolicySource::Default());
    ASSERT_TRUE(engine.ok()) << engine.status();
    cpp_ = *std::move(engine);
    pip_engine* c = nullptr;
    const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    ASSERT_EQ(pip_engine_new(&c, &source, nullptr, nullptr), PIP_OK)
        << pip_last_error();
    c_.reset(c);
    requests_ = GoldenRequests();
    // Guards against a reader that silently finds nothing.
    ASSERT_GE(requests_.size(), 30u);
  }

  std::unique_ptr<Engine> cpp_;
  std::unique_ptr<pip_engine, EngineFreer> c_;
  std::vector<RequestLine> requests_;
};

TEST_F(CapiScenarioTest, EvalJsonGivesTheEngineJsonBytes) {
  for (const RequestLine& r : requests_) {
    SCOPED_TRACE(absl::StrCat("default_policy.jsonl:", r.line));
    char* out = nullptr;
    size_t out_len = 0;
    ASSERT_EQ(pip_eval_json(&out, &out_len, c_.get(), r.json.data(),
                            r.json.size(), nullptr),
              PIP_OK)
        << pip_last_error();
    CString owned(out);
    EXPECT_EQ(std::string(out, out_len), pip::EvaluateJson(*cpp_, r.json));
  }
}

TEST_F(CapiScenarioTest, EvalPbGivesTheEngineResponse) {
  for (const RequestLine& r : requests_) {
    SCOPED_TRACE(absl::StrCat("default_policy.jsonl:", r.line));
    absl::StatusOr<v1::EvalRequest> request = ParseEvalRequestJson(r.json);
    if (!request.ok()) continue;  // JSON syntax scenarios have no bytes.
    const std::string bytes = request->SerializeAsString();
    uint8_t* out = nullptr;
    size_t out_len = 0;
    ASSERT_EQ(pip_eval_pb(&out, &out_len, c_.get(),
                          reinterpret_cast<const uint8_t*>(bytes.data()),
                          bytes.size(), nullptr),
              PIP_OK)
        << pip_last_error();
    CBytes owned(out);
    v1::EvalResponse response;
    ASSERT_TRUE(response.ParseFromArray(out, static_cast<int>(out_len)));
    const v1::EvalResponse expected = cpp_->Evaluate(*request);
    EXPECT_TRUE(MessageDifferencer::Equals(response, expected))
        << response.ShortDebugString() << "\nexpected "
        << expected.ShortDebugString();
  }
}

TEST_F(CapiScenarioTest, EachFunctionInBothEncodingsGivesTheEngineAnswer) {
  int decisions = 0, errors = 0;
  for (const RequestLine& r : requests_) {
    SCOPED_TRACE(absl::StrCat("default_policy.jsonl:", r.line));
    absl::StatusOr<v1::EvalRequest> request = ParseEvalRequestJson(r.json);
    if (!request.ok()) continue;
    const Function* function = FunctionOf(*request);
    if (function == nullptr) continue;
    const v1::EvalResponse expected = cpp_->Evaluate(*request);
    const google::protobuf::Message& inner = OneofValue(*request);

    // JSON: the function's request object in, its decision object out.
    std::string inner_json;
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    ASSERT_OK(
        google::protobuf::util::MessageToJsonString(inner, &inner_json, print));
    char* json = nullptr;
    const pip_status json_status =
        function->json(&json, nullptr, c_.get(), inner_json.data(),
                       inner_json.size(), nullptr);
    CString json_owned(json);

    // Protobuf: the function's request bytes in, its decision bytes out.
    const std::string bytes = inner.SerializeAsString();
    uint8_t* pb = nullptr;
    size_t pb_len = 0;
    const pip_status pb_status = function->pb(
        &pb, &pb_len, c_.get(), reinterpret_cast<const uint8_t*>(bytes.data()),
        bytes.size(), nullptr);
    CBytes pb_owned(pb);

    if (expected.has_error()) {
      ++errors;
      // The same error, and no decision: an error is never an allow.
      EXPECT_EQ(pip_status_name(json_status), expected.error().code());
      EXPECT_EQ(pip_status_name(pb_status), expected.error().code());
      EXPECT_EQ(json, nullptr);
      EXPECT_EQ(pb, nullptr);
      EXPECT_TRUE(absl::StrContains(pip_last_error(), expected.error().message()))
          << pip_last_error();
      continue;
    }
    ++decisions;
    ASSERT_EQ(json_status, PIP_OK) << pip_last_error();
    ASSERT_EQ(pb_status, PIP_OK) << pip_last_error();
    EXPECT_EQ(absl::StrCat("{\"", function->name, "\":", json, "}"),
              pip::EvaluateJson(*cpp_, r.json));
    std::unique_ptr<google::protobuf::Message> decision(
        OneofValue(expected).New());
    ASSERT_TRUE(decision->ParseFromArray(pb, static_cast<int>(pb_len)));
    EXPECT_TRUE(MessageDifferencer::Equals(*decision, OneofValue(expected)))
        << decision->ShortDebugString();
  }
  // The goldens hold both decisions and errors; both paths were exercised.
  EXPECT_GT(decisions, 0);
  EXPECT_GT(errors, 0);
}

TEST_F(CapiScenarioTest, BatchesAnswerLineByLineAsTheEngine) {
  std::vector<std::string> lines;
  v1::EvalBatchRequest batch;
  std::vector<v1::EvalResponse> expected;
  for (const RequestLine& r : requests_) {
    lines.push_back(r.json);
    absl::StatusOr<v1::EvalRequest> request = ParseEvalRequestJson(r.json);
    if (!request.ok()) continue;
    *batch.add_requests() = *request;
    expected.push_back(cpp_->Evaluate(*request));
  }

  const std::string joined = absl::StrJoin(lines, "\n");
  char* out = nullptr;
  size_t out_len = 0, count = 0;
  ASSERT_EQ(pip_eval_batch_json(&out, &out_len, &count, c_.get(), joined.data(),
                                joined.size(), nullptr),
            PIP_OK)
      << pip_last_error();
  CString owned(out);
  ASSERT_EQ(count, lines.size());
  std::vector<std::string> answers =
      absl::StrSplit(absl::string_view(out, out_len), '\n');
  ASSERT_EQ(answers.size(), lines.size() + 1);  // every line ends in "\n"
  EXPECT_EQ(answers.back(), "");
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(answers[i], pip::EvaluateJson(*cpp_, lines[i])) << "line " << i + 1;
  }

  const std::string bytes = batch.SerializeAsString();
  uint8_t* pb = nullptr;
  size_t pb_len = 0;
  ASSERT_EQ(pip_eval_batch_pb(&pb, &pb_len, c_.get(),
                              reinterpret_cast<const uint8_t*>(bytes.data()),
                              bytes.size(), nullptr),
            PIP_OK)
      << pip_last_error();
  CBytes pb_owned(pb);
  v1::EvalBatchResponse responses;
  ASSERT_TRUE(responses.ParseFromArray(pb, static_cast<int>(pb_len)));
  ASSERT_EQ(static_cast<size_t>(responses.responses_size()), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(
        responses.responses(static_cast<int>(i)), expected[i]))
        << "request " << i;
  }
}

}  // namespace
}  // namespace pip
