// The one pipeline every surface takes: read -> resolve -> evaluate ->
// encode (-> record). A request arrives as a message, as serialized bytes,
// as JSON or inside an EvalRequest; whichever it is, it is read as bytes by
// the one strict reader (codec_internal::WireMessage), and the function's
// table entry (function.h) resolves, evaluates and encodes it. A request
// that does not resolve returns its error at once.
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message.h"
#include "pip/audit.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "src/audit/record.h"
#include "src/codec/json.h"
#include "src/codec/proto_bytes.h"
#include "src/codec/wire_view.h"
#include "src/engine/batch.h"
#include "src/engine/engine_state.h"
#include "src/engine/function.h"
#include "src/internal/contract_name.h"
#include "src/internal/status_macros.h"
#include "src/render/explain.h"

namespace pip {
namespace engine_internal {

absl::Span<const FunctionEntry* const> Functions() {
  static const FunctionEntry* const* const table = [] {
    static const FunctionEntry* entries[] = {
#define PIP_FUNCTION(Name, name, number) &Name##Entry(),
#include "pip/functions.def"
#undef PIP_FUNCTION
    };
    return entries;
  }();
  constexpr size_t kCount = 0
#define PIP_FUNCTION(Name, name, number) +1
#include "pip/functions.def"
#undef PIP_FUNCTION
      ;
  return absl::MakeConstSpan(table, kCount);
}

const FunctionEntry* FunctionByNumber(int number) {
  // By member number: the numbers of pip/functions.def are small and dense.
  static constexpr int kEnd = 1 + std::max({0
#define PIP_FUNCTION(Name, name, number) , number
#include "pip/functions.def"
#undef PIP_FUNCTION
                                  });
  static const std::array<const FunctionEntry*, kEnd> by_number = [] {
    std::array<const FunctionEntry*, kEnd> table{};
    for (const FunctionEntry* f : Functions()) table[f->number] = f;
    return table;
  }();
  return number > 0 && number < kEnd ? by_number[number] : nullptr;
}

namespace {

using codec_internal::WireMessage;
using google::protobuf::Message;

// The error of an EvalRequest that holds no function.
absl::Status NoFunctionError() {
  std::vector<absl::string_view> names;
  for (const FunctionEntry* f : Functions()) names.push_back(f->name);
  return absl::InvalidArgumentError(
      absl::StrCat("the request names no function: expected one of ",
                   absl::StrJoin(names, ", ")));
}

// The bytes a request was read from: the function's request itself
// (`member` 0), or an EvalRequest that holds it as member `member`.
struct RequestBytes {
  absl::string_view bytes;
  int member = 0;
};

// The request message `from` holds, on `arena`, for the decision log. The
// reader accepted the bytes, so protobuf parses them too.
const Message* RequestMessage(const FunctionEntry& fn, const RequestBytes& from,
                              google::protobuf::Arena* arena) {
  Message* m =
      (from.member == 0 ? *fn.request : v1::EvalRequest::default_instance())
          .New(arena);
  m->ParseFromArray(from.bytes.data(), static_cast<int>(from.bytes.size()));
  if (from.member == 0) return m;
  return &m->GetReflection()->GetMessage(
      *m, v1::EvalRequest::descriptor()->FindFieldByNumber(from.member));
}

// Decides `request` (read from `from` as `fn`'s request) on `policy` and,
// with a sink, records the decision or the error before returning either:
// an error is never an allow, and a decision whose record could not be
// written is withheld (UnavailableError). `out` is written only on success.
absl::Status Decide(const CompiledPolicy& policy, AuditSink* sink,
                    const FunctionEntry& fn, const RequestBytes& from,
                    const WireView& request, const DecisionOutputs& out) {
  v1::AuditOutcome outcome = v1::OUTCOME_ERROR;
  if (ABSL_PREDICT_TRUE(sink == nullptr)) {
    return fn.decide(policy, request, out, &outcome);
  }
  std::string wire, json;
  const absl::Status decided =
      fn.decide(policy, request,
                DecisionOutputs{&wire, out.json ? &json : nullptr}, &outcome);
  google::protobuf::Arena arena;
  const Message* request_message = RequestMessage(fn, from, &arena);
  Message* decision = fn.decision->New(&arena);
  if (decided.ok() && !decision->ParseFromString(wire)) {
    return absl::InternalError("cannot read back the decision to record it");
  }
  const audit_internal::PolicyFacts facts{policy.policy.version(), policy.hash,
                                          policy.policy.revision()};
  PIP_RETURN_IF_ERROR(audit_internal::Send(
      *sink, audit_internal::MakeRecord(
                 sink->key(), facts, fn.name, *request_message,
                 audit_internal::Outcome{outcome, decision, decided})));
  PIP_RETURN_IF_ERROR(decided);
  if (out.wire != nullptr) out.wire->append(wire);
  if (out.json != nullptr) out.json->append(json);
  if (out.message != nullptr) out.message->CopyFrom(*decision);
  return absl::OkStatus();
}

// Reads `bytes` as a message of `shape`, naming the message type in an
// error: "pip.v1.RetentionDueRequest: kind: truncated or malformed bytes".
absl::Status ReadRequest(const WireShape& shape, absl::string_view bytes,
                         WireMessage* out) {
  const absl::Status read = WireMessage::Read(shape, bytes, out);
  if (ABSL_PREDICT_TRUE(read.ok())) return read;
  return absl::InvalidArgumentError(
      absl::StrCat(internal::ContractName(shape.descriptor()->full_name()),
                   ": ", read.message()));
}

// Reads `bytes` as `fn`'s request and decides it.
absl::Status DecideBytes(const CompiledPolicy& policy, AuditSink* sink,
                         const FunctionEntry& fn, absl::string_view bytes,
                         const DecisionOutputs& out) {
  WireMessage request;
  PIP_RETURN_IF_ERROR(ReadRequest(*fn.request_shape, bytes, &request));
  return Decide(policy, sink, fn, RequestBytes{bytes, 0}, request, out);
}

// Calls `fn` with the serialized bytes of `message`: on the stack for a
// usual request, so that reading a message costs no allocation.
template <typename Fn>
auto WithBytes(const Message& message, Fn fn) -> decltype(fn("")) {
  constexpr size_t kStackBytes = 1024;
  const size_t size = message.ByteSizeLong();
  if (size <= kStackBytes) {
    uint8_t buffer[kStackBytes];
    message.SerializeWithCachedSizesToArray(buffer);
    return fn(absl::string_view(reinterpret_cast<const char*>(buffer), size));
  }
  std::string bytes;
  message.SerializeToString(&bytes);
  return fn(bytes);
}

// A parsed request message of `fn` as the bytes the pipeline reads.
absl::Status DecideMessage(const CompiledPolicy& policy, AuditSink* sink,
                           const FunctionEntry& fn, const Message& request,
                           const DecisionOutputs& out) {
  return WithBytes(request, [&](absl::string_view bytes) {
    return DecideBytes(policy, sink, fn, bytes, out);
  });
}

// An EvalResponse member `number` holding `decision` (bytes), as protobuf
// serializes it.
void AppendMember(int number, absl::string_view decision, std::string* out) {
  using google::protobuf::io::CodedOutputStream;
  uint8_t prefix[16];
  uint8_t* p = CodedOutputStream::WriteVarint32ToArray(
      (static_cast<uint32_t>(number) << 3) | 2, prefix);
  p = CodedOutputStream::WriteVarint64ToArray(decision.size(), p);
  out->append(reinterpret_cast<const char*>(prefix),
              static_cast<size_t>(p - prefix));
  out->append(decision.data(), decision.size());
}

// The bytes of a serialized pip.v1.EvalRequest decided into the bytes of a
// pip.v1.EvalResponse (EvaluatePb), or, with `json`, into one JSON line.
std::string EvaluateEvalBytes(const CompiledPolicy& policy, AuditSink* sink,
                              absl::string_view bytes, bool json) {
  const auto error = [json](const absl::Status& status) {
    return json ? JsonErrorLine(status)
                : ErrorResponse(status).SerializeAsString();
  };
  static const WireShape& shape = WireShape::Of<v1::EvalRequest>();
  WireMessage request;
  absl::Status status = ReadRequest(shape, bytes, &request);
  if (!status.ok()) return error(status);
  const int number = request.OneofCase();
  const FunctionEntry* fn = FunctionByNumber(number);
  if (fn == nullptr) return error(NoFunctionError());
  const WireView member = request.Message(number);
  std::string decision;
  if (json) {
    decision.reserve(kTypicalAnswerBytes);
    decision.append("{\"");
    decision.append(fn->name.data(), fn->name.size());
    decision.append("\":");
    status = Decide(policy, sink, *fn, RequestBytes{bytes, number}, member,
                    DecisionOutputs{nullptr, &decision});
    if (!status.ok()) return error(status);
    decision.push_back('}');
    return decision;
  }
  status = Decide(policy, sink, *fn, RequestBytes{bytes, number}, member,
                  DecisionOutputs{&decision, nullptr});
  if (!status.ok()) return error(status);
  std::string response;
  AppendMember(number, decision, &response);
  return response;
}

// The room kept for the bytes of a JSON request: a usual one needs no
// allocation beyond it.
inline constexpr size_t kTypicalRequestBytes = 512;

// One JSON line holding an EvalRequest, decided into one JSON line. The
// line is read into the bytes the pipeline reads (no message is built).
std::string EvaluateJsonLine(const CompiledPolicy& policy, AuditSink* sink,
                             absl::string_view line) {
  std::string bytes;
  bytes.reserve(kTypicalRequestBytes);
  const absl::Status parsed = ParseJsonRequestToWire(
      line, v1::EvalRequest::descriptor(), &bytes);
  if (!parsed.ok()) return JsonErrorLine(parsed);
  return EvaluateEvalBytes(policy, sink, bytes, /*json=*/true);
}

absl::Status TooManyRequests() {
  return absl::InvalidArgumentError(
      absl::StrCat("requests holds more than ", kMaxBatchRequests,
                   " requests (kMaxBatchRequests)"));
}

// ResourceExhaustedError once `answers` has passed `limit`
// (kMaxBatchOutputBytes).
absl::Status CheckOutput(const std::string& answers, size_t answered,
                         size_t limit) {
  if (ABSL_PREDICT_TRUE(answers.size() <= limit)) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the answers to the first ", answered, " requests of the batch are ",
      answers.size(), " bytes, over the limit of ", limit,
      " (kMaxBatchOutputBytes): split the batch"));
}

// The entries of a serialized pip.v1.EvalBatchRequest (its repeated field
// 1), each as the bytes of one EvalRequest, unread: a request that cannot
// be read is that request's error, not the batch's.
absl::Status SplitBatch(absl::string_view bytes,
                        std::vector<absl::string_view>* requests) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  const auto corrupt = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("requests is not a serialized pip.v1.EvalBatchRequest (",
                     bytes.size(), " bytes, truncated or malformed)"));
  };
  for (uint32_t tag; (tag = in.ReadTag()) != 0;) {
    if (tag != ((v1::EvalBatchRequest::kRequestsFieldNumber << 3) | 2)) {
      if ((tag >> 3) == v1::EvalBatchRequest::kRequestsFieldNumber) {
        return corrupt();
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "requests holds a field unknown to pip.v1.EvalBatchRequest "
          "(number ",
          tag >> 3, ")"));
    }
    uint32_t size;
    const void* data;
    int available;
    if (!in.ReadVarint32(&size) ||
        !in.GetDirectBufferPointer(&data, &available) ||
        static_cast<uint32_t>(available) < size) {
      // An empty request at the very end has no bytes to point at.
      if (size == 0 && in.CurrentPosition() == static_cast<int>(bytes.size())) {
        if (requests->size() >= kMaxBatchRequests) return TooManyRequests();
        requests->push_back(absl::string_view());
        continue;
      }
      return corrupt();
    }
    if (requests->size() >= kMaxBatchRequests) return TooManyRequests();
    requests->push_back(
        absl::string_view(static_cast<const char*>(data), size));
    in.Skip(static_cast<int>(size));
  }
  if (!in.ConsumedEntireMessage() ||
      in.CurrentPosition() != static_cast<int>(bytes.size())) {
    return corrupt();
  }
  return absl::OkStatus();
}

template <typename Fn>
auto OnRunningPolicy(const Engine& engine, Fn fn) {
  return EngineAccess::OnRunningPolicy(engine, std::move(fn));
}

}  // namespace

// The message functions of Engine: one per function of pip/functions.def.
// Without a decision log the decision's fields are set in the message
// directly (MessageEncoder); with one, the pipeline writes the bytes it
// records and the message is read from them.
template <typename Decision, typename Request>
absl::StatusOr<Decision> DecideMessageOn(const Engine& engine,
                                         const FunctionEntry& fn,
                                         const Request& request) {
  return OnRunningPolicy(
      engine,
      [&](const CompiledPolicy& policy,
          AuditSink* sink) -> absl::StatusOr<Decision> {
        Decision decision;
        if (ABSL_PREDICT_TRUE(sink == nullptr)) {
          PIP_RETURN_IF_ERROR(DecideMessage(
              policy, nullptr, fn, request,
              DecisionOutputs{nullptr, nullptr, &decision}));
          return decision;
        }
        std::string wire;
        PIP_RETURN_IF_ERROR(DecideMessage(policy, sink, fn, request,
                                          DecisionOutputs{&wire, nullptr}));
        if (!decision.ParseFromString(wire)) {
          return absl::InternalError(
              absl::StrCat("cannot read back the ",
                           internal::ContractName(decision.GetTypeName())));
        }
        return decision;
      });
}

}  // namespace engine_internal

using engine_internal::CompiledPolicy;
using engine_internal::DecisionOutputs;
using engine_internal::FunctionByNumber;
using engine_internal::FunctionEntry;

#define PIP_FUNCTION(Name, name, number)                         \
  absl::StatusOr<v1::Name##Decision> Engine::Name(               \
      const v1::Name##Request& request) const {                  \
    return engine_internal::DecideMessageOn<v1::Name##Decision>( \
        *this, engine_internal::Name##Entry(), request);         \
  }
#include "pip/functions.def"
#undef PIP_FUNCTION

v1::EvalResponse Engine::Evaluate(const v1::EvalRequest& request) const {
  v1::EvalResponse response;
  std::string bytes;
  if (!request.SerializeToString(&bytes)) {
    return ErrorResponse(
        absl::InvalidArgumentError("cannot serialize the pip.v1.EvalRequest"));
  }
  if (!response.ParseFromString(EvaluatePb(*this, bytes))) {
    return ErrorResponse(
        absl::InternalError("cannot read back the pip.v1.EvalResponse"));
  }
  return response;
}

v1::EvalBatchResponse Engine::EvaluateBatch(
    const v1::EvalBatchRequest& batch) const {
  return engine_internal::OnRunningPolicy(
      *this, [&](const CompiledPolicy& policy, AuditSink* sink) {
        v1::EvalBatchResponse responses;
        responses.mutable_responses()->Reserve(batch.requests_size());
        for (const v1::EvalRequest& request : batch.requests()) {
          std::string bytes;
          v1::EvalResponse* response = responses.add_responses();
          if (!request.SerializeToString(&bytes) ||
              !response->ParseFromString(engine_internal::EvaluateEvalBytes(
                  policy, sink, bytes, /*json=*/false))) {
            *response = ErrorResponse(absl::InternalError(
                "cannot pass the request through the pipeline"));
          }
        }
        return responses;
      });
}

std::string Engine::Explain(const v1::EvalResponse& response,
                            bool quote_clauses) const {
  if (response.has_error()) {
    return engine_internal::ExplainError(response.error());
  }
  const google::protobuf::Reflection* reflection = response.GetReflection();
  const google::protobuf::OneofDescriptor* oneof =
      v1::EvalResponse::descriptor()->FindOneofByName("response");
  const google::protobuf::FieldDescriptor* member =
      reflection->GetOneofFieldDescriptor(response, oneof);
  const FunctionEntry* fn =
      member == nullptr ? nullptr : FunctionByNumber(member->number());
  if (fn == nullptr) return "エラー / error: empty response\n";
  const google::protobuf::Message& decision =
      reflection->GetMessage(response, member);
  std::string headline;
  fn->headline(decision, &headline);
  return engine_internal::ExplainDecision(
      *engine_internal::EngineAccess::State(*this).Snapshot(), decision,
      headline, quote_clauses);
}

absl::string_view FunctionName(Function function) {
  const FunctionEntry* fn = FunctionByNumber(static_cast<int>(function));
  return fn == nullptr ? absl::string_view() : fn->name;
}

namespace {

absl::StatusOr<const FunctionEntry*> EntryOf(Function function) {
  const FunctionEntry* fn = FunctionByNumber(static_cast<int>(function));
  if (fn == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "function ", static_cast<int>(function), " is not one of pip's"));
  }
  return fn;
}

}  // namespace

absl::Status DecidePb(const Engine& engine, Function function,
                      absl::string_view request, std::string* decision) {
  PIP_ASSIGN_OR_RETURN(const FunctionEntry* fn, EntryOf(function));
  PIP_RETURN_IF_ERROR(engine_internal::CheckSize(
      request, "request", kMaxProtoRequestBytes, "kMaxProtoRequestBytes"));
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        // The decision is written after what `*decision` holds, into the
        // capacity it already has (a caller's reused buffer), and then
        // takes its place; an error writes nothing.
        const size_t before = decision->size();
        PIP_RETURN_IF_ERROR(engine_internal::DecideBytes(
            policy, sink, *fn, request, DecisionOutputs{decision, nullptr}));
        decision->erase(0, before);
        return absl::OkStatus();
      });
}

absl::Status DecideJson(const Engine& engine, Function function,
                        absl::string_view request, std::string* decision) {
  PIP_ASSIGN_OR_RETURN(const FunctionEntry* fn, EntryOf(function));
  // Read into the bytes the pipeline reads: no message is built.
  std::string bytes;
  bytes.reserve(engine_internal::kTypicalRequestBytes);
  PIP_RETURN_IF_ERROR(engine_internal::ParseJsonRequestToWire(
      request, fn->request->GetDescriptor(), &bytes));
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        // As DecidePb: written after what `*decision` holds, then in its
        // place; an error writes nothing.
        const size_t before = decision->size();
        decision->reserve(before + engine_internal::kTypicalAnswerBytes);
        PIP_RETURN_IF_ERROR(engine_internal::DecideBytes(
            policy, sink, *fn, bytes, DecisionOutputs{nullptr, decision}));
        decision->erase(0, before);
        return absl::OkStatus();
      });
}

std::string EvaluatePb(const Engine& engine, absl::string_view request) {
  const absl::Status size = engine_internal::CheckSize(
      request, "request", kMaxProtoRequestBytes, "kMaxProtoRequestBytes");
  if (!size.ok()) return ErrorResponse(size).SerializeAsString();
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        return engine_internal::EvaluateEvalBytes(policy, sink, request,
                                                  /*json=*/false);
      });
}

std::string EvaluateJson(const Engine& engine, absl::string_view request) {
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        return engine_internal::EvaluateJsonLine(policy, sink, request);
      });
}

std::vector<std::string> EvaluateJsonBatch(
    const Engine& engine, absl::Span<const absl::string_view> lines) {
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        std::vector<std::string> answers;
        answers.reserve(lines.size());
        for (absl::string_view line : lines) {
          answers.push_back(
              engine_internal::EvaluateJsonLine(policy, sink, line));
        }
        return answers;
      });
}

absl::Status engine_internal::EvaluateJsonLinesWithin(
    const Engine& engine, absl::string_view lines, std::string* answers,
    size_t* count, size_t max_output_bytes) {
  PIP_RETURN_IF_ERROR(engine_internal::CheckSize(
      lines, "requests", kMaxBatchBytes, "kMaxBatchBytes"));
  // Empty input holds no line; a final newline ends the last line, it does
  // not start another ("\n" is one blank line).
  const bool none = lines.empty();
  if (!none && lines.back() == '\n') lines.remove_suffix(1);
  const size_t n =
      none ? 0
           : static_cast<size_t>(std::count(lines.begin(), lines.end(), '\n')) +
                 1;
  if (n > kMaxBatchRequests) return engine_internal::TooManyRequests();
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        std::string out;
        size_t answered = 0;
        for (absl::string_view line : absl::StrSplit(lines, '\n')) {
          if (answered == n) break;  // empty input: no line at all
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          out.append(engine_internal::EvaluateJsonLine(policy, sink, line));
          out.push_back('\n');
          PIP_RETURN_IF_ERROR(engine_internal::CheckOutput(
              out, ++answered, max_output_bytes));
        }
        if (answers->empty()) {
          *answers = std::move(out);
        } else {
          answers->append(out);
        }
        if (count != nullptr) *count = answered;
        return absl::OkStatus();
      });
}

absl::Status EvaluateJsonLines(const Engine& engine, absl::string_view lines,
                               std::string* answers, size_t* count) {
  return engine_internal::EvaluateJsonLinesWithin(engine, lines, answers,
                                                  count, kMaxBatchOutputBytes);
}

absl::Status EvaluateBatchPb(const Engine& engine, absl::string_view requests,
                             std::string* responses) {
  return engine_internal::EvaluateBatchPbWithin(engine, requests, responses,
                                                kMaxBatchOutputBytes);
}

absl::Status engine_internal::EvaluateBatchPbWithin(
    const Engine& engine, absl::string_view requests, std::string* responses,
    size_t max_output_bytes) {
  PIP_RETURN_IF_ERROR(engine_internal::CheckSize(
      requests, "requests", kMaxBatchBytes, "kMaxBatchBytes"));
  std::vector<absl::string_view> each;
  PIP_RETURN_IF_ERROR(engine_internal::SplitBatch(requests, &each));
  return engine_internal::OnRunningPolicy(
      engine, [&](const CompiledPolicy& policy, AuditSink* sink) {
        std::string out;
        size_t answered = 0;
        for (absl::string_view request : each) {
          engine_internal::AppendMember(
              v1::EvalBatchResponse::kResponsesFieldNumber,
              engine_internal::EvaluateEvalBytes(policy, sink, request,
                                                 /*json=*/false),
              &out);
          PIP_RETURN_IF_ERROR(engine_internal::CheckOutput(
              out, ++answered, max_output_bytes));
        }
        *responses = std::move(out);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::EvalRequest> ParseEvalRequestJson(absl::string_view json) {
  v1::EvalRequest request;
  PIP_RETURN_IF_ERROR(engine_internal::ParseJsonRequest(json, &request));
  return request;
}

v1::EvalResponse ErrorResponse(const absl::Status& status) {
  return engine_internal::ErrorResponse(status);
}

std::string ErrorJson(const absl::Status& status) {
  return engine_internal::JsonErrorLine(status);
}

}  // namespace pip
