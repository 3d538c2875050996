// The table of messages (reason_text.cc): every reason code of
// decision.proto has a Japanese and an English text, both say the same
// things, and the wordings a compliance officer signs read as written.
#include <memory>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/v1/decision.pb.h"
#include "src/policy/compile.h"
#include "src/render/render.h"
#include "tests/testing/compiled_policy.h"

namespace pip {
namespace engine_internal {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const CompiledPolicy& Policy() {
  return ::pip::testing::DefaultCompiledPolicy();
}

// The placeholders of a message text, "{name}".
std::set<std::string> Placeholders(absl::string_view text) {
  std::set<std::string> out;
  for (size_t open = text.find('{'); open != absl::string_view::npos;
       open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == absl::string_view::npos) break;
    out.insert(std::string(text.substr(open + 1, close - open - 1)));
  }
  return out;
}

// A reason about one of everything the policy has, so that any message can
// be filled.
ReasonRef AboutEverything(v1::ReasonCode code) {
  ReasonRef r;
  r.code = code;
  r.category = static_cast<int16_t>(Policy().category_index.Find("location"));
  r.purpose = static_cast<int16_t>(Policy().purpose_index.Find("direct_mail"));
  r.recipient =
      static_cast<int16_t>(Policy().recipient_index.Find("third_party"));
  r.document =
      static_cast<int16_t>(Policy().document_index.Find("request_form"));
  r.review = static_cast<int16_t>(
      Policy().review_ground_index.Find("legally_restricted"));
  r.provision = 0;  // the first duty of 1.4, step of 9.1 or body of 9.2
  r.channel = 0;    // the first acquisition channel of clause 3
  return r;
}

struct Described {
  std::string ja;
  std::string en;
};
Described Describe(const ReasonRef& r, const ReasonContext& ctx) {
  ReasonIds ids;
  ids.consent_id = "k-1";
  ids.request_type = "suspension";
  ids.request_id = "r-1";
  ids.hold_type = "dispute";
  ReasonFields fields;
  DescribeReason(Policy(), r, ids, ctx, &fields);
  return {fields.message_ja.ToString(), fields.message_en.ToString()};
}

ReasonContext Context() {
  ReasonContext ctx;
  ctx.channel = "post";
  ctx.retain_until = "2026-05-10";
  ctx.respond_by = "2026-03-02";
  ctx.fee_due_jpy = 300;
  ctx.fee_paid_jpy = 100;
  return ctx;
}

// Every code of decision.proto has a row with both texts, and each row's
// two texts fill the same placeholders: the English says what the Japanese
// says.
TEST(ReasonText, EveryReasonCodeHasJapaneseAndEnglish) {
  const auto rows = ReasonWordings();
  const google::protobuf::EnumDescriptor* codes = v1::ReasonCode_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto code = static_cast<v1::ReasonCode>(codes->value(i)->number());
    if (code == v1::REASON_CODE_UNSPECIFIED) continue;
    int found = 0;
    for (const ReasonWording& row : rows) {
      if (row.code != code) continue;
      ++found;
      EXPECT_FALSE(row.ja.empty()) << codes->value(i)->name();
      EXPECT_FALSE(row.en.empty()) << codes->value(i)->name();
    }
    EXPECT_GT(found, 0) << codes->value(i)->name() << " has no message";
  }
  for (const ReasonWording& row : rows) {
    // The one difference allowed: Japanese never quotes a channel id (8.2).
    std::set<std::string> en = Placeholders(row.en);
    en.erase("channel_id");
    EXPECT_EQ(Placeholders(row.ja), en)
        << v1::ReasonCode_Name(row.code) << " wording " << row.wording;
  }
}

// Filled in, no message is empty or leaves a placeholder unfilled.
TEST(ReasonText, EveryCodeFillsEveryPlaceholder) {
  const google::protobuf::EnumDescriptor* codes = v1::ReasonCode_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) {
    const auto code = static_cast<v1::ReasonCode>(codes->value(i)->number());
    if (code == v1::REASON_CODE_UNSPECIFIED) continue;
    const Described d = Describe(AboutEverything(code), Context());
    EXPECT_FALSE(d.ja.empty()) << codes->value(i)->name();
    EXPECT_FALSE(d.en.empty()) << codes->value(i)->name();
    EXPECT_THAT(d.ja, Not(HasSubstr("{"))) << codes->value(i)->name();
    EXPECT_THAT(d.en, Not(HasSubstr("{"))) << codes->value(i)->name();
  }
}

// 6.2: a finding about a contract term names the term's id and quotes the
// policy's words in both languages; the overdue check quotes the interval
// of 5.1 and the days of the decision.
TEST(ReasonText, Clause6_FindingNamesTheItemAndQuotesItsWords) {
  ReasonFields fields;
  DescribeReason(Policy(), AboutEverything(v1::CONTRACT_TERM_MISSING),
                 ReasonIds(), Context(), &fields);
  EXPECT_EQ(fields.provision, "confidentiality");
  EXPECT_THAT(fields.message_ja.ToString(),
              HasSubstr("「個人情報の秘密保持に関する条項」"));
  EXPECT_THAT(fields.message_en.ToString(),
              HasSubstr("'A clause on keeping personal information "
                        "confidential'"));
  ReasonContext ctx = Context();
  ctx.last_checked_on = "2025-05-10";
  ctx.next_check_by = "2026-05-10";
  const Described overdue =
      Describe(AboutEverything(v1::SUPERVISION_CHECK_OVERDUE), ctx);
  EXPECT_THAT(overdue.ja, HasSubstr("(2025-05-10)から1年が経過"));
  EXPECT_THAT(overdue.en, HasSubstr("more than 1 year ago"));
  EXPECT_THAT(overdue.en, HasSubstr("due by 2026-05-10"));
}

// STALE_VERSION: an edition is 第1版, not 版1.
TEST(ReasonText, StaleVersionSaysDai1Han) {
  const Described d = Describe(AboutEverything(v1::STALE_VERSION), Context());
  EXPECT_THAT(d.ja, HasSubstr("第1版以降の同意が必要です"));
  EXPECT_THAT(d.en, HasSubstr("version 1 or later"));
}

// SUBJECT_MISMATCH: the consent of someone other than the person concerned.
TEST(ReasonText, SubjectMismatchSaysAnotherPerson) {
  const Described d =
      Describe(AboutEverything(v1::SUBJECT_MISMATCH), Context());
  EXPECT_EQ(d.ja, "同意(k-1)は対象者とは別の方の同意です。");
}

// 8.2: a channel the policy names is said in Japanese, never quoted as an
// id; one it does not name is not quoted in Japanese either.
TEST(ReasonText, Clause8_2_ChannelIsNamedInJapaneseNotQuotedAsAnId) {
  ReasonContext ctx = Context();
  const Described post =
      Describe(AboutEverything(v1::CHANNEL_NOT_ACCEPTED), ctx);
  EXPECT_EQ(post.ja,
            "郵送による請求は受け付けていません。請求は電話またはメールで受け付けます。");
  EXPECT_EQ(post.en,
            "Requests are not accepted by post; they are accepted by Phone or "
            "Email only.");
  ctx.channel = "carrier_pigeon";
  const Described other =
      Describe(AboutEverything(v1::CHANNEL_NOT_ACCEPTED), ctx);
  EXPECT_THAT(other.ja, Not(HasSubstr("carrier_pigeon")));
  EXPECT_THAT(other.ja, HasSubstr("受付窓口以外の方法による請求は受け付けていません"));
  EXPECT_THAT(other.en, HasSubstr("'carrier_pigeon' is not a request channel"));
}

// 8.3: nothing paid is the whole fee unpaid, without "300円のうち300円".
TEST(ReasonText, Clause8_3_NothingPaidSaysTheFeeIsUnpaid) {
  ReasonContext ctx = Context();
  ctx.fee_paid_jpy = 0;
  EXPECT_EQ(Describe(AboutEverything(v1::FEE_UNPAID), ctx).ja,
            "手数料300円が未納です。");
  ctx.fee_paid_jpy = 100;
  EXPECT_EQ(Describe(AboutEverything(v1::FEE_UNPAID), ctx).ja,
            "手数料300円のうち200円が未納です。");
}

// 8.3: a free request type charged is refunded in full; a fee overpaid is
// refunded in the excess, under its own code.
TEST(ReasonText, Clause8_3_RefundOfAFreeTypeAndOfAnOverpaidFee) {
  ReasonContext ctx = Context();
  ctx.fee_due_jpy = 0;
  ctx.fee_paid_jpy = 300;
  EXPECT_EQ(Describe(AboutEverything(v1::FEE_NOT_CHARGEABLE), ctx).ja,
            "この請求には手数料がかかりませんが、300円を受領しています。全額を返金してください。");
  ctx.fee_due_jpy = 300;
  ctx.fee_paid_jpy = 500;
  EXPECT_EQ(Describe(AboutEverything(v1::FEE_OVERPAID), ctx).ja,
            "この請求の手数料は300円ですが、500円を受領しています。超過分の200円を返金してください。");
}

// 8.3: a review states the finding for staff, not the customer-facing text.
TEST(ReasonText, Clause8_3_ReviewRequiredStatesAFinding) {
  const Described d = Describe(AboutEverything(v1::REVIEW_REQUIRED), Context());
  const auto& ground = *Policy()
                           .review_grounds[Policy().review_ground_index.Find(
                               "legally_restricted")]
                           .source;
  EXPECT_THAT(d.ja, Not(HasSubstr(ground.text_ja())));
  EXPECT_THAT(d.ja, HasSubstr(ground.finding_ja()));
  EXPECT_THAT(d.ja, HasSubstr("担当者が確認"));
  EXPECT_THAT(d.en, HasSubstr(ground.finding_en()));
}

// Clause 4: a permitted use that met a consent rule is not said to be
// restricted by no rule.
TEST(ReasonText, Clause4_PermittedAfterRulesMetDoesNotSayNoRuleApplies) {
  ReasonRef r = AboutEverything(v1::PURPOSE_PERMITTED);
  const Described plain = Describe(r, Context());
  EXPECT_THAT(plain.ja, HasSubstr("この利用を制限する規定はありません"));
  r.wording = eval_internal::kRulesMet;
  const Described met = Describe(r, Context());
  EXPECT_THAT(met.ja, Not(HasSubstr("制限する規定はありません")));
  EXPECT_THAT(met.ja, HasSubstr("条件をすべて満たしています"));
  EXPECT_THAT(met.en, Not(HasSubstr("no rule restricts")));
}

// Clause 7: a category the record's kind does not list names the category
// and the kind, and asks a person to decide.
TEST(ReasonText, Clause7_CategoryNotRetainedByKindNamesCategoryAndKind) {
  ReasonRef r;
  r.code = v1::CATEGORY_NOT_RETAINED_BY_KIND;
  r.clause = static_cast<policy_internal::ClauseIndex>(
      Policy().clause_index.Find("7"));
  r.category = static_cast<int16_t>(Policy().category_index.Find("payment"));
  ReasonContext ctx = Context();
  ctx.retention_kind = Policy().retention_kind_index.Find("inquiry");
  const Described d = Describe(r, ctx);
  EXPECT_EQ(d.ja,
            "「決済情報(クレジットカード情報等)」は保存期間の区分「お問い合わせ情報」"
            "の対象として定められていません。どの保存期間を適用するかを担当者が確認し、"
            "判断してください。判断するまでは削除の対象としません。");
  EXPECT_THAT(d.en, HasSubstr("'Inquiry information'"));
  EXPECT_THAT(d.en, HasSubstr("A person must review"));
}

// A category that no kind lists: the validator refuses such a policy
// (clause 7), so this policy is compiled from its parts; the message then
// says that the policy sets no period at all.
TEST(ReasonText, Clause7_CategoryNoKindListsSaysThePolicySetsNoPeriod) {
  v1::Policy policy = Policy().policy;
  for (auto& kind : *policy.mutable_retention()->mutable_kinds()) {
    auto* list = kind.mutable_categories();
    for (int i = list->size() - 1; i >= 0; --i) {
      if (list->Get(i) == "location") list->DeleteSubrange(i, 1);
    }
  }
  const std::shared_ptr<const CompiledPolicy> compiled =
      policy_internal::CompileValidated(policy);
  ReasonRef r;
  r.code = v1::CATEGORY_NOT_RETAINED_BY_KIND;
  r.category = static_cast<int16_t>(compiled->category_index.Find("location"));
  ReasonContext ctx = Context();
  ctx.retention_kind = compiled->retention_kind_index.Find("web_access");
  ReasonFields fields;
  DescribeReason(*compiled, r, ReasonIds{}, ctx, &fields);
  EXPECT_EQ(fields.message_ja.ToString(),
            "「位置情報」には方針で保存期間が定められていません。保存期間を担当者が"
            "確認し、判断してください。判断するまでは削除の対象としません。");
  EXPECT_THAT(fields.message_en.ToString(),
              HasSubstr("The policy sets no retention period for 'Location "
                        "information'."));
}

// 法人税法施行規則 59: the floor's message names the article by its title.
TEST(ReasonText, HojinzeiRule59_FloorMessageNamesTheArticle) {
  ReasonRef r;
  r.code = v1::STATUTORY_FLOOR_APPLIES;
  r.article = static_cast<policy_internal::ClauseIndex>(
      Policy().clause_index.Find("法人税法施行規則 59"));
  r.provision = 0;
  ReasonContext ctx = Context();
  ctx.retain_until = "2027-05-31";
  ReasonFields fields;
  DescribeReason(Policy(), r, ReasonIds{}, ctx, &fields);
  EXPECT_EQ(fields.article, "法人税法施行規則 59");
  EXPECT_EQ(fields.provision, "hojinzei_rule59_books");
  EXPECT_EQ(fields.message_ja.ToString(),
            "法人税法施行規則 第59条(帳簿書類の整理保存)が定める保存期間が方針の"
            "保存期間より長いため、法定保存期間が満了する2027-05-31まで保存します。");
  EXPECT_THAT(fields.message_en.ToString(),
              HasSubstr("Corporation Tax Act Enforcement Rules Article 59"));
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
