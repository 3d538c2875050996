// The JSON surface's direct path (json.h: PurposeAllowedJsonDirect and the
// other *JsonDirect functions): a parsed request is resolved and evaluated, and the decision is
// printed from the reasons' descriptions, as the wire path of serialized.cc
// writes it, rather than built as a message and printed through reflection.
#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "src/render/encode_decision.h"
#include "src/codec/json.h"
#include "src/engine/json_direct.h"
#include "src/codec/json_codec.h"
#include "src/render/render.h"
#include "src/engine/resolve.h"

namespace pip {
namespace engine_internal {
namespace {

// The name of `code` as the descriptor gives it, or "" for a value the enum
// does not declare; looked up once per process rather than once a reason.
absl::string_view ReasonCodeName(v1::ReasonCode code) {
  static const auto* const names = [] {
    auto* table =
        new std::array<absl::string_view, v1::ReasonCode_ARRAYSIZE>();
    const google::protobuf::EnumDescriptor* e = v1::ReasonCode_descriptor();
    for (int i = 0; i < e->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* value = e->value(i);
      (*table)[static_cast<size_t>(value->number())] = value->name();
    }
    return table;
  }();
  const int i = static_cast<int>(code);
  return i >= 0 && i < v1::ReasonCode_ARRAYSIZE
             ? (*names)[static_cast<size_t>(i)]
             : absl::string_view();
}

// Prints a decision's fields as PrintJsonAnswer() prints the message, for
// the layouts of encode_decision.h: proto field names, every field (false
// and "" included), enum names.
class JsonEncoder {
 public:
  explicit JsonEncoder(std::string* out) : out_(out) {}

  void Bool(uint32_t /*number*/, absl::string_view name, bool value) {
    Key(name);
    out_->append(value ? "true" : "false");
  }
  // As a number, as protobuf prints an int32 (only 64-bit integers are
  // quoted).
  void Int32(uint32_t /*number*/, absl::string_view name, int32_t value) {
    Key(name);
    char digits[absl::numbers_internal::kFastToBufferSize];
    out_->append(digits,
                 absl::numbers_internal::FastIntToBuffer(value, digits));
  }
  void String(uint32_t /*number*/, absl::string_view name,
              absl::string_view value) {
    Key(name);
    Quoted(value);
  }
  // A repeated string, printed [] when empty.
  void BeginStrings(uint32_t /*number*/, absl::string_view name) {
    Key(name);
    out_->push_back('[');
    first_ = true;
  }
  void StringItem(uint32_t /*number*/, absl::string_view value) {
    if (!first_) out_->push_back(',');
    first_ = false;
    Quoted(value);
  }
  void EndStrings() {
    out_->push_back(']');
    first_ = false;
  }
  void BeginReasons(uint32_t /*number*/, absl::string_view name) {
    Key(name);
    out_->push_back('[');
    first_ = true;
  }
  // A pip.v1.Reason, its fields in the order of the .proto file.
  void Reason(uint32_t /*number*/, const ReasonFields& r) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->append("{\"code\":");
    Code(r.code);
    out_->append(",\"clause\":");
    Quoted(r.clause);
    out_->append(",\"message_ja\":");
    Quoted(r.message_ja);
    out_->append(",\"message_en\":");
    Quoted(r.message_en);
    out_->append(",\"category\":");
    Quoted(r.category);
    out_->append(",\"purpose\":");
    Quoted(r.purpose);
    out_->append(",\"recipient\":");
    Quoted(r.recipient);
    out_->append(",\"consent_id\":");
    Quoted(r.ids.consent_id);
    out_->append(",\"request_type\":");
    Quoted(r.ids.request_type);
    out_->append(",\"request_id\":");
    Quoted(r.ids.request_id);
    out_->append(",\"hold_type\":");
    Quoted(r.ids.hold_type);
    out_->append(",\"document\":");
    Quoted(r.document);
    out_->append(",\"hold_id\":");
    Quoted(r.ids.hold_id);
    out_->push_back('}');
  }
  void EndReasons() {
    out_->push_back(']');
    first_ = false;
  }

  // False when some text was not valid UTF-8: the line must not be used.
  bool ok() const { return ok_; }

 private:
  void Key(absl::string_view name) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(name.data(), name.size());
    out_->append("\":");
  }
  void Quoted(absl::string_view text) {
    out_->push_back('"');
    ok_ &= AppendJsonStringBody(text, out_);
    out_->push_back('"');
  }
  void Quoted(const Text& text) {
    out_->push_back('"');
    for (absl::string_view piece : text.pieces()) {
      ok_ &= AppendJsonStringBody(piece, out_);
    }
    out_->push_back('"');
  }
  // An enum value by name; by number for a value the enum does not declare,
  // as protobuf prints one.
  void Code(v1::ReasonCode code) {
    const absl::string_view name = ReasonCodeName(code);
    if (name.empty()) {
      char digits[absl::numbers_internal::kFastToBufferSize];
      out_->append(digits, absl::numbers_internal::FastIntToBuffer(
                               static_cast<int32_t>(code), digits));
      return;
    }
    out_->push_back('"');
    out_->append(name.data(), name.size());
    out_->push_back('"');
  }

  std::string* const out_;
  bool first_ = true;
  bool ok_ = true;
};

// Resolves `request`, evaluates it and prints the decision as one JSON
// object. False, with `*out` as it was, when the request does not resolve or
// a text cannot be printed.
template <typename Resolved, typename Request>
bool Direct(const CompiledPolicy& policy, const Request& request,
            std::string* out) {
  Resolved resolved;
  if (!Resolve(policy, request, &resolved).ok()) return false;
  eval_internal::ReasonList reasons;
  const size_t start = out->size();
  out->push_back('{');
  JsonEncoder encoder(out);
  EvaluateAndEncode(policy, request, resolved.query, reasons, encoder);
  out->push_back('}');
  if (!encoder.ok()) {
    out->resize(start);
    return false;
  }
  return true;
}

// EvalResponse member `member` around the decision `direct` prints.
template <typename Request>
bool Member(const CompiledPolicy& policy, absl::string_view member,
            bool (*direct)(const CompiledPolicy&, const Request&,
                           std::string*),
            const Request& request, std::string* out) {
  const size_t start = out->size();
  out->append("{\"");
  out->append(member.data(), member.size());
  out->append("\":");
  if (!direct(policy, request, out)) {
    out->resize(start);
    return false;
  }
  out->push_back('}');
  return true;
}

}  // namespace

bool PurposeAllowedJsonDirect(const CompiledPolicy& policy,
                              const v1::PurposeAllowedRequest& request,
                              std::string* out) {
  return Direct<ResolvedPurposeAllowed>(policy, request, out);
}

bool ConsentCheckJsonDirect(const CompiledPolicy& policy,
                            const v1::ConsentCheckRequest& request,
                            std::string* out) {
  return Direct<ResolvedConsentCheck>(policy, request, out);
}

bool RetentionDueJsonDirect(const CompiledPolicy& policy,
                            const v1::RetentionDueRequest& request,
                            std::string* out) {
  return Direct<ResolvedRetentionDue>(policy, request, out);
}

bool RequestValidateJsonDirect(const CompiledPolicy& policy,
                               const v1::RequestValidateRequest& request,
                               std::string* out) {
  return Direct<ResolvedRequestValidate>(policy, request, out);
}

bool EvaluateJsonDirect(const CompiledPolicy& policy,
                        const v1::EvalRequest& request, std::string* out) {
  switch (request.request_case()) {
    case v1::EvalRequest::kPurposeAllowed:
      return Member(policy, "purpose_allowed", &PurposeAllowedJsonDirect,
                    request.purpose_allowed(), out);
    case v1::EvalRequest::kConsentCheck:
      return Member(policy, "consent_check", &ConsentCheckJsonDirect,
                    request.consent_check(), out);
    case v1::EvalRequest::kRetentionDue:
      return Member(policy, "retention_due", &RetentionDueJsonDirect,
                    request.retention_due(), out);
    case v1::EvalRequest::kRequestValidate:
      return Member(policy, "request_validate", &RequestValidateJsonDirect,
                    request.request_validate(), out);
    default:
      return false;
  }
}

}  // namespace engine_internal
}  // namespace pip
