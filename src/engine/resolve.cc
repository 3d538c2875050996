#include "src/engine/resolve.h"

#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/civil_period.h"
#include "src/internal/message_checks.h"
#include "src/internal/status_macros.h"
#include "src/policy/suggest.h"

namespace pip {
namespace engine_internal {

std::string Field::ToString() const {
  std::string s = name;
  if (index >= 0) absl::StrAppend(&s, "[", index, "]");
  if (member != nullptr) absl::StrAppend(&s, ".", member);
  if (member_index >= 0) absl::StrAppend(&s, "[", member_index, "]");
  return s;
}

absl::Status FieldError(const Field& field, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(field.ToString(), ": ", message));
}

absl::Status LimitError(absl::string_view field, size_t size, size_t limit,
                        absl::string_view limit_name) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", size,
                                                 " entries; the limit is ",
                                                 limit, " (", limit_name, ")"));
}

absl::Status TimeRangeError(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": time is outside the years ", kMinYear, "-", kMaxYear));
}

absl::Status CheckTextSlow(const Field& field, absl::string_view text) {
  if (ABSL_PREDICT_FALSE(text.size() > kMaxTextBytes)) {
    return FieldError(field, absl::StrCat(text.size(), " bytes; the limit is ",
                                          kMaxTextBytes, " (kMaxTextBytes)"));
  }
  if (ABSL_PREDICT_FALSE(!internal::IsUtf8(text))) {
    return FieldError(field, "not valid UTF-8");
  }
  if (ABSL_PREDICT_FALSE(!text.empty() &&
                         std::memchr(text.data(), '\0', text.size()) !=
                             nullptr)) {
    return FieldError(field, "contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::Status LookupError(const IdIndex& index, absl::string_view id,
                         const Field& field, absl::string_view what) {
  if (id.empty()) {
    return FieldError(field, absl::StrCat("a ", what, " is required"));
  }
  PIP_RETURN_IF_ERROR(CheckText(field, id));
  return FieldError(
      field, absl::StrCat("unknown ", what, " '", id, "'",
                          policy_internal::SuggestionFrom(id, index.ids())));
}

absl::StatusOr<IdSet> LookupSet(const IdIndex& index, const WireView& message,
                                int number, const Field& field,
                                absl::string_view what, EmptyList empty) {
  const int n = message.Count(number);
  PIP_CHECK_LIMIT(field, n, kMaxIdsPerList);
  if (n == 0) {
    switch (empty) {
      case EmptyList::kAll:
        return IdSet::All(index.size());
      case EmptyList::kNone:
        return IdSet();
      case EmptyList::kError:
        break;
    }
    return FieldError(field,
                      absl::StrCat("at least one ", what, " is required"));
  }
  IdSet set;
  for (int i = 0; i < n; ++i) {
    PIP_ASSIGN_OR_RETURN(
        const int id,
        Lookup(index, message.StringAt(number, i), field.At(i), what));
    set.Insert(id);
  }
  return set;
}

absl::StatusOr<int> ResolveRequestTypeAndId(const CompiledPolicy& policy,
                                            const WireView& request,
                                            const Field& field) {
  using Active = v1::ActiveRequest;
  static_assert(static_cast<int>(Active::kTypeFieldNumber) ==
                    static_cast<int>(v1::Erasure::kTypeFieldNumber) &&
                static_cast<int>(Active::kIdFieldNumber) ==
                    static_cast<int>(v1::Erasure::kIdFieldNumber));
  PIP_RETURN_IF_ERROR(
      CheckText(field.Member("id"), request.String(Active::kIdFieldNumber)));
  return Lookup(policy.request_type_index,
                request.String(Active::kTypeFieldNumber), field.Member("type"),
                "request type");
}

absl::Status TimeError(const WireTime& ts, const Field& field) {
  if (!ts.present) return FieldError(field, "a time is required");
  if (ts.nanos < 0 || ts.nanos > 999999999) {
    return FieldError(field, "nanos out of range");
  }
  return TimeRangeError(field.ToString());
}

absl::StatusOr<absl::CivilDay> ToCivilDay(absl::string_view text,
                                          const Field& field) {
  // "YYYY-MM-DD" exactly: ten characters, digits and two hyphens.
  bool well_formed = text.size() == 10 && text[4] == '-' && text[7] == '-';
  int64_t digits[3] = {0, 0, 0};
  for (size_t i = 0; well_formed && i < text.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') {
      well_formed = false;
      break;
    }
    int64_t& part = digits[i < 4 ? 0 : i < 7 ? 1 : 2];
    part = part * 10 + (text[i] - '0');
  }
  if (!well_formed) {
    PIP_RETURN_IF_ERROR(CheckText(field, text));
    return FieldError(field, "a date is written YYYY-MM-DD");
  }
  const int64_t year = digits[0];
  const int month = static_cast<int>(digits[1]);
  const int day = static_cast<int>(digits[2]);
  if (month < 1 || month > 12 || day < 1 ||
      day > eval_internal::DaysInMonth(year, month)) {
    return FieldError(field, absl::StrCat("no such date ", text));
  }
  if (year < kMinYear || year > kMaxYear) {
    return FieldError(field, absl::StrCat("date is outside the years ",
                                          kMinYear, "-", kMaxYear));
  }
  return absl::CivilDay(year, month, day);
}

absl::StatusOr<RecipientId> ResolveRecipient(const CompiledPolicy& policy,
                                             absl::string_view id) {
  if (id.empty()) {
    return HandleOf<RecipientId>(policy, policy.default_recipient);
  }
  PIP_ASSIGN_OR_RETURN(const int r, Lookup(policy.recipient_index, id,
                                           Field{"recipient"}, "recipient"));
  return HandleOf<RecipientId>(policy, r);
}

absl::Status ResolveConsents(const CompiledPolicy& policy,
                             absl::string_view subject_id,
                             const WireView& request, int number,
                             std::vector<ConsentRecord>* out) {
  using C = v1::Consent;
  const int n = request.Count(number);
  PIP_CHECK_LIMIT(Field{"consents"}, n, kMaxConsentsPerRequest);
  out->reserve(n);
  for (int i = 0; i < n; ++i) {
    const WireView c = request.MessageAt(number, i);
    const Field f{"consents", i};
    const absl::string_view id = c.String(C::kIdFieldNumber);
    if (id.empty()) return FieldError(f.Member("id"), "an id is required");
    PIP_RETURN_IF_ERROR(CheckText(f.Member("id"), id));
    const absl::string_view subject = c.String(C::kSubjectIdFieldNumber);
    PIP_RETURN_IF_ERROR(CheckText(f.Member("subject_id"), subject));
    ConsentRecord v;
    // An anonymous query matches no consent: fail closed.
    v.subject_matches = !subject_id.empty() && subject == subject_id;
    // An empty list is a consent for any category, which does not cover
    // the categories that need a consent naming them (2.4, APPI 20(2)).
    v.any_category = c.Count(C::kCategoriesFieldNumber) == 0;
    PIP_ASSIGN_OR_RETURN(
        const IdSet categories,
        LookupSet(policy.category_index, c, C::kCategoriesFieldNumber,
                  f.Member("categories"), "category", EmptyList::kNone));
    v.categories = SetOf<CategorySet>(policy, categories);
    PIP_ASSIGN_OR_RETURN(
        const IdSet purposes,
        LookupSet(policy.purpose_index, c, C::kPurposesFieldNumber,
                  f.Member("purposes"), "purpose", EmptyList::kAll));
    v.purposes = SetOf<PurposeSet>(policy, purposes);
    if (c.Count(C::kRecipientsFieldNumber) > 0) {
      PIP_ASSIGN_OR_RETURN(
          const IdSet recipients,
          LookupSet(policy.recipient_index, c, C::kRecipientsFieldNumber,
                    f.Member("recipients"), "recipient", EmptyList::kError));
      v.recipients = SetOf<RecipientSet>(policy, recipients);
    }
    PIP_ASSIGN_OR_RETURN(v.granted_at, ToTime(c.Time(C::kGrantedAtFieldNumber),
                                              f.Member("granted_at")));
    PIP_ASSIGN_OR_RETURN(v.withdrawn_at,
                         OptionalTime(c.Time(C::kWithdrawnAtFieldNumber),
                                      f.Member("withdrawn_at")));
    PIP_ASSIGN_OR_RETURN(
        v.expires_at,
        OptionalTime(c.Time(C::kExpiresAtFieldNumber), f.Member("expires_at")));
    v.consent_version = c.Int32(C::kConsentVersionFieldNumber);
    const absl::string_view birth = c.String(C::kSubjectBirthDateFieldNumber);
    if (!birth.empty()) {
      const Field field = f.Member("subject_birth_date");
      PIP_ASSIGN_OR_RETURN(const absl::CivilDay day, ToCivilDay(birth, field));
      if (day > eval_internal::TokyoDay(v.granted_at)) {
        return FieldError(field, "the birth date is after granted_at");
      }
      v.birth_date = day;
    }
    v.representative_consent = c.Bool(C::kRepresentativeConsentFieldNumber);
    out->push_back(v);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ResolveLegalGround(const CompiledPolicy& policy,
                                       const WireView& ground,
                                       const Field& field) {
  using Ground = v1::LegalGround;
  PIP_ASSIGN_OR_RETURN(
      const int index,
      Lookup(policy.legal_ground_index, ground.String(Ground::kGroundFieldNumber),
             field.Member("ground"), "legal ground"));
  const absl::string_view reference =
      ground.String(Ground::kReferenceFieldNumber);
  PIP_RETURN_IF_ERROR(CheckText(field.Member("reference"), reference));
  if (absl::StripAsciiWhitespace(reference).empty()) {
    return FieldError(field.Member("reference"),
                      "a reference (which law, which case) is required "
                      "with a legal ground");
  }
  return index;
}

}  // namespace engine_internal
}  // namespace pip
