#include "tools/pipctl/notice.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace pipctl {
namespace {

using pip::v1::Clause;
using pip::v1::Condition;
using pip::v1::Period;
using pip::v1::Policy;

bool IsJa(NoticeLang lang) { return lang == NoticeLang::kJa; }

const std::string& Pick(NoticeLang lang, const std::string& ja,
                        const std::string& en) {
  return IsJa(lang) ? ja : en;
}

// "Location information" -> "location information", but "IP address" and
// "OS information" stay as they are.
std::string LowerFirst(absl::string_view s) {
  std::string out(s);
  if (!out.empty() && absl::ascii_isupper(out[0]) &&
      (out.size() < 2 || !absl::ascii_isupper(out[1]))) {
    out[0] = absl::ascii_tolower(out[0]);
  }
  return out;
}

// The parts of a clause's text (Clause.text_ja / text_en): the paragraph
// lines before any list or table, the "- " items (a line right after an
// item continues it: 8.2's steps), the rows of a " | " table (header
// first), and the paragraph lines after them (7's 保存期間の例外).
struct ClauseParts {
  std::vector<std::string> intro;
  std::vector<std::string> items;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> trailing;
};

ClauseParts ParseClause(absl::string_view text) {
  ClauseParts parts;
  enum class State { kIntro, kItem, kRow, kTrailing } state = State::kIntro;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    if (absl::ConsumePrefix(&line, "- ")) {
      parts.items.emplace_back(line);
      state = State::kItem;
    } else if (absl::StrContains(line, " | ")) {
      parts.rows.push_back(absl::StrSplit(line, " | "));
      state = State::kRow;
    } else if (state == State::kIntro) {
      parts.intro.emplace_back(line);
    } else if (state == State::kItem) {
      absl::StrAppend(&parts.items.back(), "\n", line);
    } else {
      parts.trailing.emplace_back(line);
      state = State::kTrailing;
    }
  }
  return parts;
}

// Lines of one paragraph, joined as the language joins them: a line break
// in Japanese text is no space, in English it is one.
std::string JoinLines(const std::vector<std::string>& lines, NoticeLang lang) {
  return absl::StrJoin(lines, IsJa(lang) ? "" : " ");
}

// A list item in the language's style: an English item is a phrase
// without a closing full stop, like the rest of the lists.
std::string ListItem(NoticeLang lang, absl::string_view text) {
  if (!IsJa(lang)) absl::ConsumeSuffix(&text, ".");
  return std::string(text);
}

NoticeBlock Paragraph(std::string text) {
  NoticeBlock b;
  b.kind = NoticeBlock::Kind::kParagraph;
  b.text = std::move(text);
  return b;
}

NoticeBlock List(std::vector<std::string> items) {
  NoticeBlock b;
  b.kind = NoticeBlock::Kind::kList;
  b.items = std::move(items);
  return b;
}

// --- List items worded from structured entries ----------------------------

// A structured entry of a list (a category, a purpose, a request type):
// its label and the words of its conditions (許可をいただいた場合のみ).
struct Entry {
  std::string label_ja;
  std::string label_en;
  std::vector<std::string> notes_ja;
  std::vector<std::string> notes_en;
};

// The words of the conditions of a category or purpose, once each: those
// the policy states itself (a condition citing an article of law is the
// law's, not the notice's). In English, the condition's first clause
// ("Only where the customer has given permission: ..." -> its part before
// ':').
void AddNotes(const google::protobuf::RepeatedPtrField<Condition>& conditions,
              Entry* e) {
  for (const Condition& c : conditions) {
    if (!c.article().empty() || c.text_ja().empty()) continue;
    if (std::find(e->notes_ja.begin(), e->notes_ja.end(), c.text_ja()) !=
        e->notes_ja.end()) {
      continue;
    }
    e->notes_ja.push_back(c.text_ja());
    absl::string_view en = c.text_en();
    en = en.substr(0, std::min(en.find(':'), en.find('.')));
    e->notes_en.push_back(LowerFirst(absl::StripAsciiWhitespace(en)));
  }
}

constexpr absl::string_view kOpen[] = {"(", "("};
constexpr absl::string_view kClose[] = {")", ")"};

// A label "住所(現住所)" as its stem "住所" and qualifier "現住所".
bool SplitStem(absl::string_view label, absl::string_view* stem,
               absl::string_view* qualifier) {
  for (int i = 0; i < 2; ++i) {
    if (!absl::EndsWith(label, kClose[i])) continue;
    const size_t open = label.find(kOpen[i]);
    if (open == absl::string_view::npos || open == 0) return false;
    *stem = label.substr(0, open);
    *qualifier =
        label.substr(open + kOpen[i].size(),
                     label.size() - open - kOpen[i].size() - kClose[i].size());
    return !qualifier->empty();
  }
  return false;
}

// Whether a clause's list item names `label` as one of its words: at the
// start of the item or after 、 ( : or a space, and followed by its end or
// 、 ( ) : , or a space. A stemmed label "住所(現住所)" is also named by
// "住所(現住所・勤務先住所)".
bool Names(absl::string_view item, absl::string_view label) {
  if (label.empty()) return false;
  static constexpr absl::string_view kBefore[] = {"、", "(", "(", ":", " "};
  static constexpr absl::string_view kAfter[] = {"、", "(", "(", ")",
                                                 ")",  ":", ",", " "};
  for (size_t pos = item.find(label); pos != absl::string_view::npos;
       pos = item.find(label, pos + 1)) {
    const absl::string_view before = item.substr(0, pos);
    const absl::string_view after = item.substr(pos + label.size());
    const bool starts =
        before.empty() || std::any_of(std::begin(kBefore), std::end(kBefore),
                                      [&](absl::string_view d) {
                                        return absl::EndsWith(before, d);
                                      });
    const bool ends =
        after.empty() || std::any_of(std::begin(kAfter), std::end(kAfter),
                                     [&](absl::string_view d) {
                                       return absl::StartsWith(after, d);
                                     });
    if (starts && ends) return true;
  }
  absl::string_view stem, qualifier;
  if (!SplitStem(label, &stem, &qualifier)) return false;
  for (int i = 0; i < 2; ++i) {
    const std::string open = absl::StrCat(stem, kOpen[i]);
    const size_t pos = item.find(open);
    if (pos == absl::string_view::npos) continue;
    absl::string_view inside = item.substr(pos + open.size());
    inside = inside.substr(0, inside.find(kClose[i]));
    for (absl::string_view word : absl::StrSplit(inside, "・")) {
      if (word == qualifier) return true;
    }
  }
  return false;
}

// The labels of entries that share a list item, as Japanese writes them:
// "住所(現住所)" and "住所(勤務先住所)" as "住所(現住所・勤務先住所)", others
// joined with 、.
std::string LabelsJa(const std::vector<const Entry*>& entries) {
  struct Piece {
    std::string stem;
    std::vector<std::string> qualifiers;
  };
  std::vector<Piece> pieces;
  for (const Entry* e : entries) {
    absl::string_view stem, qualifier;
    if (SplitStem(e->label_ja, &stem, &qualifier)) {
      if (!pieces.empty() && pieces.back().stem == stem &&
          !pieces.back().qualifiers.empty()) {
        pieces.back().qualifiers.emplace_back(qualifier);
      } else {
        pieces.push_back({std::string(stem), {std::string(qualifier)}});
      }
    } else {
      pieces.push_back({e->label_ja, {}});
    }
  }
  return absl::StrJoin(pieces, "、", [](std::string* out, const Piece& p) {
    if (p.qualifiers.empty()) {
      absl::StrAppend(out, p.stem);
    } else {
      absl::StrAppend(out, p.stem, "(", absl::StrJoin(p.qualifiers, "・"), ")");
    }
  });
}

// A list item worded from its entries' labels and conditions alone.
std::string Worded(const std::vector<const Entry*>& entries, NoticeLang lang) {
  std::vector<std::string> notes;
  for (const Entry* e : entries) {
    for (const std::string& n : IsJa(lang) ? e->notes_ja : e->notes_en) {
      if (std::find(notes.begin(), notes.end(), n) == notes.end()) {
        notes.push_back(n);
      }
    }
  }
  if (IsJa(lang)) {
    std::string out = LabelsJa(entries);
    if (!notes.empty())
      absl::StrAppend(&out, "(", absl::StrJoin(notes, "、"), ")");
    return out;
  }
  std::string out;
  for (const Entry* e : entries) {
    absl::StrAppend(&out, out.empty() ? "" : ", ",
                    out.empty() ? e->label_en : LowerFirst(e->label_en));
  }
  if (!notes.empty())
    absl::StrAppend(&out, " (", absl::StrJoin(notes, "; "), ")");
  return out;
}

// `item` without a parenthesized qualifier at its end.
absl::string_view WithoutLastQualifier(absl::string_view item) {
  for (int i = 0; i < 2; ++i) {
    if (!absl::EndsWith(item, kClose[i])) continue;
    const size_t open = item.rfind(kOpen[i]);
    if (open != absl::string_view::npos && open > 0)
      return item.substr(0, open);
  }
  return item;
}

// The list of a section whose entries are structured: one item per run of
// entries that the clause text names on one line, in the entries' order.
// The clause's wording of an item is kept when it still states exactly
// those entries (their labels, or their labels with a qualifier in
// parentheses or a ':' explanation after them) and every condition of
// theirs; otherwise the item is worded from the entries. A clause item
// that names no entry is not rendered: the policy no longer has it.
// `ja_items` decide; the English item at the same index is used when the
// two lists have the same length.
std::vector<std::string> ListOfEntries(const std::vector<Entry>& entries,
                                       const std::vector<std::string>& ja_items,
                                       const std::vector<std::string>& en_items,
                                       NoticeLang lang) {
  std::vector<int> named(entries.size(), -1);
  for (size_t i = 0; i < entries.size(); ++i) {
    for (size_t k = 0; k < ja_items.size(); ++k) {
      if (Names(ja_items[k], entries[i].label_ja)) {
        named[i] = static_cast<int>(k);
        break;
      }
    }
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < entries.size();) {
    size_t j = i + 1;
    if (named[i] >= 0) {
      while (j < entries.size() && named[j] == named[i]) ++j;
    }
    std::vector<const Entry*> group;
    for (size_t g = i; g < j; ++g) group.push_back(&entries[g]);
    bool clause_wording = false;
    if (named[i] >= 0) {
      const std::string& item = ja_items[named[i]];
      const std::string labels = LabelsJa(group);
      bool conditions_stated = true;
      for (const Entry* e : group) {
        for (const std::string& n : e->notes_ja) {
          if (!absl::StrContains(item, n)) conditions_stated = false;
        }
      }
      clause_wording =
          conditions_stated &&
          (item == labels || WithoutLastQualifier(item) == labels ||
           absl::StartsWith(item, absl::StrCat(labels, ":")));
    }
    if (!clause_wording) {
      out.push_back(Worded(group, lang));
    } else if (IsJa(lang)) {
      out.push_back(ja_items[named[i]]);
    } else if (en_items.size() == ja_items.size()) {
      out.push_back(en_items[named[i]]);
    } else {
      out.push_back(Worded(group, lang));
    }
    i = j;
  }
  return out;
}

// --- Structured values put into the clause's words ------------------------

std::string PeriodText(const Period& p, NoticeLang lang) {
  if (IsJa(lang)) {
    if (p.years() > 0) return absl::StrCat(p.years(), "年間");
    if (p.months() > 0) return absl::StrCat(p.months(), "か月間");
    return absl::StrCat(p.days(), "日間");
  }
  auto unit = [](int n, const char* one, const char* many) {
    return absl::StrCat(n, " ", n == 1 ? one : many);
  };
  if (p.years() > 0) return unit(p.years(), "year", "years");
  if (p.months() > 0) return unit(p.months(), "month", "months");
  return unit(p.days(), "day", "days");
}

// "30日" / "30 days": a period as a deadline is written.
std::string DeadlineText(const Period& p, NoticeLang lang) {
  if (IsJa(lang)) {
    if (p.years() > 0) return absl::StrCat(p.years(), "年");
    if (p.months() > 0) return absl::StrCat(p.months(), "か月");
    return absl::StrCat(p.days(), "日");
  }
  return PeriodText(p, lang);
}

// Replaces the number written right before `unit` (e.g. "300" of
// "300円", "30日" of "30日以内" with unit "日以内" and keep_unit false)
// with `value`. Returns whether a number was found.
bool ReplaceNumberBefore(std::string* text, absl::string_view unit,
                         absl::string_view value, bool keep_unit) {
  const std::string u(unit);
  for (size_t pos = text->find(u); pos != std::string::npos;
       pos = text->find(u, pos + 1)) {
    size_t start = pos;
    while (start > 0 && (absl::ascii_isdigit((*text)[start - 1]) ||
                         (*text)[start - 1] == ',')) {
      --start;
    }
    if (start == pos) continue;
    size_t end = pos;
    if (!keep_unit) {
      // Only the unit's first word goes with the number: "日" of "日以内",
      // " days" of " days".
      end = pos + (absl::StartsWith(unit, "日") ? std::string("日").size()
                                                : unit.size());
    }
    text->replace(start, end - start, std::string(value));
    return true;
  }
  return false;
}

// Whether `phrase` is a list of words joined by `separators` one of
// which is a `known` word ("電話またはメール" with 電話 a channel of the
// policy). The others may be words the policy no longer has.
bool IsListOf(absl::string_view phrase, const std::vector<std::string>& known,
              const std::vector<std::string>& separators) {
  std::vector<absl::string_view> words = {phrase};
  for (const std::string& sep : separators) {
    std::vector<absl::string_view> split;
    for (absl::string_view w : words) {
      for (absl::string_view part : absl::StrSplit(w, sep))
        split.push_back(part);
    }
    words = std::move(split);
  }
  bool any_known = false;
  for (absl::string_view w : words) {
    if (w.empty()) return false;
    if (std::find(known.begin(), known.end(), w) != known.end())
      any_known = true;
  }
  return any_known;
}

// "A", "AまたはB", "A、BまたはC" (`last` = "または"); in English "a", "a or
// b", "a, b or c".
std::string JoinList(const std::vector<std::string>& words,
                     absl::string_view sep, absl::string_view last) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, i + 1 == words.size() ? last : sep);
    absl::StrAppend(&out, words[i]);
  }
  return out;
}

// Replaces, in `text`, the phrase between the last of `starts` before
// `marker` (or the line's start) and `marker` by `replacement`, when that
// phrase is a list naming one of the `known` words.
void ReplaceListBefore(std::string* text, absl::string_view marker,
                       absl::string_view start_after,
                       const std::vector<std::string>& known,
                       const std::vector<std::string>& separators,
                       const std::string& replacement) {
  const size_t end = text->find(std::string(marker));
  if (end == std::string::npos || replacement.empty()) return;
  size_t begin = text->rfind(std::string(start_after), end);
  begin = begin == std::string::npos ? 0 : begin + start_after.size();
  const size_t line = text->rfind('\n', end);
  if (line != std::string::npos && line + 1 > begin) begin = line + 1;
  if (!IsListOf(absl::string_view(*text).substr(begin, end - begin), known,
                separators)) {
    return;
  }
  text->replace(begin, end - begin, replacement);
}

// --- Sections ---------------------------------------------------------------

class Builder {
 public:
  Builder(const Policy& policy, NoticeLang lang)
      : policy_(policy), lang_(lang) {
    for (const Clause& c : policy.clauses()) clauses_.emplace(c.number(), &c);
  }

  std::vector<NoticeSection> Build() {
    Preamble();
    Principles();
    Categories();
    Acquisition();
    Purposes();
    Security();
    Contractors();
    Retention();
    Requests();
    Complaints();
    return std::move(sections_);
  }

 private:
  const Clause* FindClause(absl::string_view number) const {
    auto it = clauses_.find(std::string(number));
    return it == clauses_.end() ? nullptr : it->second;
  }

  ClauseParts Parts(absl::string_view number, NoticeLang lang) const {
    const Clause* c = FindClause(number);
    if (c == nullptr) return {};
    return ParseClause(Pick(lang, c->text_ja(), c->text_en()));
  }

  // A section or subsection headed by the clause table's title.
  NoticeSection& Open(int level, absl::string_view number,
                      std::string title = "") {
    NoticeSection s;
    s.level = level;
    s.number = std::string(number);
    if (title.empty()) {
      const Clause* c = FindClause(number);
      if (c != nullptr) title = Pick(lang_, c->title_ja(), c->title_en());
    }
    s.title = std::move(title);
    sections_.push_back(std::move(s));
    return sections_.back();
  }

  // A numbered section with the clause's lead paragraph.
  NoticeSection& OpenWithIntro(absl::string_view number) {
    NoticeSection& s = Open(2, number);
    const ClauseParts parts = Parts(number, lang_);
    if (!parts.intro.empty()) {
      s.blocks.push_back(Paragraph(JoinLines(parts.intro, lang_)));
    }
    return s;
  }

  void Preamble() {
    const auto& p = policy_.preamble();
    const std::string& text = Pick(lang_, p.text_ja(), p.text_en());
    if (text.empty()) return;
    NoticeSection& s = Open(2, "", Pick(lang_, p.title_ja(), p.title_en()));
    s.blocks.push_back(Paragraph(text));
  }

  // Clause 1: the lead paragraph, and each principle under its clause.
  void Principles() {
    if (policy_.principles().empty()) return;
    OpenWithIntro("1");
    std::string clause;
    for (const auto& p : policy_.principles()) {
      if (p.clause() != clause || sections_.back().level != 3) {
        clause = p.clause();
        Open(3, clause);
      }
      sections_.back().blocks.push_back(
          Paragraph(Pick(lang_, p.text_ja(), p.text_en())));
    }
  }

  // One subsection per group of `groups`, listing the `items` of that group
  // (`item.group()` is the group's id) with their conditions, in the words
  // of the group's clause where they still name the same entries: clause 2
  // (categories) and clause 4 (purposes).
  template <typename Groups, typename Items>
  void GroupedList(absl::string_view clause, const Groups& groups,
                   const Items& items) {
    if (groups.empty()) return;
    OpenWithIntro(clause);
    for (const auto& g : groups) {
      std::vector<Entry> entries;
      for (const auto& item : items) {
        if (item.group() != g.id()) continue;
        Entry e{item.label_ja(), item.label_en(), {}, {}};
        AddNotes(item.conditions(), &e);
        entries.push_back(std::move(e));
      }
      if (entries.empty()) continue;
      NoticeSection& s =
          Open(3, g.clause(), Pick(lang_, g.label_ja(), g.label_en()));
      s.blocks.push_back(
          List(ListOfEntries(entries, Parts(g.clause(), NoticeLang::kJa).items,
                             Parts(g.clause(), NoticeLang::kEn).items, lang_)));
    }
  }

  // Clause 2: one subsection per category group.
  void Categories() {
    GroupedList("2", policy_.category_groups(), policy_.categories());
  }

  // The header of a clause's table, or `fallback`.
  std::vector<std::string> Header(absl::string_view clause,
                                  std::vector<std::string> fallback) const {
    const ClauseParts parts = Parts(clause, lang_);
    if (!parts.rows.empty() && parts.rows[0].size() == fallback.size()) {
      return parts.rows[0];
    }
    return fallback;
  }

  // Clause 3: the table of acquisition channels.
  void Acquisition() {
    if (policy_.acquisition_channels().empty()) return;
    NoticeSection& s = OpenWithIntro("3");
    NoticeBlock table;
    table.kind = NoticeBlock::Kind::kTable;
    table.table.header = Header(
        "3", IsJa(lang_) ? std::vector<std::string>{"取得方法", "具体例",
                                                    "取得する情報"}
                         : std::vector<std::string>{"Method", "Examples",
                                                    "Information acquired"});
    // The channel has its examples in Japanese only: the English ones are
    // those of the clause's English table on the row of the same channel.
    const ClauseParts ja = Parts("3", NoticeLang::kJa);
    const ClauseParts en = Parts("3", NoticeLang::kEn);
    for (const auto& c : policy_.acquisition_channels()) {
      std::string examples = c.examples_ja();
      if (!IsJa(lang_)) {
        examples.clear();
        for (size_t r = 1; r < ja.rows.size(); ++r) {
          if (!ja.rows[r].empty() && ja.rows[r][0] == c.label_ja() &&
              r < en.rows.size() && en.rows.size() == ja.rows.size() &&
              en.rows[r].size() > 1 && ja.rows[r].size() > 1 &&
              ja.rows[r][1] == c.examples_ja()) {
            examples = en.rows[r][1];
          }
        }
      }
      table.table.rows.push_back(
          {Pick(lang_, c.label_ja(), c.label_en()), examples,
           Pick(lang_, c.acquires_ja(), c.acquires_en())});
    }
    s.blocks.push_back(std::move(table));
  }

  // Clause 4: one subsection per purpose group.
  void Purposes() {
    GroupedList("4", policy_.purpose_groups(), policy_.purposes());
  }

  // Clause 5: the measures under their clause ("5.1" ...), each as
  // "measure:detail".
  void Security() {
    if (policy_.security_measures().empty()) return;
    OpenWithIntro("5");
    std::string clause;
    for (const auto& m : policy_.security_measures()) {
      if (m.clause() != clause || sections_.back().level != 3) {
        clause = m.clause();
        Open(3, clause).blocks.push_back(List({}));
      }
      std::string item =
          IsJa(lang_) ? (m.detail_ja().empty()
                             ? m.measure_ja()
                             : absl::StrCat(m.measure_ja(), ":", m.detail_ja()))
                      : m.measure_en();
      sections_.back().blocks.back().items.push_back(std::move(item));
    }
  }

  // A subsection listing provisions (6.1-6.3, 9.1).
  template <typename Items>
  void ProvisionList(const Items& items, absl::string_view fallback_clause) {
    if (items.empty()) return;
    const std::string clause = items[0].clause().empty()
                                   ? std::string(fallback_clause)
                                   : items[0].clause();
    std::vector<std::string> texts;
    for (const auto& p : items) {
      texts.push_back(ListItem(lang_, Pick(lang_, p.text_ja(), p.text_en())));
    }
    Open(3, clause).blocks.push_back(List(std::move(texts)));
  }

  // Clause 6.
  void Contractors() {
    const auto& cm = policy_.contractor_management();
    if (cm.selection_criteria().empty() &&
        cm.required_contract_terms().empty() && cm.supervision().empty()) {
      return;
    }
    OpenWithIntro("6");
    ProvisionList(cm.selection_criteria(), "6.1");
    ProvisionList(cm.required_contract_terms(), "6.2");
    ProvisionList(cm.supervision(), "6.3");
  }

  // The period of a retention kind as the table of 7 writes it, from the
  // kind's period and clock: "お問い合わせから3年間", or for a period the law
  // sets, "法定保存期間(7年間)".
  std::string RetentionPeriod(const pip::v1::RetentionKind& k) const {
    const std::string period = PeriodText(k.period(), lang_);
    if (IsJa(lang_)) {
      if (!k.statutory_article().empty()) {
        return absl::StrCat("法定保存期間(", period, ")");
      }
      return absl::StrCat(k.clock_event_ja(), "から", period);
    }
    if (!k.statutory_article().empty()) {
      return absl::StrCat("Statutory retention period (", period, ")");
    }
    return absl::StrCat(period, " from ", LowerFirst(k.clock_event_en()));
  }

  // Clause 7: the table of retention kinds and the exceptions.
  void Retention() {
    const auto& r = policy_.retention();
    const std::string clause = r.clause().empty() ? "7" : r.clause();
    NoticeBlock table;
    table.kind = NoticeBlock::Kind::kTable;
    table.table.header = Header(
        clause,
        IsJa(lang_)
            ? std::vector<std::string>{"情報の種類", "保存期間", "削除方法"}
            : std::vector<std::string>{"Type of information",
                                       "Retention period", "Deletion method"});
    for (const auto& k : r.kinds()) {
      if (k.clause() != clause) continue;  // the records of APPI 29, 30
      table.table.rows.push_back({Pick(lang_, k.label_ja(), k.label_en()),
                                  RetentionPeriod(k),
                                  Pick(lang_, k.deletion_method().label_ja(),
                                       k.deletion_method().label_en())});
    }
    if (table.table.rows.empty()) return;
    OpenWithIntro(clause).blocks.push_back(std::move(table));

    // 保存期間の例外: the kinds of hold, in the clause's sentence.
    std::vector<std::string> holds;
    for (const auto& h : r.hold_types()) {
      if (h.clause() != clause) continue;
      holds.push_back(holds.empty() ? Pick(lang_, h.label_ja(), h.label_en())
                      : IsJa(lang_) ? h.label_ja()
                                    : LowerFirst(h.label_en()));
    }
    if (holds.empty()) return;
    const ClauseParts parts = Parts(clause, lang_);
    std::string title =
        IsJa(lang_) ? "保存期間の例外" : "Exceptions to the retention periods";
    std::string rest =
        IsJa(lang_) ? "については、上記期間を超えて保存する場合があります。"
                    : " may be kept beyond the periods above.";
    if (parts.trailing.size() >= 2) {
      title = parts.trailing[0];
      const std::string& sentence = parts.trailing.back();
      const size_t at =
          sentence.find(IsJa(lang_) ? "については" : " may be kept");
      if (at != std::string::npos) rest = sentence.substr(at);
    }
    const std::string list = IsJa(lang_) ? absl::StrJoin(holds, "、")
                                         : JoinList(holds, ", ", ", and ");
    Open(3, "", title).blocks.push_back(Paragraph(absl::StrCat(list, rest)));
  }

  // Clause 8: the request types (8.1), the procedure with the channels,
  // documents and response period of the policy (8.2), the fee and the
  // grounds of refusal (8.3).
  void Requests() {
    const auto& rq = policy_.requests();
    if (rq.types().empty()) return;
    OpenWithIntro(rq.clause().empty() ? "8" : rq.clause());

    std::vector<Entry> types;
    std::string types_clause;
    for (const auto& t : rq.types()) {
      if (types_clause.empty()) types_clause = t.clause();
      if (t.clause() != types_clause) continue;  // APPI 33(5)
      types.push_back(Entry{t.label_ja(), t.label_en(), {}, {}});
    }
    Open(3, types_clause)
        .blocks.push_back(List(
            ListOfEntries(types, Parts(types_clause, NoticeLang::kJa).items,
                          Parts(types_clause, NoticeLang::kEn).items, lang_)));

    if (!rq.procedure().empty()) {
      std::vector<std::string> steps;
      for (const auto& p : rq.procedure()) steps.push_back(Step(p));
      Open(3, rq.procedure(0).clause())
          .blocks.push_back(List(std::move(steps)));
    }
    Notes();
  }

  // A step of 8.2 in the policy's words, with the channels, the documents
  // and the response period of the policy put in place of the ones the
  // words name.
  std::string Step(const pip::v1::Provision& p) const {
    const auto& rq = policy_.requests();
    std::string text = Pick(lang_, p.text_ja(), p.text_en());
    if (rq.response_period().days() + rq.response_period().months() +
            rq.response_period().years() >
        0) {
      if (IsJa(lang_)) {
        ReplaceNumberBefore(&text, "日以内",
                            DeadlineText(rq.response_period(), lang_), false);
      } else {
        ReplaceNumberBefore(&text, " days",
                            DeadlineText(rq.response_period(), lang_), false);
      }
    }
    std::vector<std::string> known, channels;
    for (const auto& c : rq.channels()) {
      channels.push_back(IsJa(lang_) ? c.label_ja() : LowerFirst(c.label_en()));
    }
    for (const auto* list : {&rq.channels(), &rq.other_channels()}) {
      for (const auto& c : *list) {
        known.push_back(IsJa(lang_) ? c.label_ja() : LowerFirst(c.label_en()));
      }
    }
    if (IsJa(lang_)) {
      ReplaceListBefore(&text, "にて", "\n", known, {"または", "、", "・"},
                        JoinList(channels, "、", "または"));
    } else {
      ReplaceListBefore(&text, " that ", "by ", known, {" or ", ", ", " and "},
                        JoinList(channels, ", ", " or "));
    }
    // The documents every requester submits: those of the requester of
    // the step's clause (the data subject, 8.2).
    if (IsJa(lang_)) {
      std::vector<std::string> docs;
      for (const auto& r : rq.requesters()) {
        if (r.clause() != p.clause()) continue;
        for (const std::string& id : r.required_documents()) {
          for (const auto& d : rq.documents()) {
            if (d.id() == id) docs.push_back(d.label_ja());
          }
        }
        break;
      }
      std::vector<std::string> all;
      for (const auto& d : rq.documents()) all.push_back(d.label_ja());
      ReplaceListBefore(&text, "をご提出ください", "\n", all, {"と", "、"},
                        JoinList(docs, "、", "と"));
    }
    return text;
  }

  // 8.3: the clause's notes, with the fee of the policy's request types
  // and its grounds of refusal in place of the ones the clause words.
  void Notes() {
    const auto& rq = policy_.requests();
    std::string clause;
    for (const auto& t : rq.types()) {
      if (!t.fee_clause().empty()) clause = t.fee_clause();
    }
    if (clause.empty() && !rq.review_grounds().empty()) {
      clause = rq.review_grounds(0).clause();
    }
    if (clause.empty()) return;
    const ClauseParts ja = Parts(clause, NoticeLang::kJa);
    const ClauseParts en = Parts(clause, NoticeLang::kEn);
    const bool aligned = ja.items.size() == en.items.size();
    std::vector<const pip::v1::RequestType*> fees;
    for (const auto& t : rq.types()) {
      if (t.fee_jpy() > 0) fees.push_back(&t);
    }
    std::vector<std::string> items;
    bool fee_done = false, grounds_done = false;
    auto add_grounds = [&] {
      for (const auto& g : rq.review_grounds()) {
        items.push_back(ListItem(lang_, Pick(lang_, g.text_ja(), g.text_en())));
      }
      grounds_done = true;
    };
    auto fee_item = [&](const pip::v1::RequestType& t) {
      return IsJa(lang_)
                 ? absl::StrCat("手数料として、", t.label_ja(), "請求の場合は",
                                t.fee_jpy(), "円をいただきます")
                 : absl::StrCat("For requests for ", LowerFirst(t.label_en()),
                                ", we charge a fee of ", t.fee_jpy(), " yen");
    };
    for (size_t k = 0; k < ja.items.size(); ++k) {
      const std::string& item_ja = ja.items[k];
      std::string item = IsJa(lang_) ? item_ja
                         : aligned   ? en.items[k]
                                     : std::string();
      if (absl::StrContains(item_ja, "円")) {
        // The fee: the clause's words when they name the one type that
        // has a fee, with its amount; each type with a fee otherwise.
        if (fee_done) continue;
        fee_done = true;
        if (fees.size() == 1 &&
            absl::StrContains(item_ja, fees[0]->label_ja()) && !item.empty() &&
            ReplaceNumberBefore(&item, IsJa(lang_) ? "円" : " yen",
                                absl::StrCat(fees[0]->fee_jpy()), true)) {
          items.push_back(item);
        } else {
          for (const auto* t : fees) items.push_back(fee_item(*t));
        }
        continue;
      }
      bool ground = false;
      for (const auto& g : rq.review_grounds()) {
        if (g.text_ja() == item_ja) ground = true;
      }
      if (ground) {
        if (!grounds_done) add_grounds();
        continue;
      }
      if (!item.empty()) items.push_back(item);
    }
    if (!fee_done) {
      for (const auto* t : fees) items.push_back(fee_item(*t));
    }
    if (!grounds_done) add_grounds();
    if (items.empty()) return;
    Open(3, clause).blocks.push_back(List(std::move(items)));
  }

  // Clause 9: the internal flow (9.1) and the outside bodies (9.2).
  void Complaints() {
    const auto& c = policy_.complaints();
    if (c.internal_flow().empty() && c.external_contacts().empty()) return;
    OpenWithIntro("9");
    ProvisionList(c.internal_flow(), "9.1");
    if (c.external_contacts().empty()) return;
    const std::string clause = c.external_contacts(0).clause().empty()
                                   ? "9.2"
                                   : c.external_contacts(0).clause();
    NoticeSection& s = Open(3, clause);
    const ClauseParts parts = Parts(clause, lang_);
    if (!parts.intro.empty()) {
      s.blocks.push_back(Paragraph(JoinLines(parts.intro, lang_)));
    }
    std::vector<std::string> bodies;
    for (const auto& b : c.external_contacts()) {
      const std::string& label = Pick(lang_, b.label_ja(), b.label_en());
      const std::string& purpose = Pick(lang_, b.purpose_ja(), b.purpose_en());
      bodies.push_back(
          purpose.empty()
              ? ListItem(lang_, Pick(lang_, b.text_ja(), b.text_en()))
          : IsJa(lang_) ? absl::StrCat(label, "(", purpose, ")")
                        : absl::StrCat(label, " (", purpose, ")"));
    }
    s.blocks.push_back(List(std::move(bodies)));
  }

  const Policy& policy_;
  const NoticeLang lang_;
  absl::flat_hash_map<std::string, const Clause*> clauses_;
  std::vector<NoticeSection> sections_;
};

// --- Markdown ---------------------------------------------------------------

std::string MarkdownEscape(absl::string_view s) {
  std::string out;
  for (char ch : s) {
    if (absl::StrContains("\\`*_[]<>|#", ch)) out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

// --- HTML -------------------------------------------------------------------

std::string HtmlEscape(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"},
                                 {"<", "&lt;"},
                                 {">", "&gt;"},
                                 {"\"", "&quot;"},
                                 {"'", "&#39;"}});
}

// An escaped text whose line breaks become <br>.
std::string HtmlLines(absl::string_view s) {
  return absl::StrJoin(absl::StrSplit(s, '\n'), "<br>\n",
                       [](std::string* out, absl::string_view line) {
                         absl::StrAppend(out, HtmlEscape(line));
                       });
}

constexpr char kStyle[] = R"css(
body { margin: 0; font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif; line-height: 1.7; color: #1a1a1a; background: #ffffff; }
header, main, footer { max-width: 48rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; border-bottom: 2px solid #1f4e79; }
h1 { font-size: 1.75rem; margin: 0 0 1rem; color: #1f4e79; }
h2 { font-size: 1.3rem; margin: 2.25rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid #c8d3df; color: #1f4e79; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
ul { padding-left: 1.5rem; }
li { margin: 0.25rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #9aa9b8; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
tbody th { font-weight: normal; background: #f6f8fa; }
footer { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid #c8d3df; font-size: 0.85rem; color: #4a4a4a; overflow-wrap: anywhere; }
)css";

}  // namespace

std::string NoticeSection::Heading() const {
  if (number.empty()) return title;
  return level == 2 ? absl::StrCat(number, ". ", title)
                    : absl::StrCat(number, " ", title);
}

Notice BuildNotice(const Policy& policy, NoticeLang lang,
                   absl::string_view hash) {
  Notice notice;
  notice.lang = lang;
  notice.title = Pick(lang, policy.title_ja(), policy.title_en());
  notice.sections = Builder(policy, lang).Build();
  notice.version = policy.version();
  notice.hash = std::string(hash);
  return notice;
}

std::vector<std::string> ClauseTextDisagreements(const Policy& policy) {
  absl::flat_hash_map<std::string, const Clause*> clauses;
  for (const Clause& c : policy.clauses()) clauses.emplace(c.number(), &c);
  std::vector<std::string> out;
  auto compare = [&](const std::string& clause,
                     const std::vector<std::string>& text,
                     const std::vector<std::string>& notice) {
    for (const std::string& t : text) {
      if (std::find(notice.begin(), notice.end(), t) == notice.end()) {
        out.push_back(absl::StrCat("clause ", clause,
                                   ": the clause text says 「", t,
                                   "」, which the notice does not"));
      }
    }
    for (const std::string& n : notice) {
      if (std::find(text.begin(), text.end(), n) == text.end()) {
        out.push_back(absl::StrCat("clause ", clause, ": the notice says 「", n,
                                   "」 from the policy's data, which the "
                                   "clause text does not"));
      }
    }
  };
  const Notice ja = BuildNotice(policy, NoticeLang::kJa, "");
  for (const NoticeSection& s : ja.sections) {
    auto it = clauses.find(s.number);
    if (s.number.empty() || it == clauses.end()) continue;
    const ClauseParts parts = ParseClause(it->second->text_ja());
    for (const NoticeBlock& b : s.blocks) {
      if (b.kind == NoticeBlock::Kind::kList) {
        compare(s.number, parts.items, b.items);
      } else if (b.kind == NoticeBlock::Kind::kTable) {
        std::vector<std::string> text, notice;
        for (size_t r = 1; r < parts.rows.size(); ++r) {
          text.push_back(absl::StrJoin(parts.rows[r], " | "));
        }
        for (const auto& r : b.table.rows) {
          notice.push_back(absl::StrJoin(r, " | "));
        }
        compare(s.number, text, notice);
      }
    }
  }
  return out;
}

std::string NoticeMarkdown(const Notice& notice) {
  std::string out = absl::StrCat("# ", MarkdownEscape(notice.title), "\n");
  for (const NoticeSection& s : notice.sections) {
    absl::StrAppend(&out, "\n", std::string(s.level, '#'), " ",
                    MarkdownEscape(s.Heading()), "\n");
    for (const NoticeBlock& b : s.blocks) {
      out += "\n";
      switch (b.kind) {
        case NoticeBlock::Kind::kParagraph:
          absl::StrAppend(&out, MarkdownEscape(b.text), "\n");
          break;
        case NoticeBlock::Kind::kList:
          for (const std::string& item : b.items) {
            // A second line of an item is a hard line break inside it.
            absl::StrAppend(
                &out, "- ",
                absl::StrJoin(absl::StrSplit(item, '\n'), "  \n  ",
                              [](std::string* o, absl::string_view line) {
                                absl::StrAppend(o, MarkdownEscape(line));
                              }),
                "\n");
          }
          break;
        case NoticeBlock::Kind::kTable: {
          auto row = [&](const std::vector<std::string>& cells) {
            out += "|";
            for (const std::string& c : cells) {
              absl::StrAppend(&out, " ", MarkdownEscape(c), " |");
            }
            out += "\n";
          };
          row(b.table.header);
          out += "|";
          for (size_t i = 0; i < b.table.header.size(); ++i) out += " --- |";
          out += "\n";
          for (const auto& r : b.table.rows) row(r);
          break;
        }
      }
    }
  }
  const bool ja = IsJa(notice.lang);
  absl::StrAppend(
      &out, "\n---\n\n",
      ja ? "本方針の版: " : "Policy version: ", MarkdownEscape(notice.version),
      ja ? "(SHA-256: `" : " (SHA-256: `", notice.hash, ja ? "`)\n" : "`)\n");
  return out;
}

std::string NoticeHtml(const Notice& notice) {
  const bool ja = IsJa(notice.lang);
  std::string out =
      absl::StrCat("<!DOCTYPE html>\n<html lang=\"", ja ? "ja" : "en",
                   "\">\n<head>\n", "<meta charset=\"utf-8\">\n",
                   "<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n",
                   "<title>", HtmlEscape(notice.title), "</title>\n<style>",
                   kStyle, "</style>\n</head>\n<body>\n<header>\n<h1>",
                   HtmlEscape(notice.title), "</h1>\n</header>\n<main>\n");
  bool open = false;  // a level-2 <section> is open
  int id = 0;
  for (const NoticeSection& s : notice.sections) {
    const std::string anchor = absl::StrCat("s", ++id);
    if (s.level == 2) {
      if (open) out += "</section>\n";
      absl::StrAppend(&out, "<section aria-labelledby=\"", anchor, "\">\n");
      open = true;
    }
    absl::StrAppend(&out, "<h", s.level, " id=\"", anchor, "\">",
                    HtmlEscape(s.Heading()), "</h", s.level, ">\n");
    for (const NoticeBlock& b : s.blocks) {
      switch (b.kind) {
        case NoticeBlock::Kind::kParagraph:
          absl::StrAppend(&out, "<p>", HtmlLines(b.text), "</p>\n");
          break;
        case NoticeBlock::Kind::kList:
          out += "<ul>\n";
          for (const std::string& item : b.items) {
            absl::StrAppend(&out, "<li>", HtmlLines(item), "</li>\n");
          }
          out += "</ul>\n";
          break;
        case NoticeBlock::Kind::kTable:
          absl::StrAppend(&out, "<table>\n<caption>", HtmlEscape(s.Heading()),
                          "</caption>\n<thead>\n<tr>");
          for (const std::string& h : b.table.header) {
            absl::StrAppend(&out, "<th scope=\"col\">", HtmlEscape(h), "</th>");
          }
          out += "</tr>\n</thead>\n<tbody>\n";
          for (const auto& r : b.table.rows) {
            out += "<tr>";
            for (size_t i = 0; i < r.size(); ++i) {
              absl::StrAppend(&out, i == 0 ? "<th scope=\"row\">" : "<td>",
                              HtmlEscape(r[i]), i == 0 ? "</th>" : "</td>");
            }
            out += "</tr>\n";
          }
          out += "</tbody>\n</table>\n";
          break;
      }
    }
  }
  if (open) out += "</section>\n";
  absl::StrAppend(
      &out, "</main>\n<footer>\n<p>",
      ja ? "本方針の版: " : "Policy version: ", HtmlEscape(notice.version),
      "<br>\nSHA-256: <code>", HtmlEscape(notice.hash),
      "</code></p>\n</footer>\n</body>\n</html>\n");
  return out;
}

}  // namespace pipctl
