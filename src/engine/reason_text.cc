// The words of every reason, in Japanese and English. Labels come from the
// policy, so a company that renames a category in its policy file sees the
// new name in every message.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/engine/render.h"

namespace pip {
namespace engine_internal {
namespace {

struct Text {
  std::string ja;
  std::string en;
};

std::string Quote(absl::string_view s) { return absl::StrCat("「", s, "」"); }
std::string QuoteEn(absl::string_view s) { return absl::StrCat("'", s, "'"); }

// The accepted request channels, "電話またはメール" / "phone or email".
Text AcceptedChannels(const CompiledPolicy& policy) {
  std::vector<std::string> ja, en;
  for (const auto* ch : policy.request_channels) {
    ja.push_back(ch->label_ja());
    en.push_back(ch->label_en());
  }
  return {absl::StrJoin(ja, "または"), absl::StrJoin(en, " or ")};
}

Text Messages(const CompiledPolicy& policy, const ReasonRef& r,
              const ReasonContext& ctx, const v1::Reason& out) {
  const v1::Category* cat =
      r.category >= 0 ? policy.categories[r.category].source : nullptr;
  const v1::Purpose* purpose =
      r.purpose >= 0 ? policy.purposes[r.purpose].source : nullptr;
  const v1::Recipient* recipient =
      r.recipient >= 0 ? policy.recipients[r.recipient].source : nullptr;
  const v1::RequestType* request_type =
      out.request_type().empty()
          ? nullptr
          : policy.request_types[policy.request_type_index.at(out.request_type())]
                .source;
  const std::string consent = out.consent_id();
  const std::string request_ja =
      out.request_id().empty() ? "" : absl::StrCat("(", out.request_id(), ")");
  const std::string request_en =
      out.request_id().empty() ? "" : absl::StrCat(" (", out.request_id(), ")");

  switch (r.code) {
    case v1::PURPOSE_PERMITTED:
      return {absl::StrCat(Quote(purpose->label_ja()),
                           "は方針に定める利用目的であり、この利用を制限する規定はありません。"),
              absl::StrCat(QuoteEn(purpose->label_en()),
                           " is a purpose of use of the policy and no rule "
                           "restricts this use.")};
    case v1::CONSENT_RELIED:
      return {absl::StrCat("本人の同意(", consent, ")に基づきます。"),
              absl::StrCat("Relies on the data subject's consent ", consent,
                           ".")};
    case v1::CONSENT_REQUIRED:
      if (cat != nullptr) {
        return {absl::StrCat(Quote(cat->label_ja()),
                             "の利用には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。"),
                absl::StrCat("Using ", QuoteEn(cat->label_en()),
                             " needs a valid consent of the data subject, and "
                             "none covers this use.")};
      }
      return {absl::StrCat(Quote(purpose->label_ja()),
                           "には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。"),
              absl::StrCat("The purpose ", QuoteEn(purpose->label_en()),
                           " needs a valid consent of the data subject, and "
                           "none covers this use.")};
    case v1::NOT_HEALTH_SERVICE:
      return {absl::StrCat(Quote(cat->label_ja()),
                           "は健康関連サービスの提供時のみ利用できます。"),
              absl::StrCat(QuoteEn(cat->label_en()),
                           " may be used only in providing a health-related "
                           "service.")};
    case v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY:
      return {absl::StrCat(Quote(cat->label_ja()), "は利用目的",
                           Quote(purpose->label_ja()), "には利用できません。"),
              absl::StrCat(QuoteEn(cat->label_en()),
                           " may not be used for the purpose ",
                           QuoteEn(purpose->label_en()), ".")};
    case v1::NECESSITY_NOT_DOCUMENTED:
      return {absl::StrCat(Quote(cat->label_ja()),
                           "は必要性が記録されている場合のみ利用できます。"),
              absl::StrCat(QuoteEn(cat->label_en()),
                           " may be used only where its necessity is "
                           "documented.")};
    case v1::NOT_ANONYMIZED:
      return {absl::StrCat(Quote(purpose->label_ja()),
                           "には匿名化処理後のデータのみ利用できます。"),
              absl::StrCat("The purpose ", QuoteEn(purpose->label_en()),
                           " may use anonymized data only.")};
    case v1::SUSPENDED_BY_REQUEST:
      return {absl::StrCat(Quote(request_type->label_ja()), "の請求",
                           request_ja, "を受けているため、",
                           Quote(purpose->label_ja()), "には利用できません。"),
              absl::StrCat("A pending ", QuoteEn(request_type->label_en()),
                           " request", request_en, " blocks the purpose ",
                           QuoteEn(purpose->label_en()), ".")};
    case v1::THIRD_PARTY_STOPPED:
      return {absl::StrCat(Quote(request_type->label_ja()), "の請求",
                           request_ja, "を受けているため、",
                           Quote(recipient->label_ja()), "はできません。"),
              absl::StrCat("A pending ", QuoteEn(request_type->label_en()),
                           " request", request_en, " blocks ",
                           QuoteEn(recipient->label_en()), ".")};
    case v1::RECIPIENT_CONSENT_REQUIRED:
      return {absl::StrCat(Quote(recipient->label_ja()),
                           "には、それを明示した本人の有効な同意が必要ですが、該当する同意がありません。"),
              absl::StrCat(QuoteEn(recipient->label_en()),
                           " needs a valid consent that names it, and none "
                           "does.")};
    case v1::NO_CONSENT:
      return {"同意の記録がありません。", "There is no consent record."};
    case v1::WITHDRAWN:
      return {absl::StrCat("同意(", consent, ")は撤回されています。"),
              absl::StrCat("Consent ", consent, " has been withdrawn.")};
    case v1::EXPIRED:
      return {absl::StrCat("同意(", consent, ")は有効期限を過ぎています。"),
              absl::StrCat("Consent ", consent, " has expired.")};
    case v1::NOT_YET_VALID:
      return {absl::StrCat("同意(", consent, ")はまだ取得されていません(取得日時が基準時刻より後です)。"),
              absl::StrCat("Consent ", consent,
                           " was granted after the time of the decision.")};
    case v1::OUT_OF_SCOPE:
      return {absl::StrCat("同意(", consent, ")はこの利用を対象に含みません。"),
              absl::StrCat("Consent ", consent, " does not cover this use.")};
    case v1::STALE_VERSION:
      return {absl::StrCat("同意(", consent, ")は旧版の同意文言によるもので、版",
                           policy.min_consent_version,
                           "以降の同意が必要です。"),
              absl::StrCat("Consent ", consent,
                           " was given under an older consent version; "
                           "version ",
                           policy.min_consent_version, " or later is needed.")};
    case v1::SUBJECT_MISMATCH:
      return {absl::StrCat("同意(", consent, ")は別の本人の同意です。"),
              absl::StrCat("Consent ", consent,
                           " belongs to another data subject.")};
    case v1::PERIOD_RUNNING:
      return {absl::StrCat("保存期間中です(", ctx.retain_until, "まで保存)。"),
              absl::StrCat("The retention period runs until ", ctx.retain_until,
                           ".")};
    case v1::CLOCK_NOT_STARTED:
      return {"保存期間の起算点(契約終了等)がまだ到来していないため、削除時期は未定です。",
              "The event that starts the retention period (such as the end "
              "of the contract) has not happened yet."};
    case v1::HOLD_APPLIES: {
      const v1::Hold& hold = (*ctx.holds)[r.hold];
      const auto* type =
          policy.hold_types[policy.hold_type_index.at(hold.type())];
      return {absl::StrCat("保存期間は", ctx.retain_until, "に満了しましたが、",
                           Quote(type->label_ja()),
                           "に当たるため保存を継続します。"),
              absl::StrCat("The retention period ended on ", ctx.retain_until,
                           ", but the record is kept: ", type->label_en(),
                           ".")};
    }
    case v1::CHANNEL_NOT_ACCEPTED: {
      const Text accepted = AcceptedChannels(policy);
      return {absl::StrCat("請求は", accepted.ja, "で受け付けます(",
                           Quote(ctx.channel), "は受付窓口ではありません)。"),
              absl::StrCat("Requests are accepted by ", accepted.en, " only; ",
                           QuoteEn(ctx.channel), " is not a request channel.")};
    }
    case v1::DOCUMENT_MISSING: {
      const auto& doc = *policy.documents[r.document].source;
      return {absl::StrCat(Quote(doc.label_ja()), "の提出が必要です。"),
              absl::StrCat("The document ", QuoteEn(doc.label_en()),
                           " must be submitted.")};
    }
    case v1::IDENTITY_NOT_VERIFIED:
      return {"回答の前に本人確認が必要です。",
              "The requester's identity must be verified before the "
              "response."};
    case v1::FEE_UNPAID:
      return {absl::StrCat("手数料", ctx.fee_due_jpy, "円のうち",
                           ctx.fee_due_jpy - ctx.fee_paid_jpy,
                           "円が未納です。"),
              absl::StrCat(ctx.fee_due_jpy - ctx.fee_paid_jpy, " JPY of the ",
                           ctx.fee_due_jpy, " JPY fee is unpaid.")};
    case v1::FEE_NOT_CHARGEABLE:
      return {absl::StrCat("この請求の手数料は", ctx.fee_due_jpy, "円ですが、",
                           ctx.fee_paid_jpy,
                           "円を受領しています。差額を返金してください。"),
              absl::StrCat("The fee for this request is ", ctx.fee_due_jpy,
                           " JPY, but ", ctx.fee_paid_jpy,
                           " JPY was charged; refund the difference.")};
    case v1::RESPONSE_OVERDUE:
      return {absl::StrCat("回答期限(", ctx.respond_by, ")を過ぎています。"),
              absl::StrCat("The response deadline (", ctx.respond_by,
                           ") has passed.")};
    case v1::REVIEW_REQUIRED: {
      const auto& g = *policy.review_grounds[r.review].source;
      return {absl::StrCat(g.text_ja(), "(担当者による確認が必要です。自動では判断しません。)"),
              absl::StrCat(g.text_en(),
                           " (a person must review this; pip does not decide "
                           "it).")};
    }
    default:
      return {"", ""};
  }
}

}  // namespace

void RenderReason(const CompiledPolicy& policy, const ReasonRef& r,
                  const ReasonContext& ctx, v1::Reason* out) {
  out->set_code(r.code);
  out->set_clause(policy.clause_number(r.clause));
  if (r.category >= 0) out->set_category(policy.categories[r.category].source->id());
  if (r.purpose >= 0) out->set_purpose(policy.purposes[r.purpose].source->id());
  if (r.recipient >= 0) {
    out->set_recipient(policy.recipients[r.recipient].source->id());
  }
  if (r.consent >= 0 && ctx.consents != nullptr) {
    out->set_consent_id((*ctx.consents)[r.consent].id());
  }
  if (r.request >= 0 && ctx.requests != nullptr) {
    out->set_request_type((*ctx.requests)[r.request].type());
    out->set_request_id((*ctx.requests)[r.request].id());
  }
  if (r.hold >= 0 && ctx.holds != nullptr) {
    out->set_hold_type((*ctx.holds)[r.hold].type());
    out->set_hold_id((*ctx.holds)[r.hold].id());
  }
  if (r.document >= 0) {
    out->set_document(policy.documents[r.document].source->id());
  }
  Text text = Messages(policy, r, ctx, *out);
  out->set_message_ja(std::move(text.ja));
  out->set_message_en(std::move(text.en));
}

}  // namespace engine_internal
}  // namespace pip
