// Tests of the classifier of `pipctl diff` (tools/pipctl/policy_diff.h) on
// edited copies of the embedded policy: each change is found by its stable
// id and classified as APPI treats it (17(2), 18(1), 20(2), 21, 27, 37;
// clause 7 for retention), and a change no rule names is kept as "other".
#include "tools/pipctl/policy_diff.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/policy.h"

namespace pipctl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const pip::v1::Policy& Default() {
  static const pip::v1::Policy* policy = [] {
    auto engine = pip::Engine::Create(pip::PolicySource::Default());
    return new pip::v1::Policy((*engine)->policy());
  }();
  return *policy;
}

// The edited copy must still be a valid policy: `pipctl diff` only ever
// compares policies that load.
std::vector<PolicyChange> DiffFromDefault(const pip::v1::Policy& edited) {
  const std::vector<pip::PolicyProblem> problems = pip::ValidatePolicy(edited);
  EXPECT_THAT(problems, IsEmpty()) << pip::FormatProblems(problems);
  return DiffPolicies(Default(), edited);
}

template <typename List>
auto* Find(List* list, const std::string& id) {
  for (auto& item : *list) {
    if (item.id() == id) return &item;
  }
  ADD_FAILURE() << "no item " << id;
  return &(*list)[0];
}

TEST(PolicyDiffTest, SamePolicyHasNoChange) {
  EXPECT_THAT(DiffPolicies(Default(), Default()), IsEmpty());
}

// APPI 17(2), 18(1), 21(3): a new purpose of use needs consent, or at
// least notice.
TEST(PolicyDiffTest, NewPurposeNeedsConsentAppi18_1) {
  pip::v1::Policy p = Default();
  pip::v1::Purpose* purpose = p.add_purposes();
  purpose->set_id("pet_care");
  purpose->set_group("4.2");
  purpose->set_clause("4.2");
  purpose->set_label_ja("ペット用品のご案内");
  purpose->set_label_en("Pet supplies offers");
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kNeedsConsent);
  EXPECT_EQ(changes[0].path, "purposes[pet_care]");
  EXPECT_EQ(changes[0].id, "pet_care");
  EXPECT_EQ(changes[0].clause, "4.2");
  EXPECT_EQ(changes[0].old_value, std::nullopt);
  EXPECT_EQ(changes[0].new_value, "pet_care");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 17(2), 18(1)"));
  EXPECT_THAT(changes[0].message_en, HasSubstr("21(3)"));
  EXPECT_THAT(changes[0].message_ja, HasSubstr("ペット用品のご案内"));
}

// 2.5, APPI 18(1): health data allowed for marketing (4.2) beyond the
// purposes published for it.
TEST(PolicyDiffTest, CategoryUsedBeyondItsPurposesNeedsConsentAppi18_1) {
  pip::v1::Policy p = Default();
  for (auto& condition : *Find(p.mutable_categories(), "health")
                              ->mutable_conditions()) {
    if (condition.has_purposes()) condition.mutable_purposes()->add_groups("4.2");
  }
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kNeedsConsent);
  EXPECT_EQ(changes[0].path,
            "categories[health].conditions[purposes].purposes.groups");
  EXPECT_EQ(changes[0].id, "health");
  EXPECT_EQ(changes[0].new_value, "4.2");
  EXPECT_EQ(changes[0].clause, "2.5");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 18(1)"));
}

// APPI 27(1): provision to a third party no longer asking for consent.
TEST(PolicyDiffTest, ThirdPartyWithoutConsentNeedsConsentAppi27_1) {
  pip::v1::Policy p = Default();
  pip::v1::Recipient* r = Find(p.mutable_recipients(), "third_party");
  r->set_requires_named_consent(false);
  r->clear_consent_clause();
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(2));
  EXPECT_EQ(changes[0].path, "recipients[third_party].requires_named_consent");
  EXPECT_EQ(changes[0].change_class, ChangeClass::kNeedsConsent);
  EXPECT_EQ(changes[0].old_value, "true");
  EXPECT_EQ(changes[0].new_value, "false");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 27(1)"));
  // The clause it cited goes with it; no rule names that alone.
  EXPECT_EQ(changes[1].path, "recipients[third_party].consent_clause");
  EXPECT_EQ(changes[1].change_class, ChangeClass::kOther);
  EXPECT_EQ(changes[1].old_value, "APPI 27");
}

// 3, APPI 21(1), 21(2): a channel that acquires a new category.
TEST(PolicyDiffTest, ChannelAcquiringMoreNeedsNoticeAppi21) {
  pip::v1::Policy p = Default();
  Find(p.mutable_acquisition_channels(), "website")
      ->add_acquired_categories("location");
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kNeedsConsent);
  EXPECT_EQ(changes[0].path, "acquisition_channels[website].acquired_categories");
  EXPECT_EQ(changes[0].new_value, "location");
  EXPECT_EQ(changes[0].clause, "3");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 21(1), 21(2)"));
}

// 2.4 (許可をいただいた場合のみ): removing the consent condition of
// location weakens protection.
TEST(PolicyDiffTest, RemovedConsentConditionWeakensProtection2_4) {
  pip::v1::Policy p = Default();
  Find(p.mutable_categories(), "location")->clear_conditions();
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[0].path, "categories[location].conditions[consent]");
  EXPECT_EQ(changes[0].old_value, "consent");
  EXPECT_EQ(changes[0].new_value, std::nullopt);
  EXPECT_EQ(changes[0].clause, "2.4");
  EXPECT_THAT(changes[0].message_en, HasSubstr("clause 2.4"));
}

// 2.5, APPI 20(2): the consent to health data cites the article it rests on.
TEST(PolicyDiffTest, RemovedHealthConsentCitesAppi20_2) {
  pip::v1::Policy p = Default();
  auto* conditions =
      Find(p.mutable_categories(), "health")->mutable_conditions();
  for (int i = 0; i < conditions->size(); ++i) {
    if ((*conditions)[i].has_consent()) {
      conditions->DeleteSubrange(i, 1);
      break;
    }
  }
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[0].path, "categories[health].conditions[consent]");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 20(2)"));
}

// 8.2, APPI 37(1): a channel that no longer accepts requests, and a
// document no longer required of an agent.
TEST(PolicyDiffTest, RemovedChannelAndDocumentWeakenProtection8_2) {
  pip::v1::Policy p = Default();
  auto* channels = p.mutable_requests()->mutable_channels();
  for (int i = 0; i < channels->size(); ++i) {
    if ((*channels)[i].id() == "phone") channels->DeleteSubrange(i, 1);
  }
  auto* docs = Find(p.mutable_requests()->mutable_requesters(), "agent")
                   ->mutable_required_documents();
  docs->erase(docs->end() - 1);  // power_of_attorney
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(2));
  EXPECT_EQ(changes[0].path, "requests.channels[phone]");
  EXPECT_EQ(changes[0].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[0].clause, "8.2");
  EXPECT_THAT(changes[0].message_en, HasSubstr("APPI 37(1)"));
  EXPECT_EQ(changes[1].path, "requests.requesters[agent].required_documents");
  EXPECT_EQ(changes[1].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[1].id, "agent");
  EXPECT_EQ(changes[1].old_value, "power_of_attorney");
}

// 7: kept longer than announced weakens protection; deleted earlier than
// announced must be checked before the new policy takes effect.
TEST(PolicyDiffTest, LongerRetentionWeakensShorterDeletesEarlier7) {
  pip::v1::Policy p = Default();
  auto* kinds = p.mutable_retention()->mutable_kinds();
  Find(kinds, "inquiry")->mutable_period()->set_years(5);
  pip::v1::Period* marketing = Find(kinds, "marketing")->mutable_period();
  const pip::v1::Period before = *marketing;
  marketing->Clear();
  marketing->set_months(6);
  ASSERT_GT(before.years() * 12 + before.months(), 6);
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(2));
  EXPECT_EQ(changes[0].path, "retention.kinds[inquiry].period");
  EXPECT_EQ(changes[0].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[0].old_value, "3 years");
  EXPECT_EQ(changes[0].new_value, "5 years");
  EXPECT_EQ(changes[0].clause, "7");
  EXPECT_EQ(changes[1].path, "retention.kinds[marketing].period");
  EXPECT_EQ(changes[1].change_class, ChangeClass::kDeletesEarlier);
  EXPECT_EQ(changes[1].new_value, "6 months");
  EXPECT_THAT(changes[1].message_en, HasSubstr("clause 7"));
}

// 7: 12 months is as long as a year: no class but "other" for the way it
// is written.
TEST(PolicyDiffTest, SamePeriodOtherwiseWrittenIsOther) {
  pip::v1::Policy p = Default();
  pip::v1::Period* period =
      Find(p.mutable_retention()->mutable_kinds(), "inquiry")->mutable_period();
  ASSERT_EQ(period->years(), 3);
  period->Clear();
  period->set_months(36);
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kOther);
  EXPECT_EQ(changes[0].old_value, "3 years");
  EXPECT_EQ(changes[0].new_value, "36 months");
}

// 7 (保存期間の例外): a removed hold.
TEST(PolicyDiffTest, RemovedHoldWeakensProtection7) {
  pip::v1::Policy p = Default();
  ASSERT_GT(p.retention().hold_types_size(), 0);
  const std::string id = p.retention().hold_types(0).id();
  p.mutable_retention()->mutable_hold_types()->DeleteSubrange(0, 1);
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kWeakensProtection);
  EXPECT_EQ(changes[0].path, "retention.hold_types[" + id + "]");
}

// 4.2: a label reworded is text only.
TEST(PolicyDiffTest, RewordedLabelIsTextOnly) {
  pip::v1::Policy p = Default();
  Find(p.mutable_purposes(), "direct_mail")
      ->set_label_en("Sending newsletters");
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kTextOnly);
  EXPECT_EQ(changes[0].path, "purposes[direct_mail].label_en");
  EXPECT_EQ(changes[0].old_value, "Sending direct mail and email newsletters");
  EXPECT_EQ(changes[0].new_value, "Sending newsletters");
  EXPECT_EQ(changes[0].clause, "4.2");
}

// Every field is compared: a change no rule names is "other", never lost;
// a list reordered is a change too.
TEST(PolicyDiffTest, UnclassifiedChangesAreOther) {
  pip::v1::Policy p = Default();
  p.set_version("2026-10-01");
  p.set_revision(p.revision() + 1);
  p.mutable_incidents()->set_acquisition_counts_from("2024-04-02");
  auto* purposes = p.mutable_purposes();
  purposes->SwapElements(0, 1);
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(4));
  for (const PolicyChange& c : changes) {
    EXPECT_EQ(c.change_class, ChangeClass::kOther) << c.path;
  }
  EXPECT_EQ(changes[0].path, "version");
  EXPECT_EQ(changes[0].new_value, "2026-10-01");
  EXPECT_EQ(changes[1].path, "revision");
  EXPECT_EQ(changes[2].path, "purposes");
  EXPECT_THAT(changes[2].new_value.value_or(""),
              ::testing::StartsWith("contract_management, service_contact"));
  EXPECT_EQ(changes[3].path, "incidents.acquisition_counts_from");
  EXPECT_EQ(changes[3].clause, "1.4");
}

TEST(PolicyDiffTest, JsonReportHasEveryChangeAndTheVerdict) {
  pip::v1::Policy p = Default();
  p.add_purposes()->CopyFrom(*Find(p.mutable_purposes(), "direct_mail"));
  p.mutable_purposes()->rbegin()->set_id("direct_mail_partners");
  Find(p.mutable_purposes(), "billing")->set_label_ja("請求");
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  const std::string json =
      FormatDiffJson({"default", "v1", "aa"}, {"new.textproto", "v2", "bb"},
                     changes);
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok())
      << json;
  const auto& f = parsed.fields();
  EXPECT_TRUE(f.at("needs_consent").bool_value());
  EXPECT_EQ(f.at("old").struct_value().fields().at("hash").string_value(),
            "aa");
  EXPECT_EQ(f.at("new").struct_value().fields().at("version").string_value(),
            "v2");
  const auto& list = f.at("changes").list_value().values();
  ASSERT_EQ(list.size(), 2);
  const auto& text = list[0].struct_value().fields();
  EXPECT_EQ(text.at("class").string_value(), "text_only");
  EXPECT_EQ(text.at("path").string_value(), "purposes[billing].label_ja");
  EXPECT_EQ(text.at("new").string_value(), "請求");
  const auto& added = list[1].struct_value().fields();
  EXPECT_EQ(added.at("class").string_value(), "needs_consent");
  EXPECT_TRUE(added.at("old").has_null_value());
  EXPECT_EQ(added.at("clause").string_value(), "4.2");

  // Without a change that needs consent, the verdict says so.
  const std::string text_only = FormatDiffJson(
      {"a", "v1", "aa"}, {"b", "v1", "bb"}, {changes[0]});
  EXPECT_THAT(text_only, HasSubstr("\"needs_consent\":false"));
}

TEST(PolicyDiffTest, TextReportGroupsByClass) {
  pip::v1::Policy p = Default();
  Find(p.mutable_purposes(), "billing")->set_label_ja("請求");
  Find(p.mutable_categories(), "location")->clear_conditions();
  const std::string text = FormatDiffText(
      {"default", "v1", "aa"}, {"new.textproto", "v2", "bb"},
      DiffFromDefault(p));
  const size_t weakens = text.find("weakens_protection: 保護を弱める変更");
  const size_t wording = text.find("text_only: ");
  ASSERT_NE(weakens, std::string::npos) << text;
  ASSERT_NE(wording, std::string::npos) << text;
  EXPECT_LT(weakens, wording);
  EXPECT_THAT(text, HasSubstr("  [4.1] purposes[billing].label_ja: "
                              "料金の請求・決済処理 -> 請求: "));
  EXPECT_THAT(text, HasSubstr("none needs the person's consent"));
}

// 1: a clause's text spans lines and is long; the text report keeps each
// change on one line, the JSON report keeps the value whole.
TEST(PolicyDiffTest, LongTextStaysOnOneLineOfTheTextReport) {
  pip::v1::Policy p = Default();
  pip::v1::Clause* clause = p.mutable_clauses(0);
  ASSERT_NE(clause->text_ja().find('\n'), std::string::npos);
  ASSERT_GT(clause->text_ja().size(), 120u);
  const std::string before = clause->text_ja();
  clause->set_text_ja("改定 " + before);
  const std::vector<PolicyChange> changes = DiffFromDefault(p);
  ASSERT_THAT(changes, SizeIs(1));
  EXPECT_EQ(changes[0].change_class, ChangeClass::kTextOnly);
  EXPECT_EQ(changes[0].old_value, before);
  const std::string text =
      FormatDiffText({"a", "v1", "aa"}, {"b", "v1", "bb"}, changes);
  size_t change_lines = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "  [")) {
      ++change_lines;
      EXPECT_THAT(std::string(line), HasSubstr("\\n"));
      EXPECT_THAT(std::string(line), HasSubstr("… -> 改定 "));
    }
  }
  EXPECT_EQ(change_lines, 1u) << text;
  EXPECT_THAT(text, ::testing::Not(HasSubstr(before)));
}

}  // namespace
}  // namespace pipctl
