// Tests of `pipctl render` (tools/pipctl/notice.h). The notice rendered
// from the default policy in Japanese reproduces the published text
// (tests/testdata/privacy_policy.ja.txt, a copy of the company's document)
// section by section and item by item; an edit of the enforced data (a
// purpose of clause 4 removed, a label changed, the inquiry period of
// clause 7, the fee of 8.3, the deadline and channels of 8.2) is what the
// notice then says, even where the clause text still says otherwise; the
// English notice has the same sections and items; the HTML page is
// standalone, escaped and accessible.
#include "tools/pipctl/notice.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"

namespace pipctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// One item of a notice: a heading ("2.1 基本情報"), a paragraph, a list
// item (lines joined by '\n') or a table row (cells joined by " | "), with
// the heading of the section it is in.
struct Item {
  std::string section;
  std::string kind;
  std::string text;
};

bool EndsWithAny(absl::string_view line,
                 std::initializer_list<absl::string_view> ends) {
  for (absl::string_view e : ends) {
    if (absl::EndsWith(line, e)) return true;
  }
  return false;
}

// "1. 基本方針" or "2.1 基本情報".
bool IsNumberedHeading(absl::string_view line) {
  size_t i = 0;
  while (i < line.size() && absl::ascii_isdigit(line[i])) ++i;
  if (i == 0 || i >= line.size()) return false;
  if (absl::StartsWith(line.substr(i), ". ")) return true;
  if (line[i] != '.') return false;
  size_t j = i + 1;
  while (j < line.size() && absl::ascii_isdigit(line[j])) ++j;
  return j > i + 1 && j < line.size() && line[j] == ' ';
}

// The items of the published text: numbered headings; "- " list items (a
// line right after one continues it); tables, written one cell a line,
// each ending in " |" (the published tables of 3 and 7 have three
// columns); a line that ends in no punctuation
// (重要なお知らせ, 保存期間の例外) is a heading; other lines are paragraphs,
// a line after one that ends in 、 continuing it.
constexpr size_t kPublishedTableColumns = 3;

std::vector<Item> ParsePublished(absl::string_view text) {
  std::vector<Item> items;
  std::string section;
  std::vector<std::string> cells;
  std::string last_kind;
  auto add = [&](const std::string& kind, std::string t) {
    if (kind == "heading") section = t;
    items.push_back({section, kind, std::move(t)});
    last_kind = kind;
  };
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    if (line.empty()) continue;
    if (absl::ConsumeSuffix(&line, " |")) {
      cells.emplace_back(line);
      continue;
    }
    if (!cells.empty()) {
      EXPECT_EQ(cells.size() % kPublishedTableColumns, 0u)
          << "a table of the published text in " << section;
      for (size_t r = 0; r + kPublishedTableColumns <= cells.size();
           r += kPublishedTableColumns) {
        add("table row",
            absl::StrJoin(cells.begin() + r,
                          cells.begin() + r + kPublishedTableColumns, " | "));
      }
      cells.clear();
    }
    if (IsNumberedHeading(line)) {
      add("heading", std::string(line));
    } else if (absl::ConsumePrefix(&line, "- ")) {
      add("list item", std::string(line));
    } else if (last_kind == "list item") {
      absl::StrAppend(&items.back().text, "\n", line);
    } else if (!EndsWithAny(line, {"。", ":", "、", ":", "."})) {
      add("heading", std::string(line));
    } else if (last_kind == "paragraph" &&
               absl::EndsWith(items.back().text, "、")) {
      absl::StrAppend(&items.back().text, line);
    } else {
      add("paragraph", std::string(line));
    }
  }
  return items;
}

std::string Unescape(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && absl::ascii_ispunct(s[i + 1])) ++i;
    out.push_back(s[i]);
  }
  return out;
}

// The items of a rendered Markdown notice: "##"/"###" headings, "- " items
// (an indented line continues one), pipe-table rows (the separator row
// skipped), paragraphs; the "#" title is not an item, and the footer after
// "---" neither.
std::vector<Item> ParseMarkdown(absl::string_view text) {
  std::vector<Item> items;
  std::string section;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::string_view rest = line;
    if (line == "---") break;
    if (line.empty() || absl::StartsWith(line, "# ")) continue;
    if (absl::ConsumePrefix(&rest, "## ") ||
        absl::ConsumePrefix(&rest, "### ")) {
      section = Unescape(rest);
      items.push_back({section, "heading", section});
    } else if (absl::ConsumePrefix(&rest, "- ")) {
      items.push_back(
          {section, "list item", Unescape(absl::StripSuffix(rest, "  "))});
    } else if (absl::ConsumePrefix(&rest, "  ")) {
      absl::StrAppend(&items.back().text, "\n",
                      Unescape(absl::StripSuffix(rest, "  ")));
    } else if (absl::StartsWith(line, "| --- |")) {
      continue;
    } else if (absl::ConsumePrefix(&rest, "| ") &&
               absl::ConsumeSuffix(&rest, " |")) {
      std::vector<std::string> cells;
      for (absl::string_view cell : absl::StrSplit(rest, " | ")) {
        cells.push_back(Unescape(cell));
      }
      items.push_back({section, "table row", absl::StrJoin(cells, " | ")});
    } else {
      items.push_back({section, "paragraph", Unescape(line)});
    }
  }
  return items;
}

// Every item of `published` that `rendered` lost, added or changed, with
// its section: the two lists are aligned on their longest common
// subsequence; what lies between two aligned items is lost, added, or, a
// lost and an added item of one kind, changed.
std::vector<std::string> CompareItems(const std::vector<Item>& published,
                                      const std::vector<Item>& rendered) {
  const size_t n = published.size(), m = rendered.size();
  auto same = [&](size_t i, size_t j) {
    return published[i].kind == rendered[j].kind &&
           published[i].text == rendered[j].text;
  };
  std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = same(i, j) ? lcs[i + 1][j + 1] + 1
                             : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::string> diffs;
  std::vector<size_t> lost, added;
  // Between two aligned items, a lost and an added item of one kind are
  // one changed item: first the pairs that share the most of their start
  // and end, then the rest in order.
  auto shared = [](const std::string& a, const std::string& b) {
    size_t p = 0, q = 0;
    while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
    while (q < a.size() - p && q < b.size() - p &&
           a[a.size() - 1 - q] == b[b.size() - 1 - q]) {
      ++q;
    }
    return p + q;
  };
  auto flush = [&] {
    std::vector<int> pair_of(lost.size(), -1);
    std::vector<bool> paired(added.size(), false);
    for (bool any_score : {true, false}) {
      while (true) {
        size_t best_a = 0, best_k = 0, best = 0;
        bool found = false;
        for (size_t a = 0; a < lost.size(); ++a) {
          if (pair_of[a] >= 0) continue;
          for (size_t k = 0; k < added.size(); ++k) {
            const Item& p = published[lost[a]];
            const Item& r = rendered[added[k]];
            if (paired[k] || p.kind != r.kind) continue;
            const size_t score = shared(p.text, r.text);
            if (any_score && score == 0) continue;
            if (!found || score > best) {
              found = true;
              best = score;
              best_a = a;
              best_k = k;
            }
            if (!any_score) break;
          }
          if (found && !any_score) break;
        }
        if (!found) break;
        pair_of[best_a] = static_cast<int>(best_k);
        paired[best_k] = true;
      }
    }
    for (size_t a = 0; a < lost.size(); ++a) {
      const Item& p = published[lost[a]];
      if (pair_of[a] >= 0) {
        diffs.push_back(absl::StrCat(p.section, ": changed ", p.kind, " 「",
                                     p.text, "」 -> 「",
                                     rendered[added[pair_of[a]]].text, "」"));
      } else {
        diffs.push_back(
            absl::StrCat(p.section, ": lost ", p.kind, " 「", p.text, "」"));
      }
    }
    for (size_t k = 0; k < added.size(); ++k) {
      if (paired[k]) continue;
      const Item& r = rendered[added[k]];
      diffs.push_back(
          absl::StrCat(r.section, ": added ", r.kind, " 「", r.text, "」"));
    }
    lost.clear();
    added.clear();
  };
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && same(i, j)) {
      flush();
      ++i;
      ++j;
    } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
      lost.push_back(i++);
    } else {
      added.push_back(j++);
    }
  }
  flush();
  return diffs;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const pip::Engine& Engine() {
  static const pip::Engine* engine =
      pip::Engine::Create(pip::PolicySource::Default())->release();
  return *engine;
}

std::vector<Item> Published() {
  return ParsePublished(
      ReadFile(PIP_SOURCE_DIR "/tests/testdata/privacy_policy.ja.txt"));
}

std::string Markdown(const pip::v1::Policy& policy,
                     NoticeLang lang = NoticeLang::kJa) {
  return NoticeMarkdown(BuildNotice(policy, lang, "0123abcd"));
}

std::string Html(const pip::v1::Policy& policy,
                 NoticeLang lang = NoticeLang::kJa) {
  return NoticeHtml(BuildNotice(policy, lang, "0123abcd"));
}

pip::v1::Purpose* FindPurpose(pip::v1::Policy* policy, absl::string_view id) {
  for (auto& p : *policy->mutable_purposes()) {
    if (p.id() == id) return &p;
  }
  ADD_FAILURE() << "no purpose " << id;
  return nullptr;
}

// Removes the entry of id `id` from `entries` (purposes, categories...).
template <typename Entries>
void RemoveById(Entries* entries, absl::string_view id) {
  for (int i = 0; i < entries->size(); ++i) {
    if (entries->Get(i).id() == id) {
      entries->DeleteSubrange(i, 1);
      return;
    }
  }
  ADD_FAILURE() << "no entry " << id;
}

TEST(NoticeTest, ThePublishedTextParsesIntoEverySection) {
  // The parser of the comparison sees the published text's structure: the
  // preamble, sections 1-9 with their subsections, the tables of 3 and 7
  // with a header and 6 rows each, and 保存期間の例外 within 7.
  const std::vector<Item> items = Published();
  std::vector<std::string> headings;
  int rows = 0, list_items = 0;
  for (const Item& i : items) {
    if (i.kind == "heading") headings.push_back(i.text);
    if (i.kind == "table row") ++rows;
    if (i.kind == "list item") ++list_items;
  }
  EXPECT_EQ(headings.front(), "重要なお知らせ");
  EXPECT_THAT(headings, ::testing::Contains("7. 保存期間と削除"));
  EXPECT_THAT(headings, ::testing::Contains("保存期間の例外"));
  EXPECT_EQ(headings.back(), "9.2 外部相談窓口");
  EXPECT_EQ(headings.size(), 1u + 9u + 25u + 1u);
  EXPECT_EQ(rows, 14);
  EXPECT_EQ(list_items, 103);
}

TEST(NoticeTest, DefaultPolicyReproducesThePublishedTextItemByItem) {
  // Every section and item of the published text (clauses 1-9, the
  // preamble, 7's 保存期間の例外), worded as published.
  const std::string md = Markdown(Engine().policy());
  EXPECT_THAT(CompareItems(Published(), ParseMarkdown(md)), IsEmpty()) << md;
}

TEST(NoticeTest, TheDefaultPolicysClauseTextAgreesWithItsData) {
  // Clauses 2-9: every list item and table row the clause table words is
  // the one the policy's data gives, and no other.
  EXPECT_THAT(ClauseTextDisagreements(Engine().policy()), IsEmpty());
}

TEST(NoticeTest, TheComparisonNamesEachItemLostAddedOrChanged) {
  // The comparison itself, on the published text edited by hand: an item
  // of 2.1 removed, another of 2.1 reworded, one added to 9.2.
  std::vector<Item> published = Published();
  std::vector<Item> edited = published;
  for (auto it = edited.begin(); it != edited.end(); ++it) {
    if (it->text == "性別") {
      edited.erase(it);
      break;
    }
  }
  for (Item& i : edited) {
    if (i.text == "国籍") i.text = "国籍(任意)";
  }
  edited.push_back({"9.2 外部相談窓口", "list item", "弁護士会"});
  EXPECT_THAT(CompareItems(published, edited),
              ElementsAre("2.1 基本情報: lost list item 「性別」",
                          "2.1 基本情報: changed list item 「国籍」 -> "
                          "「国籍(任意)」",
                          "9.2 外部相談窓口: added list item 「弁護士会」"));
}

TEST(NoticeTest, APurposeRemovedFromThePolicyIsLostFromClause4) {
  // 4.1: the notice lists the purposes pip enforces; the clause text still
  // names 料金の請求・決済処理, the notice does not.
  pip::v1::Policy policy = Engine().policy();
  RemoveById(policy.mutable_purposes(), "billing");
  EXPECT_THAT(CompareItems(Published(), ParseMarkdown(Markdown(policy))),
              ElementsAre("4.1 契約・サービス関連: lost list item "
                          "「料金の請求・決済処理」"));
}

TEST(NoticeTest, ALabelChangedInThePolicyChangesThatItemOnly) {
  // 4.2: the purpose's label is what the notice says.
  pip::v1::Policy policy = Engine().policy();
  FindPurpose(&policy, "direct_mail")->set_label_ja("ダイレクトメールの送付");
  EXPECT_THAT(CompareItems(Published(), ParseMarkdown(Markdown(policy))),
              ElementsAre("4.2 マーケティング・営業関連: changed list item "
                          "「ダイレクトメール・メルマガの送付」 -> "
                          "「ダイレクトメールの送付」"));
}

TEST(NoticeTest, ACategoryRemovedFromALineOfTwoLeavesTheOther) {
  // 2.1 names 生年月日 and 年齢 on one line; without `age` the line names
  // 生年月日 alone.
  pip::v1::Policy policy = Engine().policy();
  RemoveById(policy.mutable_categories(), "age");
  EXPECT_THAT(
      CompareItems(Published(), ParseMarkdown(Markdown(policy))),
      ElementsAre("2.1 基本情報: changed list item 「生年月日、年齢」 -> "
                  "「生年月日」"));
}

TEST(NoticeTest, AConditionAddedToAPurposeIsStated) {
  // 4.3: a condition of a purpose appears in parentheses after it, as
  // 匿名化処理後 does.
  pip::v1::Policy policy = Engine().policy();
  pip::v1::Condition* c =
      FindPurpose(&policy, "web_analytics")->add_conditions();
  c->set_clause("4.3");
  c->set_text_ja("Cookieの利用に同意いただいた場合のみ");
  c->set_text_en("Only with consent to cookies: ...");
  c->set_context(pip::v1::CONTEXT_ANONYMIZED);
  EXPECT_THAT(CompareItems(Published(), ParseMarkdown(Markdown(policy))),
              ElementsAre("4.3 分析・改善関連: changed list item "
                          "「ウェブサイトのアクセス解析」 "
                          "-> "
                          "「ウェブサイトのアクセス解析("
                          "Cookieの利用に同意いただいた場合のみ)」"));
  EXPECT_THAT(
      Markdown(policy, NoticeLang::kEn),
      HasSubstr("- Website access analysis (only with consent to cookies)\n"));
}

TEST(NoticeTest, TheRetentionPeriodComesFromTheKindNotItsWords) {
  // 7: inquiry kept 5 years instead of 3. The kind's period_ja and the
  // clause text still say 3年間; the notice says what retention_due
  // enforces.
  pip::v1::Policy policy = Engine().policy();
  for (auto& k : *policy.mutable_retention()->mutable_kinds()) {
    if (k.id() == "inquiry") k.mutable_period()->set_years(5);
  }
  EXPECT_THAT(
      CompareItems(Published(), ParseMarkdown(Markdown(policy))),
      ElementsAre(
          "7. 保存期間と削除: changed table row 「お問い合わせ情報 | "
          "お問い合わせから3年間 | "
          "電子データ完全削除・書類シュレッダー廃棄」 -> 「お問い合わせ情報 | "
          "お問い合わせから5年間 | "
          "電子データ完全削除・書類シュレッダー廃棄」"));
  EXPECT_THAT(Html(policy), HasSubstr("<td>お問い合わせから5年間</td>"));
  // And the clause text, which explanations quote, is named as stale.
  EXPECT_THAT(
      ClauseTextDisagreements(policy),
      ElementsAre(
          "clause 7: the clause text says 「お問い合わせ情報 | "
          "お問い合わせから3年間 | "
          "電子データ完全削除・書類シュレッダー廃棄」, which the notice "
          "does not",
          "clause 7: the notice says 「お問い合わせ情報 | "
          "お問い合わせから5年間 | "
          "電子データ完全削除・書類シュレッダー廃棄」 from the policy's "
          "data, which the clause text does not"));
  EXPECT_THAT(Markdown(policy, NoticeLang::kEn),
              HasSubstr("| Inquiry information | 5 years from the inquiry |"));
}

TEST(NoticeTest, TheFeeDeadlineAndChannelsComeFromTheRequestSettings) {
  // 8.3: the disclosure fee; 8.2: the response period and the channels
  // that accept a request (email no longer one).
  pip::v1::Policy policy = Engine().policy();
  auto* rq = policy.mutable_requests();
  for (auto& t : *rq->mutable_types()) {
    if (t.id() == "disclosure") t.set_fee_jpy(500);
  }
  rq->mutable_response_period()->set_days(14);
  rq->mutable_channels()->DeleteSubrange(1, 1);
  EXPECT_THAT(
      CompareItems(Published(), ParseMarkdown(Markdown(policy))),
      ElementsAre(
          "8.2 請求方法: changed list item 「請求窓口への連絡\n"
          "電話またはメールにて請求の旨をご連絡ください」 -> "
          "「請求窓口への連絡\n"
          "電話にて請求の旨をご連絡ください」",
          "8.2 請求方法: changed list item 「対応・回答\n"
          "原則として30日以内に対応いたします」 -> 「対応・回答\n"
          "原則として14日以内に対応いたします」",
          "8.3 請求時の注意事項: changed list item "
          "「手数料として、開示請求の場合のみ実費(300円)をいただきます」 -> "
          "「手数料として、開示請求の場合のみ実費(500円)をいただきます」"));
  const std::string en = Markdown(policy, NoticeLang::kEn);
  EXPECT_THAT(en, HasSubstr("the actual cost (500 yen)"));
  EXPECT_THAT(en, HasSubstr("we respond within 14 days"));
  EXPECT_THAT(en, HasSubstr("Please tell us by phone that"));
}

TEST(NoticeTest, EnglishHasEverySectionAndItemOfTheJapanese) {
  // The translation has the same headings (by number), and under each the
  // same number of paragraphs, list items and table rows.
  const std::vector<Item> ja = ParseMarkdown(Markdown(Engine().policy()));
  const std::vector<Item> en =
      ParseMarkdown(Markdown(Engine().policy(), NoticeLang::kEn));
  ASSERT_EQ(ja.size(), en.size());
  for (size_t i = 0; i < ja.size(); ++i) {
    EXPECT_EQ(ja[i].kind, en[i].kind) << ja[i].text << " / " << en[i].text;
    if (ja[i].kind == "heading") {
      const absl::string_view ja_number =
          absl::string_view(ja[i].text).substr(0, ja[i].text.find(' '));
      if (IsNumberedHeading(ja[i].text)) {
        EXPECT_TRUE(absl::StartsWith(en[i].text, absl::StrCat(ja_number, " ")))
            << en[i].text;
      }
    }
    // Nothing of the English notice is left in Japanese.
    for (unsigned char ch : en[i].text) EXPECT_LT(ch, 0x80) << en[i].text;
  }
}

TEST(NoticeTest, HtmlIsOneStandaloneAccessiblePage) {
  // The page that publishes clauses 1-9: nothing loaded from elsewhere,
  // landmarks, headings in order, the tables of 3 and 7 with headers.
  for (NoticeLang lang : {NoticeLang::kJa, NoticeLang::kEn}) {
    const std::string html = Html(Engine().policy(), lang);
    EXPECT_THAT(html,
                HasSubstr(lang == NoticeLang::kJa ? "<html lang=\"ja\">"
                                                  : "<html lang=\"en\">"));
    EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
    for (const char* landmark : {"<header>", "<main>", "<footer>"}) {
      EXPECT_THAT(html, HasSubstr(landmark));
    }
    // No script and nothing loaded from elsewhere.
    for (const char* outside : {"<script", "<link", "src=", "href=", "url(",
                                "@import", "http:", "https:"}) {
      EXPECT_THAT(html, Not(HasSubstr(outside)));
    }
    // The tables of 3 and 7: a caption, column and row headers.
    size_t tables = 0;
    for (size_t p = html.find("<table>"); p != std::string::npos;
         p = html.find("<table>", p + 1)) {
      ++tables;
      EXPECT_EQ(html.compare(p, 16, "<table>\n<caption"), 0);
    }
    EXPECT_EQ(tables, 2u);
    EXPECT_THAT(html, HasSubstr("<th scope=\"col\">"));
    EXPECT_THAT(html, HasSubstr("<th scope=\"row\">"));
    // The footer names the policy's version and hash.
    const std::string footer = html.substr(html.find("<footer>"));
    EXPECT_THAT(footer, HasSubstr("2026-04-01"));
    EXPECT_THAT(footer, HasSubstr("0123abcd"));
    // One <h1>, and headings in order: an <h3> only under an <h2>.
    int level = 0, h1 = 0;
    for (size_t p = html.find("<h"); p != std::string::npos;
         p = html.find("<h", p + 1)) {
      const char c = html[p + 2];
      if (c < '1' || c > '6') continue;
      const int next = c - '0';
      if (next == 1) ++h1;
      EXPECT_LE(next, level + 1) << html.substr(p, 40);
      level = next;
    }
    EXPECT_EQ(h1, 1);
  }
}

TEST(NoticeTest, EveryTextIsEscaped) {
  // The policy's words (the title, a purpose of 4.1, the examples of a
  // channel of 3) are text, never markup.
  pip::v1::Policy policy = Engine().policy();
  policy.set_title_ja("個人情報保護方針 <b>&</b>");
  FindPurpose(&policy, "billing")->set_label_ja("<script>alert(1)</script>");
  policy.mutable_acquisition_channels(0)->set_examples_ja(
      "フォーム | 会員登録");
  const std::string html = Html(policy);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html,
              HasSubstr("<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"));
  EXPECT_THAT(html,
              HasSubstr("<h1>個人情報保護方針 &lt;b&gt;&amp;&lt;/b&gt;</h1>"));
  // In Markdown a '|' of a cell does not split the row of clause 3.
  const std::string md = Markdown(policy);
  EXPECT_THAT(md, HasSubstr("| ウェブサイト | フォーム \\| 会員登録 |"));
  EXPECT_THAT(md, HasSubstr("- \\<script\\>alert(1)\\</script\\>\n"));
}

}  // namespace
}  // namespace pipctl
