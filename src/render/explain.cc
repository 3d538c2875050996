// A decision as a person reads it: the outcome, every reason in Japanese and
// English, and the text of each clause the reasons cite.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "src/render/explain.h"

namespace pip {
namespace engine_internal {
namespace {

void AppendReasons(const google::protobuf::RepeatedPtrField<v1::Reason>& reasons,
                   absl::string_view heading, std::string* out,
                   std::set<std::string>* clauses) {
  if (reasons.empty()) return;
  absl::StrAppend(out, heading, "\n");
  int n = 0;
  for (const v1::Reason& r : reasons) {
    absl::StrAppend(out, "  ", ++n, ". [", v1::ReasonCode_Name(r.code()),
                    "] 条項 ", r.clause(), " / clause ", r.clause(), "\n",
                    "     ", r.message_ja(), "\n", "     ", r.message_en(),
                    "\n");
    clauses->insert(r.clause());
  }
}

}  // namespace

std::string Explain(const CompiledPolicy& policy,
                    const v1::EvalResponse& response, bool quote_clauses) {
  std::string out;
  std::set<std::string> clauses;
  std::string version;
  const auto yes_no = [](bool b, absl::string_view ja_yes,
                         absl::string_view ja_no, absl::string_view en_yes,
                         absl::string_view en_no) {
    return absl::StrCat(b ? ja_yes : ja_no, " / ", b ? en_yes : en_no);
  };
  switch (response.response_case()) {
    case v1::EvalResponse::kPurposeAllowed: {
      const auto& d = response.purpose_allowed();
      absl::StrAppend(&out, "利用可否 / purpose_allowed: ",
                      yes_no(d.allowed(), "利用できます", "利用できません",
                             "ALLOWED", "NOT ALLOWED"),
                      "\n");
      AppendReasons(d.reasons(), "理由 / Reasons:", &out, &clauses);
      version = d.policy_version();
      break;
    }
    case v1::EvalResponse::kConsentCheck: {
      const auto& d = response.consent_check();
      absl::StrAppend(&out, "同意確認 / consent_check: ",
                      yes_no(d.valid(), "有効な同意があります",
                             "有効な同意がありません", "VALID", "NOT VALID"));
      if (d.valid()) absl::StrAppend(&out, " (", d.consent_id(), ")");
      out += "\n";
      AppendReasons(d.reasons(), "理由 / Reasons:", &out, &clauses);
      version = d.policy_version();
      break;
    }
    case v1::EvalResponse::kRetentionDue: {
      const auto& d = response.retention_due();
      absl::StrAppend(&out, "保存期間 / retention_due: ",
                      yes_no(d.due(), "削除期限が到来しています",
                             "まだ削除しません", "DUE for deletion",
                             "NOT DUE"),
                      "\n");
      if (!d.retain_until().empty()) {
        absl::StrAppend(&out, "  保存期限 / retain until: ", d.retain_until(),
                        " (削除期限 / due at ", d.due_at(), ")\n");
      }
      absl::StrAppend(&out, "  削除方法 / deletion method: ",
                      d.deletion_method_ja(), " / ", d.deletion_method_en(),
                      "\n");
      clauses.insert(d.clause());
      AppendReasons(d.reasons(), "理由 / Reasons:", &out, &clauses);
      version = d.policy_version();
      break;
    }
    case v1::EvalResponse::kRequestValidate: {
      const auto& d = response.request_validate();
      absl::StrAppend(&out, "開示等請求 / request_validate: ",
                      yes_no(d.valid(), "受付要件を満たしています",
                             "受付要件を満たしていません", "COMPLETE",
                             "INCOMPLETE"),
                      "\n");
      absl::StrAppend(&out, "  手数料 / fee due: ", d.fee_due_jpy(),
                      " JPY\n  回答期限 / respond by: ", d.respond_by(),
                      d.overdue() ? " (期限超過 / OVERDUE)" : "",
                      "\n  次の対応 / next step: ", d.next_step(), "\n");
      AppendReasons(d.reasons(), "理由 / Reasons:", &out, &clauses);
      version = d.policy_version();
      break;
    }
    case v1::EvalResponse::kError:
      return absl::StrCat("エラー / error: ", response.error().code(), ": ",
                          response.error().message(), "\n");
    case v1::EvalResponse::RESPONSE_NOT_SET:
      return "エラー / error: empty response\n";
  }
  if (!quote_clauses) clauses.clear();
  if (!clauses.empty()) out += "根拠条項 / Clauses cited:\n";
  for (const v1::Clause& c : policy.policy.clauses()) {
    if (!clauses.count(c.number())) continue;
    absl::StrAppend(&out, "  ", c.number(), " ", c.title_ja(), " / ",
                    c.title_en(), "\n    ",
                    absl::StrReplaceAll(c.text_ja(), {{"\n", "\n    "}}),
                    "\n");
  }
  absl::StrAppend(&out, "方針 / policy: ", version, "\n");
  return out;
}

}  // namespace engine_internal
}  // namespace pip
