// The table of decision functions: each function of pip/functions.def is
// described once, by one FunctionEntry, and one pipeline (pipeline.h)
// serves it on every surface: messages, serialized bytes, JSON, the
// EvalRequest oneof, batches, the decision log, explanations, the C API,
// Python and pipctl.
//
// A function is made of
//   - its messages (proto/pip/v1/decision.proto: <Name>Request and
//     <Name>Decision, and a member of EvalRequest and EvalResponse),
//   - its evaluator (src/eval/<name>.{h,cc}), on the facts and verdicts of
//     pip/handles.h,
//   - its entry (src/engine/functions/<name>.cc): the resolver from the
//     request to the facts, the layout of the decision (one description for
//     every encoder of src/render/encoder.h), the audit outcome and the
//     headline of an explanation,
//   - its reasons' words (src/render/reason_text.cc),
//   - a line of pip/functions.def.
// docs/architecture.md walks through adding one. Internal to pip.
#ifndef PIP_SRC_ENGINE_FUNCTION_H_
#define PIP_SRC_ENGINE_FUNCTION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "pip/v1/audit.pb.h"
#include "src/codec/wire_view.h"
#include "src/eval/eval_types.h"
#include "src/internal/status_macros.h"
#include "src/policy/compiled_policy.h"
#include "src/render/encoder.h"

namespace pip {
namespace engine_internal {

using codec_internal::WireShape;
using codec_internal::WireView;
using eval_internal::ReasonList;
using policy_internal::CompiledPolicy;

// Where a decision goes: any of them, each written from the one layout.
struct DecisionOutputs {
  // The serialized pip.v1.<Name>Decision is appended.
  std::string* wire = nullptr;
  // The decision as one JSON object is appended.
  std::string* json = nullptr;
  // The decision's fields are set in this pip.v1.<Name>Decision (empty).
  google::protobuf::Message* message = nullptr;
};

// One decision function.
struct FunctionEntry {
  // The EvalRequest member, e.g. "purpose_allowed", and its number, which
  // EvalResponse gives the decision too.
  absl::string_view name;
  int number;
  // pip.v1.<Name>Request and pip.v1.<Name>Decision: their default
  // instances, which make new messages of their types (Message::New).
  const google::protobuf::Message* request;
  const google::protobuf::Message* decision;
  // The shape of the request on the wire (codec_internal::WireShape).
  const WireShape* request_shape;
  // Resolves `request` on `policy`, evaluates it and writes the decision to
  // each output of `out`. Sets `*outcome` for the decision log. Returns the
  // resolver's InvalidArgumentError (naming the field) for a request that
  // does not resolve, writing nothing.
  absl::Status (*decide)(const CompiledPolicy& policy, const WireView& request,
                         const DecisionOutputs& out, v1::AuditOutcome* outcome);
  // The first lines of an explanation of `decision` (a pip.v1.<Name>
  // Decision): the outcome and the values a person reads first, in
  // Japanese and English, each line ending in a newline.
  void (*headline)(const google::protobuf::Message& decision, std::string* out);
};

// Every function, in the order of pip/functions.def.
absl::Span<const FunctionEntry* const> Functions();

// The function whose EvalRequest member is `number`, or null.
const FunctionEntry* FunctionByNumber(int number);

// The entry of each function, defined in src/engine/functions/<name>.cc.
#define PIP_FUNCTION(Name, name, number) const FunctionEntry& Name##Entry();
#include "pip/functions.def"
#undef PIP_FUNCTION

// Runs `layout` with an encoder for each output of `out`, whose message, if
// any, is a Decision. Returns InternalError when a text could not be
// printed as JSON (never for text the resolver accepted or the policy
// holds).
template <typename Decision, typename Layout>
absl::Status EncodeTo(const DecisionOutputs& out, Layout layout) {
  if (out.wire != nullptr) {
    WireEncoder e(out.wire);
    layout(e);
  }
  if (out.message != nullptr) {
    MessageEncoder e = MessageEncoder::Of<Decision>(out.message);
    layout(e);
  }
  if (out.json != nullptr) {
    const size_t start = out.json->size();
    JsonEncoder e(out.json);
    layout(e);
    if (!e.Finish()) {
      out.json->resize(start);
      return absl::InternalError("the decision holds text that is not UTF-8");
    }
  }
  return absl::OkStatus();
}

// A function's entry file describes it with a Spec, from which MakeEntry()
// makes its FunctionEntry, so that the steps of a decision are written once:
//
//   struct Spec {
//     using Request = v1::<Name>Request;
//     using Decision = v1::<Name>Decision;
//     using Verdict = ...;         // the evaluator's verdict
//     struct Resolved { ... };     // the facts, and the storage they point
//                                  // into: filled in place, never moved
//     // The request's facts; InvalidArgumentError naming the field.
//     static absl::Status Resolve(const CompiledPolicy&, const WireView&,
//                                 Resolved*);
//     // The evaluator, then any check of the verdict (a date past the
//     // years pip answers with is an input error).
//     static absl::Status Evaluate(const CompiledPolicy&, const Resolved&,
//                                  ReasonList&, Verdict*);
//     static v1::AuditOutcome Outcome(const Verdict&);
//     // The decision's layout (encoder.h).
//     template <typename Encoder>
//     static void Layout(const CompiledPolicy&, const WireView& request,
//                        const Resolved&, const Verdict&, const ReasonList&,
//                        Encoder&);
//     static void Headline(const Decision&, std::string*);
//   };
namespace function_internal {

template <typename Spec>
absl::Status Decide(const CompiledPolicy& policy, const WireView& request,
                    const DecisionOutputs& out, v1::AuditOutcome* outcome) {
  typename Spec::Resolved resolved;
  PIP_RETURN_IF_ERROR(Spec::Resolve(policy, request, &resolved));
  ReasonList reasons;
  typename Spec::Verdict verdict;
  PIP_RETURN_IF_ERROR(Spec::Evaluate(policy, resolved, reasons, &verdict));
  *outcome = Spec::Outcome(verdict);
  return EncodeTo<typename Spec::Decision>(out, [&](auto& e) {
    Spec::Layout(policy, request, resolved, verdict, reasons, e);
  });
}

template <typename Spec>
void Headline(const google::protobuf::Message& decision, std::string* out) {
  Spec::Headline(static_cast<const typename Spec::Decision&>(decision), out);
}

}  // namespace function_internal

// The entry of the function `name`, EvalRequest member `number`, that
// `Spec` describes.
template <typename Spec>
const FunctionEntry& MakeEntry(absl::string_view name, int number) {
  static const FunctionEntry entry = {name,
                                      number,
                                      &Spec::Request::default_instance(),
                                      &Spec::Decision::default_instance(),
                                      &WireShape::Of<typename Spec::Request>(),
                                      &function_internal::Decide<Spec>,
                                      &function_internal::Headline<Spec>};
  return entry;
}

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_FUNCTION_H_
