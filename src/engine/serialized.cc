#include "src/engine/serialized.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "google/protobuf/io/coded_stream.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/version.h"
#include "src/render/encode_decision.h"
#include "src/engine/resolve.h"
#include "src/engine/running_policy.h"
#include "src/codec/wire_request.h"
#include "src/internal/message_checks.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {
namespace {

using google::protobuf::io::CodedOutputStream;

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Writes fields into space the caller has sized with the *Size functions.
class WireWriter {
 public:
  explicit WireWriter(char* p) : p_(reinterpret_cast<uint8_t*>(p)) {}

  void Varint(uint64_t value) {
    p_ = CodedOutputStream::WriteVarint64ToArray(value, p_);
  }
  void Tag(uint32_t field, uint32_t wire_type) {
    Varint((field << 3) | wire_type);
  }
  // A string field; proto3 leaves an empty one out.
  void String(uint32_t field, absl::string_view value) {
    if (value.empty()) return;
    Tag(field, kLengthDelimited);
    Varint(value.size());
    Bytes(value);
  }
  void Bytes(absl::string_view bytes) {
    if (bytes.empty()) return;  // memcpy needs valid pointers even for none
    std::memcpy(p_, bytes.data(), bytes.size());
    p_ += bytes.size();
  }
  void Text(uint32_t field, const engine_internal::Text& text) {
    if (text.size() == 0) return;
    Tag(field, kLengthDelimited);
    Varint(text.size());
    p_ = reinterpret_cast<uint8_t*>(text.CopyTo(reinterpret_cast<char*>(p_)));
  }

 private:
  uint8_t* p_;
};

// The size of the tag and length that precede a length-delimited field.
size_t LengthPrefixSize(uint32_t field, size_t size) {
  return CodedOutputStream::VarintSize32(field << 3) +
         CodedOutputStream::VarintSize64(size);
}

// The encoded size of a string field of `size` bytes; 0 when empty, as
// proto3 leaves it out.
size_t StringFieldSize(uint32_t field, size_t size) {
  return size == 0 ? 0 : LengthPrefixSize(field, size) + size;
}

// An enum as protobuf writes one: int32, sign-extended to 64 bits.
uint64_t EnumWireValue(int value) {
  return static_cast<uint64_t>(static_cast<int64_t>(value));
}

// What is being appended to a string. Each field asks for exactly the
// bytes it writes; the string grows in doublings, so that a decision costs
// one or two resizes rather than one a field, and is cut back to the bytes
// written when the output is destroyed.
class WireOutput {
 public:
  explicit WireOutput(std::string* out) : out_(out), used_(out->size()) {}
  WireOutput(const WireOutput&) = delete;
  WireOutput& operator=(const WireOutput&) = delete;
  ~WireOutput() { out_->resize(used_); }

  // A writer at `size` bytes, which the caller must write all of.
  WireWriter Extend(size_t size) {
    if (ABSL_PREDICT_FALSE(out_->size() - used_ < size)) Grow(size);
    char* const at = &(*out_)[used_];
    used_ += size;
    return WireWriter(at);
  }

 private:
  // Room for a typical decision (one reason with both messages) at once.
  static constexpr size_t kFirstBytes = 512;

  void Grow(size_t size) {
    out_->resize(std::max({used_ + size, 2 * out_->size(), kFirstBytes}));
  }

  std::string* const out_;
  size_t used_;
};

// Appends `reason` as field `field` of the message being encoded in `out`,
// exactly as protobuf serializes a pip.v1.Reason: fields in number order,
// empty ones left out.
void AppendReason(uint32_t field, const ReasonFields& r, WireOutput& out) {
  const uint64_t code = EnumWireValue(r.code);
  const size_t size =
      (r.code != 0 ? 1 + CodedOutputStream::VarintSize64(code) : 0) +
      StringFieldSize(2, r.clause.size()) +
      StringFieldSize(3, r.message_ja.size()) +
      StringFieldSize(4, r.message_en.size()) +
      StringFieldSize(5, r.category.size()) +
      StringFieldSize(6, r.purpose.size()) +
      StringFieldSize(7, r.recipient.size()) +
      StringFieldSize(8, r.ids.consent_id.size()) +
      StringFieldSize(9, r.ids.request_type.size()) +
      StringFieldSize(10, r.ids.request_id.size()) +
      StringFieldSize(11, r.ids.hold_type.size()) +
      StringFieldSize(12, r.document.size()) +
      StringFieldSize(13, r.ids.hold_id.size());
  WireWriter w = out.Extend(LengthPrefixSize(field, size) + size);
  w.Tag(field, kLengthDelimited);
  w.Varint(size);
  if (r.code != 0) {
    w.Tag(1, kVarint);
    w.Varint(code);
  }
  w.String(2, r.clause);
  w.Text(3, r.message_ja);
  w.Text(4, r.message_en);
  w.String(5, r.category);
  w.String(6, r.purpose);
  w.String(7, r.recipient);
  w.String(8, r.ids.consent_id);
  w.String(9, r.ids.request_type);
  w.String(10, r.ids.request_id);
  w.String(11, r.ids.hold_type);
  w.String(12, r.document);
  w.String(13, r.ids.hold_id);
}

// Writes a decision's fields as protobuf serializes them, for the layouts
// of encode_decision.h: proto3 leaves out a false bool and an empty string.
class WireEncoder {
 public:
  // Appends to `out`; the bytes are in place once the encoder is destroyed.
  explicit WireEncoder(std::string* out) : out_(out) {}

  void Bool(uint32_t number, absl::string_view /*name*/, bool value) {
    if (!value) return;
    WireWriter w =
        out_.Extend(CodedOutputStream::VarintSize32(number << 3) + 1);
    w.Tag(number, kVarint);
    w.Varint(1);
  }
  // int32 as protobuf writes it: a negative value sign-extended to ten
  // bytes, zero left out.
  void Int32(uint32_t number, absl::string_view /*name*/, int32_t value) {
    if (value == 0) return;
    const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(value));
    WireWriter w = out_.Extend(CodedOutputStream::VarintSize32(number << 3) +
                               CodedOutputStream::VarintSize64(v));
    w.Tag(number, kVarint);
    w.Varint(v);
  }
  void String(uint32_t number, absl::string_view /*name*/,
              absl::string_view value) {
    WireWriter w = out_.Extend(StringFieldSize(number, value.size()));
    w.String(number, value);
  }
  void BeginStrings(uint32_t /*number*/, absl::string_view /*name*/) {}
  // An element of a repeated string: written even when empty, as protobuf
  // writes every element.
  void StringItem(uint32_t number, absl::string_view value) {
    WireWriter w =
        out_.Extend(LengthPrefixSize(number, value.size()) + value.size());
    if (value.empty()) {
      w.Tag(number, kLengthDelimited);
      w.Varint(0);
    } else {
      w.String(number, value);
    }
  }
  void EndStrings() {}
  void BeginReasons(uint32_t /*number*/, absl::string_view /*name*/) {}
  void Reason(uint32_t number, const ReasonFields& reason) {
    AppendReason(number, reason, out_);
  }
  void EndReasons() {}

 private:
  WireOutput out_;
};

// The direct path of every function: read the wire view, resolve it,
// evaluate and write the decision.
template <typename Wire, typename Resolved>
bool Direct(const CompiledPolicy& policy, absl::string_view request,
            std::string* decision) {
  Wire wire;
  if (!ReadWire(request, &wire)) return false;
  Resolved resolved;
  // An invalid request's error is worded by the message path.
  if (!Resolve(policy, wire, &resolved).ok()) return false;
  eval_internal::ReasonList reasons;
  decision->clear();
  WireEncoder encoder(decision);
  EvaluateAndEncode(policy, wire, resolved.query, reasons, encoder);
  return true;
}

// The protobuf path of the *Serialized functions: parse, evaluate with
// `evaluate`, serialize.
template <typename Request, typename Evaluate>
absl::Status ThroughMessages(absl::string_view bytes, std::string* decision,
                             Evaluate evaluate) {
  Request request;
  PIP_RETURN_IF_ERROR(ParseRequest(bytes, &request));
  PIP_ASSIGN_OR_RETURN(const auto d, evaluate(request));
  if (!d.SerializeToString(decision)) {
    return absl::InternalError(
        absl::StrCat("cannot serialize ", d.GetTypeName()));
  }
  return absl::OkStatus();
}

}  // namespace

bool PurposeAllowedDirect(const CompiledPolicy& policy,
                          absl::string_view request, std::string* decision) {
  return Direct<WirePurposeAllowedRequest, ResolvedPurposeAllowed>(
      policy, request, decision);
}

bool ConsentCheckDirect(const CompiledPolicy& policy,
                        absl::string_view request, std::string* decision) {
  return Direct<WireConsentCheckRequest, ResolvedConsentCheck>(policy, request,
                                                               decision);
}

bool RetentionDueDirect(const CompiledPolicy& policy,
                        absl::string_view request, std::string* decision) {
  return Direct<WireRetentionDueRequest, ResolvedRetentionDue>(policy, request,
                                                               decision);
}

bool RequestValidateDirect(const CompiledPolicy& policy,
                           absl::string_view request, std::string* decision) {
  return Direct<WireRequestValidateRequest, ResolvedRequestValidate>(
      policy, request, decision);
}

}  // namespace engine_internal

// A *Serialized function. The direct path (when there is one) answers
// unless an audit log is attached (the message path records the decision)
// or it declines; `method` then answers through messages.
template <typename Request, typename Decision>
absl::Status Engine::DecideSerialized(
    bool (*direct)(const policy_internal::CompiledPolicy&, absl::string_view,
                   std::string*),
    absl::StatusOr<Decision> (Engine::*method)(
        const policy_internal::CompiledPolicy&, AuditSink*, const Request&)
        const,
    absl::string_view request, std::string* decision) const {
  PIP_RETURN_IF_ERROR(engine_internal::CheckSize(
      request, "request", kMaxProtoRequestBytes, "kMaxProtoRequestBytes"));
  return OnRunningPolicy([&](const policy_internal::CompiledPolicy& policy,
                             AuditSink* sink) {
    if (ABSL_PREDICT_TRUE(sink == nullptr) && direct != nullptr &&
        direct(policy, request, decision)) {
      return absl::OkStatus();
    }
    return engine_internal::ThroughMessages<Request>(
        request, decision, [&](const Request& parsed) {
          return (this->*method)(policy, sink, parsed);
        });
  });
}

absl::Status Engine::PurposeAllowedSerialized(absl::string_view request,
                                              std::string* decision) const {
  return DecideSerialized(&engine_internal::PurposeAllowedDirect,
                          &Engine::PurposeAllowedOn, request, decision);
}

absl::Status Engine::ConsentCheckSerialized(absl::string_view request,
                                            std::string* decision) const {
  return DecideSerialized(&engine_internal::ConsentCheckDirect,
                          &Engine::ConsentCheckOn, request, decision);
}

std::string Engine::EvaluateSerialized(absl::string_view request) const {
  using engine_internal::ErrorResponse;
  const absl::Status size = engine_internal::CheckSize(
      request, "request", kMaxProtoRequestBytes, "kMaxProtoRequestBytes");
  if (!size.ok()) return ErrorResponse(size).SerializeAsString();
  return OnRunningPolicy([&](const policy_internal::CompiledPolicy& policy,
                             AuditSink* sink) {
    uint32_t field;
    absl::string_view inner;
    if (ABSL_PREDICT_TRUE(sink == nullptr) &&
        engine_internal::ReadSoleField(request, &field, &inner)) {
      // EvalRequest and EvalResponse number the functions alike.
      static_assert(
          static_cast<int>(v1::EvalRequest::kPurposeAllowedFieldNumber) ==
                  static_cast<int>(
                      v1::EvalResponse::kPurposeAllowedFieldNumber) &&
              static_cast<int>(v1::EvalRequest::kConsentCheckFieldNumber) ==
                  static_cast<int>(
                      v1::EvalResponse::kConsentCheckFieldNumber) &&
              static_cast<int>(v1::EvalRequest::kRetentionDueFieldNumber) ==
                  static_cast<int>(
                      v1::EvalResponse::kRetentionDueFieldNumber) &&
              static_cast<int>(v1::EvalRequest::kRequestValidateFieldNumber) ==
                  static_cast<int>(
                      v1::EvalResponse::kRequestValidateFieldNumber),
          "EvalRequest and EvalResponse number their members alike");
      bool (*direct)(const policy_internal::CompiledPolicy&,
                     absl::string_view, std::string*) = nullptr;
      switch (field) {
        case v1::EvalRequest::kPurposeAllowedFieldNumber:
          direct = &engine_internal::PurposeAllowedDirect;
          break;
        case v1::EvalRequest::kConsentCheckFieldNumber:
          direct = &engine_internal::ConsentCheckDirect;
          break;
        case v1::EvalRequest::kRetentionDueFieldNumber:
          direct = &engine_internal::RetentionDueDirect;
          break;
        case v1::EvalRequest::kRequestValidateFieldNumber:
          direct = &engine_internal::RequestValidateDirect;
          break;
        default:
          break;
      }
      std::string decision;
      if (direct != nullptr && direct(policy, inner, &decision)) {
        // Written whole even if empty: the member is set either way.
        std::string response;
        {
          engine_internal::WireOutput out(&response);
          engine_internal::WireWriter w = out.Extend(
              engine_internal::LengthPrefixSize(field, decision.size()) +
              decision.size());
          w.Tag(field, engine_internal::kLengthDelimited);
          w.Varint(decision.size());
          w.Bytes(decision);
        }
        return response;
      }
    }
    v1::EvalRequest parsed;
    const absl::Status status = engine_internal::ParseRequest(request, &parsed);
    return (status.ok() ? EvaluateOn(policy, sink, parsed)
                        : ErrorResponse(status))
        .SerializeAsString();
  });
}

absl::Status Engine::RetentionDueSerialized(absl::string_view request,
                                            std::string* decision) const {
  return DecideSerialized(&engine_internal::RetentionDueDirect,
                          &Engine::RetentionDueOn, request, decision);
}

absl::Status Engine::RequestValidateSerialized(absl::string_view request,
                                               std::string* decision) const {
  return DecideSerialized(&engine_internal::RequestValidateDirect,
                          &Engine::RequestValidateOn, request, decision);
}

}  // namespace pip
