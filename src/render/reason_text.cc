// The words of every reason, in Japanese and English. Labels come from the
// policy, so a company that renames a category in its policy file sees the
// new name in every message.
#include <cstring>
#include <string>

#include "src/render/render.h"

namespace pip {
namespace engine_internal {
namespace {

// 「label」 and 'label'.
struct Quoted {
  absl::string_view text;
};
struct QuotedEn {
  absl::string_view text;
};
Text& operator<<(Text& t, Quoted q) { return t << "「" << q.text << "」"; }
Text& operator<<(Text& t, QuotedEn q) { return t << "'" << q.text << "'"; }

// The accepted request channels, "電話またはメール" / "phone or email".
void AddAcceptedChannels(const CompiledPolicy& policy, Text* ja, Text* en) {
  bool first = true;
  for (const auto* ch : policy.request_channels) {
    if (!first) {
      *ja << "または";
      *en << " or ";
    }
    first = false;
    *ja << ch->label_ja();
    *en << ch->label_en();
  }
}

void Messages(const CompiledPolicy& policy, const ReasonRef& r,
              const ReasonIds& ids, const ReasonContext& ctx, Text& ja,
              Text& en) {
  const v1::Category* cat =
      r.category >= 0 ? policy.categories[r.category].source : nullptr;
  const v1::Purpose* purpose =
      r.purpose >= 0 ? policy.purposes[r.purpose].source : nullptr;
  const v1::Recipient* recipient =
      r.recipient >= 0 ? policy.recipients[r.recipient].source : nullptr;
  const v1::RequestType* request_type = nullptr;
  if (!ids.request_type.empty()) {
    const int i = policy.request_type_index.Find(ids.request_type);
    if (i >= 0) request_type = policy.request_types[i].source;
  }
  const absl::string_view consent = ids.consent_id;

  switch (r.code) {
    case v1::PURPOSE_PERMITTED:
      ja << Quoted{purpose->label_ja()}
         << "は方針に定める利用目的であり、この利用を制限する規定はありません。";
      en << QuotedEn{purpose->label_en()}
         << " is a purpose of use of the policy and no rule restricts this "
            "use.";
      return;
    case v1::CONSENT_RELIED:
      ja << "本人の同意(" << consent << ")に基づきます。";
      en << "Relies on the data subject's consent " << consent << ".";
      return;
    case v1::CONSENT_REQUIRED:
      if (cat != nullptr) {
        ja << Quoted{cat->label_ja()}
           << "の利用には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。";
        en << "Using " << QuotedEn{cat->label_en()}
           << " needs a valid consent of the data subject, and none covers "
              "this use.";
        return;
      }
      ja << Quoted{purpose->label_ja()}
         << "には本人の有効な同意が必要ですが、この利用を対象とする同意がありません。";
      en << "The purpose " << QuotedEn{purpose->label_en()}
         << " needs a valid consent of the data subject, and none covers "
            "this use.";
      return;
    case v1::NOT_HEALTH_SERVICE:
      ja << Quoted{cat->label_ja()}
         << "は健康関連サービスの提供時のみ利用できます。";
      en << QuotedEn{cat->label_en()}
         << " may be used only in providing a health-related service.";
      return;
    case v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY:
      ja << Quoted{cat->label_ja()} << "は利用目的"
         << Quoted{purpose->label_ja()} << "には利用できません。";
      en << QuotedEn{cat->label_en()} << " may not be used for the purpose "
         << QuotedEn{purpose->label_en()} << ".";
      return;
    case v1::NECESSITY_NOT_DOCUMENTED:
      ja << Quoted{cat->label_ja()}
         << "は必要性が記録されている場合のみ利用できます。";
      en << QuotedEn{cat->label_en()}
         << " may be used only where its necessity is documented.";
      return;
    case v1::NOT_ANONYMIZED:
      ja << Quoted{purpose->label_ja()}
         << "には匿名化処理後のデータのみ利用できます。";
      en << "The purpose " << QuotedEn{purpose->label_en()}
         << " may use anonymized data only.";
      return;
    case v1::SUSPENDED_BY_REQUEST:
    case v1::THIRD_PARTY_STOPPED: {
      const absl::string_view type_ja =
          request_type != nullptr ? request_type->label_ja() : ids.request_type;
      const absl::string_view type_en =
          request_type != nullptr ? request_type->label_en() : ids.request_type;
      ja << Quoted{type_ja} << "の請求";
      if (!ids.request_id.empty()) ja << "(" << ids.request_id << ")";
      ja << "を受けているため、";
      en << "A pending " << QuotedEn{type_en} << " request";
      if (!ids.request_id.empty()) en << " (" << ids.request_id << ")";
      if (r.code == v1::SUSPENDED_BY_REQUEST) {
        ja << Quoted{purpose->label_ja()} << "には利用できません。";
        en << " blocks the purpose " << QuotedEn{purpose->label_en()} << ".";
      } else {
        ja << Quoted{recipient->label_ja()} << "はできません。";
        en << " blocks " << QuotedEn{recipient->label_en()} << ".";
      }
      return;
    }
    case v1::RECIPIENT_CONSENT_REQUIRED:
      ja << Quoted{recipient->label_ja()}
         << "には、それを明示した本人の有効な同意が必要ですが、該当する同意がありません。";
      en << QuotedEn{recipient->label_en()}
         << " needs a valid consent that names it, and none does.";
      return;
    case v1::NO_CONSENT:
      ja << "同意の記録がありません。";
      en << "There is no consent record.";
      return;
    case v1::WITHDRAWN:
      ja << "同意(" << consent << ")は撤回されています。";
      en << "Consent " << consent << " has been withdrawn.";
      return;
    case v1::EXPIRED:
      ja << "同意(" << consent << ")は有効期限を過ぎています。";
      en << "Consent " << consent << " has expired.";
      return;
    case v1::NOT_YET_VALID:
      ja << "同意(" << consent
         << ")はまだ取得されていません(取得日時が基準時刻より後です)。";
      en << "Consent " << consent
         << " was granted after the time of the decision.";
      return;
    case v1::OUT_OF_SCOPE:
      ja << "同意(" << consent << ")はこの利用を対象に含みません。";
      en << "Consent " << consent << " does not cover this use.";
      return;
    case v1::STALE_VERSION:
      ja << "同意(" << consent << ")は旧版の同意文言によるもので、版"
         << int64_t{policy.min_consent_version} << "以降の同意が必要です。";
      en << "Consent " << consent
         << " was given under an older consent version; version "
         << int64_t{policy.min_consent_version} << " or later is needed.";
      return;
    case v1::SUBJECT_MISMATCH:
      ja << "同意(" << consent << ")は別の本人の同意です。";
      en << "Consent " << consent << " belongs to another data subject.";
      return;
    case v1::PERIOD_RUNNING:
      ja << "保存期間中です(" << ctx.retain_until << "まで保存)。";
      en << "The retention period runs until " << ctx.retain_until << ".";
      return;
    case v1::CLOCK_NOT_STARTED:
      ja << "保存期間の起算点(契約終了等)がまだ到来していないため、削除時期は未定です。";
      en << "The event that starts the retention period (such as the end of "
            "the contract) has not happened yet.";
      return;
    case v1::HOLD_APPLIES: {
      const int i = policy.hold_type_index.Find(ids.hold_type);
      const v1::HoldType* type = i >= 0 ? policy.hold_types[i] : nullptr;
      ja << "保存期間は" << ctx.retain_until << "に満了しましたが、"
         << Quoted{type != nullptr ? type->label_ja() : ids.hold_type}
         << "に当たるため保存を継続します。";
      en << "The retention period ended on " << ctx.retain_until
         << ", but the record is kept: "
         << (type != nullptr ? type->label_en() : ids.hold_type) << ".";
      return;
    }
    case v1::CHANNEL_NOT_ACCEPTED:
      ja << "請求は";
      en << "Requests are accepted by ";
      AddAcceptedChannels(policy, &ja, &en);
      ja << "で受け付けます(" << Quoted{ctx.channel}
         << "は受付窓口ではありません)。";
      en << " only; " << QuotedEn{ctx.channel} << " is not a request channel.";
      return;
    case v1::DOCUMENT_MISSING: {
      const auto& doc = *policy.documents[r.document].source;
      ja << Quoted{doc.label_ja()} << "の提出が必要です。";
      en << "The document " << QuotedEn{doc.label_en()} << " must be submitted.";
      return;
    }
    case v1::IDENTITY_NOT_VERIFIED:
      ja << "回答の前に本人確認が必要です。";
      en << "The requester's identity must be verified before the response.";
      return;
    case v1::FEE_UNPAID:
      ja << "手数料" << ctx.fee_due_jpy << "円のうち"
         << ctx.fee_due_jpy - ctx.fee_paid_jpy << "円が未納です。";
      en << ctx.fee_due_jpy - ctx.fee_paid_jpy << " JPY of the "
         << ctx.fee_due_jpy << " JPY fee is unpaid.";
      return;
    case v1::FEE_NOT_CHARGEABLE:
      ja << "この請求の手数料は" << ctx.fee_due_jpy << "円ですが、"
         << ctx.fee_paid_jpy << "円を受領しています。差額を返金してください。";
      en << "The fee for this request is " << ctx.fee_due_jpy << " JPY, but "
         << ctx.fee_paid_jpy << " JPY was charged; refund the difference.";
      return;
    case v1::RESPONSE_OVERDUE:
      ja << "回答期限(" << ctx.respond_by << ")を過ぎています。";
      en << "The response deadline (" << ctx.respond_by << ") has passed.";
      return;
    case v1::REVIEW_REQUIRED: {
      const auto& g = *policy.review_grounds[r.review].source;
      ja << g.text_ja()
         << "(担当者による確認が必要です。自動では判断しません。)";
      en << g.text_en()
         << " (a person must review this; pip does not decide it).";
      return;
    }
    default:
      return;
  }
}

}  // namespace

Text& Text::operator<<(int64_t number) {
  char* digits;
  if (digits_used_ < 2) {
    digits = digits_[digits_used_++];
  } else {
    more_digits_.emplace_front(absl::numbers_internal::kFastToBufferSize, '\0');
    digits = &more_digits_.front()[0];
  }
  char* end = absl::numbers_internal::FastIntToBuffer(number, digits);
  return *this << absl::string_view(digits, static_cast<size_t>(end - digits));
}

void Text::AppendTo(std::string* out) const {
  out->reserve(out->size() + size_);
  for (absl::string_view piece : pieces_) out->append(piece.data(), piece.size());
}

char* Text::CopyTo(char* out) const {
  for (absl::string_view piece : pieces_) {
    std::memcpy(out, piece.data(), piece.size());
    out += piece.size();
  }
  return out;
}

std::string Text::ToString() const {
  std::string s;
  AppendTo(&s);
  return s;
}

void DescribeReason(const CompiledPolicy& policy, const ReasonRef& r,
                    const ReasonIds& ids, const ReasonContext& ctx,
                    ReasonFields* out) {
  out->code = r.code;
  out->clause = policy.clause_number(r.clause);
  if (r.category >= 0) out->category = policy.categories[r.category].source->id();
  if (r.purpose >= 0) out->purpose = policy.purposes[r.purpose].source->id();
  if (r.recipient >= 0) {
    out->recipient = policy.recipients[r.recipient].source->id();
  }
  if (r.document >= 0) {
    out->document = policy.documents[r.document].source->id();
  }
  if (r.review >= 0) {
    out->review_ground = policy.review_grounds[r.review].source->id();
  }
  out->ids = ids;
  Messages(policy, r, ids, ctx, out->message_ja, out->message_en);
}

}  // namespace engine_internal
}  // namespace pip
