// What every decision is made of, described once: the reasons (code,
// clause, the ids they are about, messages in Japanese and English) and the
// policy stamp, as layouts any encoder of src/render/encoder.h writes.
// Internal to pip.
#ifndef PIP_SRC_RENDER_RENDER_H_
#define PIP_SRC_RENDER_RENDER_H_

#include <cstdint>
#include <forward_list>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/v1/decision.pb.h"
#include "src/codec/wire_view.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace engine_internal {

using codec_internal::WireView;
using eval_internal::ReasonList;
using eval_internal::ReasonRef;
using policy_internal::CompiledPolicy;

// Values of the decision a reason's message quotes.
struct ReasonContext {
  absl::string_view channel;
  absl::string_view retain_until;
  // retention_due: the index of the record's retention kind, or -1.
  int retention_kind = -1;
  absl::string_view respond_by;
  int64_t fee_paid_jpy = 0;
  int64_t fee_due_jpy = 0;
  // request_validate: an agent or a legal representative asks, not the data
  // subject (APPI 37(3)).
  bool by_representative = false;
  // incident_assess: the incident, the day of awareness and the deadlines.
  v1::IncidentKind incident_kind = v1::INCIDENT_KIND_UNSPECIFIED;
  bool suspected = false;
  int64_t people = 0;
  absl::string_view aware_on;
  absl::string_view preliminary_earliest;
  absl::string_view preliminary_latest;
  absl::string_view final_by;
  int64_t final_report_days = 0;
  // contractor_check: the day of the last check, the day the next is due
  // by, and the contractor's country (empty in Japan).
  absl::string_view last_checked_on;
  absl::string_view next_check_by;
  absl::string_view country;
};

// The caller's ids a reason is about, read from the request by the reason's
// indices (IdsOf()). Empty when the reason is about none.
struct ReasonIds {
  absl::string_view consent_id;
  absl::string_view request_type;
  absl::string_view request_id;
  absl::string_view hold_type;
  absl::string_view hold_id;
};

// Where a request keeps the lists a reason's indices refer into: the field
// numbers of its repeated pip.v1.Consent, ActiveRequest and Hold fields (0
// for a list the request does not have).
struct ReasonSources {
  int consents = 0;
  int active_requests = 0;
  int holds = 0;
};

// The ids `ref` refers to in `request`'s lists.
ReasonIds IdsOf(const ReasonRef& ref, const WireView& request,
                const ReasonSources& sources);

// A message as the pieces it is joined from, so that it is copied once,
// straight into its output. Pieces are views: what they point into (the
// policy, the request, the context) must outlive it; numbers are formatted
// into the Text itself, so it is not copyable.
class Text {
 public:
  Text() = default;
  Text(const Text&) = delete;
  Text& operator=(const Text&) = delete;

  Text& operator<<(absl::string_view piece) {
    if (piece.empty()) return *this;
    pieces_.push_back(piece);
    size_ += piece.size();
    return *this;
  }
  Text& operator<<(int64_t number);

  // The joined length in bytes.
  size_t size() const { return size_; }
  // The pieces in order; each is a whole string of its source, so valid
  // UTF-8 when the source is.
  absl::Span<const absl::string_view> pieces() const { return pieces_; }
  void AppendTo(std::string* out) const;
  std::string ToString() const;
  // Copies the joined text to `out`, which has room for size() bytes, and
  // returns the end of the copy.
  char* CopyTo(char* out) const;

 private:
  absl::InlinedVector<absl::string_view, 16> pieces_;
  // Storage for formatted numbers; a message quotes at most two, the list
  // takes any more without invalidating earlier pieces.
  char digits_[2][absl::numbers_internal::kFastToBufferSize];
  int digits_used_ = 0;
  std::forward_list<std::string> more_digits_;
  size_t size_ = 0;
};

// Everything a pip.v1.Reason holds, as views and message pieces.
struct ReasonFields {
  v1::ReasonCode code = v1::REASON_CODE_UNSPECIFIED;
  absl::string_view clause;
  absl::string_view category;
  absl::string_view purpose;
  absl::string_view recipient;
  absl::string_view document;
  absl::string_view review_ground;
  absl::string_view article;
  absl::string_view provision;
  absl::string_view channel;
  ReasonIds ids;
  Text message_ja;
  Text message_en;
};

// One row of the table of messages (reason_text.cc): a reason code, which
// of its wordings, and the Japanese and English text with placeholders.
struct ReasonWording {
  v1::ReasonCode code;
  int wording;
  absl::string_view ja;
  absl::string_view en;
};
// Every row, for tests.
std::vector<ReasonWording> ReasonWordings();

// Fills `out` from `ref`: code, clause, the ids it is about, and messages in
// Japanese and English (reason_text.cc).
void DescribeReason(const CompiledPolicy& policy, const ReasonRef& ref,
                    const ReasonIds& ids, const ReasonContext& context,
                    ReasonFields* out);

// pip.v1.Reason: the one description of its fields.
template <typename Encoder>
void EncodeReason(const ReasonFields& r, Encoder& e) {
  e.Enum(1, "code", r.code);
  e.String(2, "clause", r.clause);
  e.Text(3, "message_ja", r.message_ja);
  e.Text(4, "message_en", r.message_en);
  e.Id(5, "category", r.category);
  e.Id(6, "purpose", r.purpose);
  e.Id(7, "recipient", r.recipient);
  e.Id(8, "consent_id", r.ids.consent_id);
  e.Id(9, "request_type", r.ids.request_type);
  e.Id(10, "request_id", r.ids.request_id);
  e.Id(11, "hold_type", r.ids.hold_type);
  e.Id(12, "document", r.document);
  e.Id(13, "hold_id", r.ids.hold_id);
  e.Id(14, "review_ground", r.review_ground);
  e.Id(15, "article", r.article);
  e.Id(16, "provision", r.provision);
  e.Id(17, "channel", r.channel);
}

// Repeated field `number`, `name` of pip.v1.Reason: each of `reasons` that
// `keep` takes, described (DescribeReason, quoting `context`) with the ids
// it refers to in `request`.
template <typename Encoder, typename Keep>
void EncodeReasons(const CompiledPolicy& policy, uint32_t number,
                   absl::string_view name, const ReasonList& reasons,
                   const WireView& request, const ReasonSources& sources,
                   const ReasonContext& context, Keep keep, Encoder& e) {
  e.BeginList(number, name);
  for (const ReasonRef& r : reasons.items) {
    if (!keep(r)) continue;
    ReasonFields fields;
    DescribeReason(policy, r, IdsOf(r, request, sources), context, &fields);
    e.MessageItem(number, [&](auto& m) { EncodeReason(fields, m); });
  }
  e.EndList();
}

// Every one of `reasons`.
template <typename Encoder>
void EncodeAllReasons(const CompiledPolicy& policy, uint32_t number,
                      const ReasonList& reasons, const WireView& request,
                      const ReasonSources& sources,
                      const ReasonContext& context, Encoder& e) {
  EncodeReasons(policy, number, "reasons", reasons, request, sources, context,
                [](const ReasonRef&) { return true; }, e);
}

// Repeated pip.v1.CoveredCategory field `number`, `covered_by`: for each
// category a CONSENT_RELIED of `reasons` names, in the order first named,
// the consent it relies on (its id in the request's list `consents`).
template <typename Encoder>
void EncodeCoveredBy(uint32_t number, const CompiledPolicy& policy,
                     const ReasonList& reasons, const WireView& request,
                     int consents, Encoder& e) {
  const ReasonSources sources{consents, 0, 0};
  policy_internal::IdSet seen;
  e.BeginList(number, "covered_by");
  for (const ReasonRef& r : reasons.items) {
    if (r.code != v1::CONSENT_RELIED || r.category < 0 ||
        seen.Contains(r.category)) {
      continue;
    }
    seen.Insert(r.category);
    const absl::string_view consent_id =
        IdsOf(r, request, sources).consent_id;
    e.MessageItem(number, [&](auto& m) {
      m.String(1, "category", policy.categories[r.category].source->id());
      m.String(2, "consent_id", consent_id);
    });
  }
  e.EndList();
}

// What a decision says of a record it requires, as a
// pip.v1.ProvisionRecordDuty: the provision record of APPI 29
// (purpose_allowed) and the confirmation record of APPI 30(3)
// (acquisition_check).
struct RecordDuty {
  absl::string_view retention_kind;
  int32_t keep_years = 0;
  int32_t contract_document_keep_years = 0;
  absl::string_view period_article;
};

// Message field `number`, `name` (pip.v1.ProvisionRecordDuty), from the
// first of `reasons` coded `required` or `not_required`: `required`, and
// `article` the reason's clause; when required, the record's retention
// kind, years and period article from `record`. Nothing when no reason
// has either code.
template <typename Encoder>
void EncodeRecordDuty(const CompiledPolicy& policy, const ReasonList& reasons,
                      v1::ReasonCode required, v1::ReasonCode not_required,
                      uint32_t number, absl::string_view name,
                      const RecordDuty& record, Encoder& e) {
  for (const ReasonRef& r : reasons.items) {
    if (r.code != required && r.code != not_required) continue;
    const RecordDuty d = r.code == required ? record : RecordDuty();
    e.Message(number, name, [&](auto& m) {
      m.Bool(1, "required", r.code == required);
      m.String(2, "article", policy.clause_view(r.clause));
      m.String(3, "retention_kind", d.retention_kind);
      m.Int32(4, "keep_years", d.keep_years);
      m.Int32(5, "contract_document_keep_years",
              d.contract_document_keep_years);
      m.String(6, "period_article", d.period_article);
    });
    return;
  }
}

// pip.v1.ProvisionRecordDuty as field `number`, `provision_record`, of a
// decision that may provide data to a third party or a contractor abroad
// (APPI 29: purpose_allowed, contractor_check), from the reason of its
// record duty (eval_internal::RecordDuty); absent when there is none, and
// always without a record rule in the policy.
template <typename Encoder>
void EncodeProvisionRecord(uint32_t number, const CompiledPolicy& policy,
                           const ReasonList& reasons, Encoder& e) {
  if (!policy.provision_record.present) return;
  const auto& rule = policy.policy.third_party_provision().record();
  EncodeRecordDuty(policy, reasons, v1::PROVISION_RECORD_REQUIRED,
                   v1::PROVISION_RECORD_NOT_REQUIRED, number,
                   "provision_record",
                   {rule.retention_kind(), rule.keep_years(),
                    rule.contract_document_keep_years(),
                    policy.clause_view(policy.provision_record.period_article)},
                   e);
}

// The field number of the policy stamp in every decision.
inline constexpr uint32_t kPolicyStampField = 15;

// pip.v1.PolicyStamp as field 15, `policy`, of every decision.
template <typename Encoder>
void EncodePolicyStamp(const CompiledPolicy& policy, Encoder& e) {
  e.Message(kPolicyStampField, "policy", [&](auto& m) {
    m.String(1, "version", policy.policy.version());
    m.String(2, "hash", policy.hash);
  });
}

// retain_until and due_at of a retention decision: the last civil day kept
// ("YYYY-MM-DD") and 00:00 JST the day after (RFC 3339, "+09:00"); both
// empty when the clock has not started. Written into the object itself, so
// that a decision's dates cost no allocation; views into it must not
// outlive it.
class RetentionDates {
 public:
  explicit RetentionDates(const RetentionVerdict& verdict);
  RetentionDates(const RetentionDates&) = delete;
  RetentionDates& operator=(const RetentionDates&) = delete;

  absl::string_view retain_until() const { return retain_until_; }
  absl::string_view due_at() const { return due_at_; }

 private:
  char until_text_[eval_internal::kDayChars];
  char due_text_[eval_internal::kTokyoTimeChars];
  // Years of other than four digits, which pip never prints.
  std::string until_fallback_;
  std::string due_fallback_;
  absl::string_view retain_until_;
  absl::string_view due_at_;
};

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_RENDER_H_
