// Resolution: a request read from the wire (codec_internal::WireView) into
// the facts of pip/handles.h, which the evaluators take. String ids become
// handles, Timestamps absl::Time, and every limit of pip/limits.h is
// enforced. Every error is InvalidArgument naming the request field by its
// path ("consents[2].categories[1]: unknown category 'emial' (did you mean
// 'email'?)"). The pieces each function's resolver (src/engine/functions/)
// is made of, and the limit and time errors Snapshot gives too.
#ifndef PIP_SRC_ENGINE_RESOLVE_H_
#define PIP_SRC_ENGINE_RESOLVE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pip/handles.h"
#include "pip/limits.h"
#include "src/codec/wire_view.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using codec_internal::WireTime;
using codec_internal::WireView;
using policy_internal::CompiledPolicy;
using policy_internal::IdIndex;
using policy_internal::IdSet;

// A request field's path ("consents[2].categories[1]"), formatted only when
// an error names it: resolution runs on every decision, errors rarely.
struct Field {
  const char* name;
  int index = -1;
  const char* member = nullptr;
  int member_index = -1;

  // The same path with ".member" appended.
  Field Member(const char* m) const { return Field{name, index, m, -1}; }
  // Element `i` of the list this path names.
  Field At(int i) const {
    Field f = *this;
    (member == nullptr ? f.index : f.member_index) = i;
    return f;
  }
  std::string ToString() const;
};

// InvalidArgument "<field>: <message>".
absl::Status FieldError(const Field& field, absl::string_view message);

// InvalidArgument naming `field`, the size and the limit (with its name in
// pip/limits.h) when `size` is over `limit`.
absl::Status LimitError(absl::string_view field, size_t size, size_t limit,
                        absl::string_view limit_name);
#define PIP_CHECK_LIMIT(field, size, limit)                              \
  do {                                                                   \
    if (ABSL_PREDICT_FALSE(static_cast<size_t>(size) >                   \
                           static_cast<size_t>(limit))) {                \
      return ::pip::engine_internal::LimitError((field).ToString(), size, \
                                                limit, #limit);          \
    }                                                                    \
  } while (false)

// InvalidArgument: `field` is outside the years pip accepts (pip/limits.h).
absl::Status TimeRangeError(absl::string_view field);

// Text of a request is echoed in decisions, messages and logs, so it must be
// well-formed: at most kMaxTextBytes, valid UTF-8 (the reader checks it),
// free of NUL bytes. The offending bytes are never quoted back.
// Inline for the usual text, a short ASCII id; CheckTextSlow judges the rest.
absl::Status CheckTextSlow(const Field& field, absl::string_view text);
inline absl::Status CheckText(const Field& field, absl::string_view text) {
  constexpr size_t kShort = 64;
  if (ABSL_PREDICT_TRUE(text.size() <= kShort)) {
    // Every byte in 0x01..0x7F: ASCII without NUL, so valid UTF-8.
    bool plain = true;
    for (const char c : text) {
      plain &= static_cast<unsigned char>(c) - 1u < 0x7Fu;
    }
    if (ABSL_PREDICT_TRUE(plain)) return absl::OkStatus();
  }
  return CheckTextSlow(field, text);
}

// The index of `id` in `index`; InvalidArgument naming the field for an
// empty id ("a <what> is required") or an unknown one, with a suggestion
// for a near miss.
// The error of Lookup for an id not in `index`.
absl::Status LookupError(const IdIndex& index, absl::string_view id,
                         const Field& field, absl::string_view what);
inline absl::StatusOr<int> Lookup(const IdIndex& index, absl::string_view id,
                                  const Field& field, absl::string_view what) {
  // A policy's ids are well-formed text, so an id found needs no CheckText:
  // the checks only word why one is not found.
  const int i = index.Find(id);
  if (ABSL_PREDICT_TRUE(i >= 0)) return i;
  return LookupError(index, id, field, what);
}

// What an empty list of ids means.
enum class EmptyList {
  kError,  // at least one id is required
  kAll,    // every id of the kind ("any", a consent's scope)
  kNone,   // no id (documents submitted, review grounds flagged)
};

// The ids of repeated string field `number` of `message` as a set; an
// empty list is read as `empty` says ("at least one <what> is required"
// for kError).
absl::StatusOr<IdSet> LookupSet(const IdIndex& index, const WireView& message,
                                int number, const Field& field,
                                absl::string_view what, EmptyList empty);

// The request type (its index in the policy) of a request of 8.1 at
// `field`, a pip.v1.ActiveRequest or pip.v1.Erasure (their `type` and `id`
// have the same numbers), after checking its caller's id as text.
absl::StatusOr<int> ResolveRequestTypeAndId(const CompiledPolicy& policy,
                                            const WireView& request,
                                            const Field& field);

// A Timestamp within kMinYear..kMaxYear; an absent one is an error
// (ToTime) or no time (OptionalTime: absl::InfiniteFuture()).
// The error of ToTime for a time it does not take.
absl::Status TimeError(const WireTime& ts, const Field& field);
inline absl::StatusOr<absl::Time> ToTime(const WireTime& ts,
                                         const Field& field) {
  if (ABSL_PREDICT_TRUE(ts.present && ts.nanos >= 0 &&
                        ts.nanos <= 999999999)) {
    absl::Time t = absl::FromUnixSeconds(ts.seconds);
    // Most times are whole seconds: no Duration arithmetic for them.
    if (ts.nanos != 0) t += absl::Nanoseconds(ts.nanos);
    if (ABSL_PREDICT_TRUE(time_internal::InTimeRange(t))) return t;
  }
  return TimeError(ts, field);
}
inline absl::StatusOr<absl::Time> OptionalTime(const WireTime& ts,
                                               const Field& field) {
  if (!ts.present) return absl::InfiniteFuture();
  return ToTime(ts, field);
}

// A civil date "YYYY-MM-DD" (a date of the calendar, in kMinYear..kMaxYear);
// InvalidArgument naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ToCivilDay(absl::string_view text,
                                          const Field& field);

// A handle or set of `policy`'s ids.
template <typename H>
H HandleOf(const CompiledPolicy& policy, int index) {
  return snapshot_internal::Access::MakeHandle<H>(index, policy.generation);
}
template <typename S>
S SetOf(const CompiledPolicy& policy, const IdSet& bits) {
  return snapshot_internal::Access::MakeSet<S>(bits, policy.generation);
}

// The recipient id of a request: empty means the policy's default.
absl::StatusOr<RecipientId> ResolveRecipient(const CompiledPolicy& policy,
                                             absl::string_view id);

// Repeated pip.v1.Consent field `number` of `request`, the consents of the
// subject `subject_id` (an empty subject matches no consent: fail closed).
// An empty purpose scope becomes the full set ("any"); an empty category
// scope is a consent for any category (ConsentRecord::any_category). A
// birth date must be a date no later than the Tokyo date of granted_at.
absl::Status ResolveConsents(const CompiledPolicy& policy,
                             absl::string_view subject_id,
                             const WireView& request, int number,
                             std::vector<ConsentRecord>* out);

// A pip.v1.LegalGround (`field`): the index of its ground among the
// policy's cases of APPI 27(1) (CompiledPolicy::legal_grounds). The ground
// must be known and the reference (which law, which case) well-formed and
// not blank.
absl::StatusOr<int> ResolveLegalGround(const CompiledPolicy& policy,
                                       const WireView& ground,
                                       const Field& field);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_RESOLVE_H_
