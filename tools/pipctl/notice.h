// `pipctl render`: the published privacy notice, rendered from the policy
// that pip enforces.
//
// The notice is built from the structured data of a pip.v1.Policy wherever
// the policy has it: the categories of clause 2 with their conditions, the
// acquisition channels of 3, the purposes of 4 with their conditions, the
// security measures of 5, the contractor rules of 6, the retention kinds of
// 7 (the period from the kind's period and clock, not from its words), the
// request types, procedure, channels, documents, fee and response period of
// 8, the complaint flow and outside bodies of 9. The clause table
// (Policy.clauses) gives only what has no structured form: headings, the
// lead paragraph of a section, the table headers, and the wording of a list
// item (a qualifier such as 氏名(漢字・ひらがな・カタカナ・ローマ字), or two
// categories named on one line) where that wording still names exactly the
// structured entries it stands for. Where the two disagree, the structured
// value is what the notice says (docs/notice.md).
//
//   pip::v1::Policy policy = engine.policy();
//   pipctl::Notice notice = pipctl::BuildNotice(
//       policy, pipctl::NoticeLang::kJa, engine.policy_hash());
//   std::string html = pipctl::NoticeHtml(notice);
#ifndef PIP_TOOLS_PIPCTL_NOTICE_H_
#define PIP_TOOLS_PIPCTL_NOTICE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "pip/v1/policy.pb.h"

namespace pipctl {

enum class NoticeLang { kJa, kEn };

// A table of the notice (clauses 3 and 7): a header row and data rows of
// the same width. The first cell of a row names it.
struct NoticeTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// One block of a section, in order.
struct NoticeBlock {
  enum class Kind { kParagraph, kList, kTable };
  Kind kind = Kind::kParagraph;
  // kParagraph: the paragraph, one line.
  std::string text;
  // kList: the items; an item of two lines (8.2's steps) holds a '\n'.
  std::vector<std::string> items;
  // kTable.
  NoticeTable table;
};

// A section (level 2, e.g. "2. 取得する個人情報の種類") or subsection (level
// 3, e.g. "2.1 基本情報", or the unnumbered "保存期間の例外" of clause 7).
struct NoticeSection {
  int level = 2;
  // "2", "2.1"; empty for an unnumbered heading (the preamble, 保存期間の例外).
  std::string number;
  std::string title;
  std::vector<NoticeBlock> blocks;

  // "2. title" for a numbered section, "2.1 title" for a subsection, the
  // title alone when unnumbered.
  std::string Heading() const;
};

// The whole notice, in one language.
struct Notice {
  NoticeLang lang = NoticeLang::kJa;
  // Policy.title_ja / title_en.
  std::string title;
  std::vector<NoticeSection> sections;
  // The policy's version and content hash, for the footer.
  std::string version;
  std::string hash;
};

// Builds the notice of `policy` in `lang`; `hash` is the policy's content
// hash (pip::Engine::policy_hash()), printed in the footer. Never fails:
// a section the policy has no data for is left out, an entry the clause
// text does not word is worded from its labels. The policy should be a
// valid one (pip::ValidatePolicy), as pipctl loads it.
//
// Thread-safety: safe to call concurrently.
Notice BuildNotice(const pip::v1::Policy& policy, NoticeLang lang,
                   absl::string_view hash);

// Where the clause table's Japanese text and the policy's data disagree
// in a list or table of the notice: each item the clause text of a
// section words and the notice does not, and each the notice has from
// the data and the clause text does not, e.g. "clause 7: the notice says
// 「お問い合わせ情報 | お問い合わせから5年間 | ...」 from the policy's data,
// which the clause text does not". The notice follows the data; the
// clause text, which explanations quote, should be edited to match. Empty
// when they agree, as they do in the default policy.
//
// Thread-safety: safe to call concurrently.
std::vector<std::string> ClauseTextDisagreements(const pip::v1::Policy& policy);

// The notice as Markdown: '#' for the title, '##' for sections, '###' for
// subsections, '-' lists, the tables of 3 and 7 as pipe tables, and after
// a '---' line the footer with the policy's version and hash. Markdown's
// special characters in the policy's texts are escaped with '\'.
//
// Thread-safety: safe to call concurrently.
std::string NoticeMarkdown(const Notice& notice);

// The notice as one standalone UTF-8 HTML page: <html lang>, inline CSS,
// no script and no external resource; <header> with the <h1> title,
// <main> with a <section> per section (<h2>, <h3>), tables with <caption>
// and <th scope>, <footer> with the policy's version and hash. Every text
// is HTML-escaped.
//
// Thread-safety: safe to call concurrently.
std::string NoticeHtml(const Notice& notice);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_NOTICE_H_
