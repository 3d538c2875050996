// A decision as a person reads it: the outcome, every finding in Japanese
// and English, and the text of each clause the decision cites.
#include "src/render/explain.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace pip {
namespace engine_internal {
namespace {

using google::protobuf::FieldDescriptor;

// The heading of each list of findings a decision may hold, by field name.
absl::string_view Heading(absl::string_view list) {
  if (list == "errors") return "誤り / Errors:";
  if (list == "needs_review") return "要確認 / Needs review:";
  if (list == "warnings") return "注意 / Warnings:";
  if (list == "grounds") return "判定根拠 / Grounds:";
  if (list == "duties") return "社内対応 / Duties:";
  if (list == "external_bodies") return "外部相談窓口 / Outside bodies:";
  return "理由 / Reasons:";
}

void AppendFindings(const google::protobuf::Message& decision,
                    const FieldDescriptor* list, std::string* out,
                    std::set<std::string>* clauses) {
  const google::protobuf::Reflection* reflection = decision.GetReflection();
  const int n = reflection->FieldSize(decision, list);
  if (n == 0) return;
  absl::StrAppend(out, Heading(list->name()), "\n");
  for (int i = 0; i < n; ++i) {
    const auto& r = static_cast<const v1::Reason&>(
        reflection->GetRepeatedMessage(decision, list, i));
    const std::string cited =
        r.article().empty() ? r.clause()
                            : absl::StrCat(r.clause(), ", ", r.article());
    absl::StrAppend(out, "  ", i + 1, ". [", v1::ReasonCode_Name(r.code()),
                    "] 条項 ", cited, " / clause ", cited, "\n", "     ",
                    r.message_ja(), "\n", "     ", r.message_en(), "\n");
    clauses->insert(r.clause());
    clauses->insert(r.article());
  }
}

}  // namespace

std::string ExplainDecision(const CompiledPolicy& policy,
                            const google::protobuf::Message& decision,
                            absl::string_view headline, bool quote_clauses) {
  std::string out(headline);
  std::set<std::string> clauses;
  const google::protobuf::Descriptor* d = decision.GetDescriptor();
  const google::protobuf::Reflection* reflection = decision.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated() && f->message_type() == v1::Reason::descriptor()) {
      AppendFindings(decision, f, &out, &clauses);
    } else if (f->name() == "clause" &&
               f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      clauses.insert(reflection->GetString(decision, f));
    }
  }
  if (!quote_clauses) clauses.clear();
  clauses.erase("");
  if (!clauses.empty()) out += "根拠条項 / Clauses cited:\n";
  for (const v1::Clause& c : policy.policy.clauses()) {
    if (!clauses.count(c.number())) continue;
    absl::StrAppend(&out, "  ", c.number(), " ", c.title_ja(), " / ",
                    c.title_en(), "\n    ",
                    absl::StrReplaceAll(c.text_ja(), {{"\n", "\n    "}}),
                    "\n");
  }
  const FieldDescriptor* stamp = d->FindFieldByName("policy");
  const std::string version =
      stamp != nullptr && stamp->message_type() == v1::PolicyStamp::descriptor()
          ? static_cast<const v1::PolicyStamp&>(
                reflection->GetMessage(decision, stamp))
                .version()
          : std::string();
  absl::StrAppend(&out, "方針 / policy: ", version, "\n");
  return out;
}

std::string ExplainError(const v1::Error& error) {
  return absl::StrCat("エラー / error: ", error.code(), ": ", error.message(),
                      "\n");
}

}  // namespace engine_internal
}  // namespace pip
