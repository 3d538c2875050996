#include "tools/pipctl/policy_diff.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "tools/pipctl/json_text.h"

namespace pipctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// One step of a path: a field, and for a list element its key.
struct Segment {
  std::string field;
  std::string key;  // empty: not a list element
};

enum class Kind { kAdded, kRemoved, kChanged, kReordered };

// A change as the walk finds it, before it is classified.
struct RawChange {
  std::vector<Segment> path;
  Kind kind = Kind::kChanged;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  // The list element added or removed, or the two sides of a changed
  // Period; null otherwise.
  const Message* old_item = nullptr;
  const Message* new_item = nullptr;
  std::string id;
  std::string clause;
  // The innermost list element with an id the change is in or is.
  const Message* owner = nullptr;
};

// Where the walk is: the path so far, the innermost item's id and clause.
struct Context {
  std::vector<Segment> path;
  std::string id;
  std::string clause;
  // The innermost list element with an id (the new policy's), or null.
  const Message* owner = nullptr;
};

bool IsPeriod(const Descriptor* d) { return d->full_name() == "pip.v1.Period"; }

// A Period in 1/400 days, so that 1 year (365.25 days) is 12 months.
int64_t PeriodLength(const Message& m) {
  const auto& p = static_cast<const pip::v1::Period&>(m);
  return int64_t{p.years()} * 146100 + int64_t{p.months()} * 12175 +
         int64_t{p.days()} * 400;
}

std::string PeriodText(const Message& m) {
  const auto& p = static_cast<const pip::v1::Period&>(m);
  std::vector<std::string> parts;
  if (p.years() != 0) parts.push_back(absl::StrCat(p.years(), " years"));
  if (p.months() != 0) parts.push_back(absl::StrCat(p.months(), " months"));
  if (p.days() != 0) parts.push_back(absl::StrCat(p.days(), " days"));
  return parts.empty() ? "none" : absl::StrJoin(parts, " ");
}

std::string PeriodTextJa(const Message& m) {
  const auto& p = static_cast<const pip::v1::Period&>(m);
  std::string out;
  if (p.years() != 0) absl::StrAppend(&out, p.years(), "年");
  if (p.months() != 0) absl::StrAppend(&out, p.months(), "か月");
  if (p.days() != 0) absl::StrAppend(&out, p.days(), "日");
  return out.empty() ? "なし" : out;
}

std::string ScalarText(const Message& m, const FieldDescriptor* f,
                       int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index)
                              : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index)
                              : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index)
                              : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index)
                              : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index)
                              : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index)
                              : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      return std::string(
          (rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))
              ->name());
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

// A string field of `m` by name; empty when it has none.
std::string StringField(const Message& m, absl::string_view name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

bool BoolField(const Message& m, absl::string_view name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_BOOL) {
    return false;
  }
  return m.GetReflection()->GetBool(m, f);
}

// The stable key of a list element: its id (number for a clause, ground
// for a SpecialCareGround), or for a Condition what it requires; empty when
// the message has none.
std::string ElementKey(const Message& m, bool* is_id) {
  *is_id = false;
  for (absl::string_view name : {"id", "number", "ground"}) {
    const FieldDescriptor* f =
        m.GetDescriptor()->FindFieldByName(std::string(name));
    if (f != nullptr && !f->is_repeated() &&
        f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      *is_id = true;
      return m.GetReflection()->GetString(m, f);
    }
  }
  if (m.GetDescriptor()->full_name() == "pip.v1.Condition") {
    const auto& c = static_cast<const pip::v1::Condition&>(m);
    switch (c.requirement_case()) {
      case pip::v1::Condition::kConsent:
        return "consent";
      case pip::v1::Condition::kContext:
        return absl::StrCat("context:",
                            pip::v1::ContextFlag_Name(c.context()));
      case pip::v1::Condition::kPurposes:
        return "purposes";
      case pip::v1::Condition::REQUIREMENT_NOT_SET:
        return "none";
    }
  }
  return "";
}

// The keys of a list's elements, made unique: a repeated key gets "#2",
// "#3"; an element without one is keyed by its position.
std::vector<std::string> ListKeys(const Message& m, const FieldDescriptor* f,
                                  bool* by_id) {
  const Reflection* r = m.GetReflection();
  const int n = r->FieldSize(m, f);
  std::vector<std::string> keys;
  absl::flat_hash_map<std::string, int> seen;
  *by_id = false;
  for (int i = 0; i < n; ++i) {
    bool is_id = false;
    std::string key = ElementKey(r->GetRepeatedMessage(m, f, i), &is_id);
    *by_id = is_id;
    if (key.empty()) key = absl::StrCat(i);
    const int count = ++seen[key];
    if (count > 1) key = absl::StrCat(key, "#", count);
    keys.push_back(std::move(key));
  }
  return keys;
}

class Walker {
 public:
  explicit Walker(std::vector<RawChange>* out) : out_(out) {}

  void Compare(const Message& a, const Message& b, Context ctx) {
    const std::string number = StringField(b, "number").empty()
                                   ? StringField(a, "number")
                                   : StringField(b, "number");
    const std::string clause = StringField(b, "clause").empty()
                                   ? StringField(a, "clause")
                                   : StringField(b, "clause");
    if (!number.empty()) ctx.clause = number;
    if (!clause.empty()) ctx.clause = clause;
    const Descriptor* d = b.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->is_repeated()) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          List(a, b, f, ctx);
        } else {
          ScalarList(a, b, f, ctx);
        }
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& sa = a.GetReflection()->GetMessage(a, f);
        const Message& sb = b.GetReflection()->GetMessage(b, f);
        if (IsPeriod(f->message_type())) {
          if (PeriodText(sa) != PeriodText(sb)) {
            RawChange c = Make(ctx, f->name(), Kind::kChanged);
            c.old_value = PeriodText(sa);
            c.new_value = PeriodText(sb);
            c.old_item = &sa;
            c.new_item = &sb;
            out_->push_back(std::move(c));
          }
          continue;
        }
        Context sub = ctx;
        sub.path.push_back({f->name(), ""});
        Compare(sa, sb, sub);
      } else {
        const std::string va = ScalarText(a, f, 0);
        const std::string vb = ScalarText(b, f, 0);
        if (va != vb) {
          RawChange c = Make(ctx, f->name(), Kind::kChanged);
          c.old_value = va;
          c.new_value = vb;
          out_->push_back(std::move(c));
        }
      }
    }
  }

 private:
  static RawChange Make(const Context& ctx, const std::string& field,
                        Kind kind) {
    RawChange c;
    c.path = ctx.path;
    c.path.push_back({field, ""});
    c.kind = kind;
    c.id = ctx.id;
    c.clause = ctx.clause;
    c.owner = ctx.owner;
    return c;
  }

  void List(const Message& a, const Message& b, const FieldDescriptor* f,
            const Context& ctx) {
    bool a_by_id = false, b_by_id = false;
    const std::vector<std::string> ka = ListKeys(a, f, &a_by_id);
    const std::vector<std::string> kb = ListKeys(b, f, &b_by_id);
    const bool by_id = a_by_id || b_by_id;
    absl::flat_hash_map<std::string, int> ia, ib;
    for (int i = 0; i < static_cast<int>(ka.size()); ++i) ia[ka[i]] = i;
    for (int i = 0; i < static_cast<int>(kb.size()); ++i) ib[kb[i]] = i;
    const Reflection* ra = a.GetReflection();
    const Reflection* rb = b.GetReflection();
    const auto element_context = [&](const std::string& key,
                                      const Message& m) {
      Context sub = ctx;
      sub.path.push_back({f->name(), key});
      if (by_id) {
        sub.id = key;
        sub.owner = &m;
      }
      const std::string clause = StringField(m, "clause");
      if (!clause.empty()) sub.clause = clause;
      return sub;
    };
    for (int i = 0; i < static_cast<int>(ka.size()); ++i) {
      if (ib.contains(ka[i])) continue;
      const Message& m = ra->GetRepeatedMessage(a, f, i);
      RawChange c;
      Context sub = element_context(ka[i], m);
      c.path = sub.path;
      c.id = sub.id;
      c.clause = sub.clause;
      c.owner = sub.owner;
      c.kind = Kind::kRemoved;
      c.old_value = ka[i];
      c.old_item = &m;
      out_->push_back(std::move(c));
    }
    std::vector<std::string> common_a, common_b;
    for (const std::string& k : ka) {
      if (ib.contains(k)) common_a.push_back(k);
    }
    for (int i = 0; i < static_cast<int>(kb.size()); ++i) {
      const Message& m = rb->GetRepeatedMessage(b, f, i);
      auto it = ia.find(kb[i]);
      if (it == ia.end()) {
        RawChange c;
        Context sub = element_context(kb[i], m);
        c.path = sub.path;
        c.id = sub.id;
        c.clause = sub.clause;
        c.owner = sub.owner;
        c.kind = Kind::kAdded;
        c.new_value = kb[i];
        c.new_item = &m;
        out_->push_back(std::move(c));
        continue;
      }
      common_b.push_back(kb[i]);
      Compare(ra->GetRepeatedMessage(a, f, it->second), m,
               element_context(kb[i], m));
    }
    if (common_a != common_b) {
      RawChange c = Make(ctx, f->name(), Kind::kReordered);
      c.old_value = absl::StrJoin(common_a, ", ");
      c.new_value = absl::StrJoin(common_b, ", ");
      out_->push_back(std::move(c));
    }
  }

  void ScalarList(const Message& a, const Message& b, const FieldDescriptor* f,
                  const Context& ctx) {
    const auto values = [&](const Message& m) {
      std::vector<std::string> v;
      const int n = m.GetReflection()->FieldSize(m, f);
      for (int i = 0; i < n; ++i) v.push_back(ScalarText(m, f, i));
      return v;
    };
    const std::vector<std::string> va = values(a);
    const std::vector<std::string> vb = values(b);
    // Multiset difference: each value of one side used up once by the other.
    std::map<std::string, int> count_b;
    for (const std::string& v : vb) ++count_b[v];
    std::map<std::string, int> count_a;
    for (const std::string& v : va) ++count_a[v];
    std::vector<std::string> common_a, common_b;
    {
      std::map<std::string, int> left = count_b;
      for (const std::string& v : va) {
        if (left[v] > 0) {
          --left[v];
          common_a.push_back(v);
        } else {
          RawChange c = Make(ctx, f->name(), Kind::kRemoved);
          c.old_value = v;
          out_->push_back(std::move(c));
        }
      }
    }
    {
      std::map<std::string, int> left = count_a;
      for (const std::string& v : vb) {
        if (left[v] > 0) {
          --left[v];
          common_b.push_back(v);
        } else {
          RawChange c = Make(ctx, f->name(), Kind::kAdded);
          c.new_value = v;
          out_->push_back(std::move(c));
        }
      }
    }
    if (common_a != common_b) {
      RawChange c = Make(ctx, f->name(), Kind::kReordered);
      c.old_value = absl::StrJoin(common_a, ", ");
      c.new_value = absl::StrJoin(common_b, ", ");
      out_->push_back(std::move(c));
    }
  }

  std::vector<RawChange>* out_;
};

// --- Classification ----------------------------------------------------------

std::vector<absl::string_view> Fields(const RawChange& c) {
  std::vector<absl::string_view> f;
  for (const Segment& s : c.path) f.push_back(s.field);
  return f;
}

// The path's fields are exactly `names`.
bool Is(const RawChange& c, std::initializer_list<absl::string_view> names) {
  const std::vector<absl::string_view> f = Fields(c);
  return f == std::vector<absl::string_view>(names);
}

// The path's fields end with `names`.
bool EndsWith(const RawChange& c,
              std::initializer_list<absl::string_view> names) {
  const std::vector<absl::string_view> f = Fields(c);
  if (f.size() < names.size()) return false;
  size_t i = f.size() - names.size();
  for (absl::string_view n : names) {
    if (f[i++] != n) return false;
  }
  return true;
}

bool StartsWithField(const RawChange& c, absl::string_view name) {
  return !c.path.empty() && c.path.front().field == name;
}

absl::string_view Leaf(const RawChange& c) {
  return c.path.empty() ? absl::string_view() : c.path.back().field;
}

// The number a changed scalar had before and after; false if either is not
// a number.
bool Numbers(const RawChange& c, int64_t* before, int64_t* after) {
  return c.old_value && c.new_value &&
         absl::SimpleAtoi(*c.old_value, before) &&
         absl::SimpleAtoi(*c.new_value, after);
}

bool TurnedOff(const RawChange& c) {
  return c.kind == Kind::kChanged && c.old_value == "true" &&
         c.new_value == "false";
}

// Longer (> 0), shorter (< 0) or as long (0), for a changed Period.
int PeriodChange(const RawChange& c) {
  if (c.old_item == nullptr || c.new_item == nullptr) return 0;
  const int64_t a = PeriodLength(*c.old_item);
  const int64_t b = PeriodLength(*c.new_item);
  return a < b ? 1 : a > b ? -1 : 0;
}

// The value before and after, in Japanese for a period.
std::string OldJa(const RawChange& c) {
  return c.old_item != nullptr && IsPeriod(c.old_item->GetDescriptor())
             ? PeriodTextJa(*c.old_item)
             : c.old_value.value_or("");
}

std::string NewJa(const RawChange& c) {
  return c.new_item != nullptr && IsPeriod(c.new_item->GetDescriptor())
             ? PeriodTextJa(*c.new_item)
             : c.new_value.value_or("");
}

// "「label」(id)" for an item with a Japanese label, else the id.
std::string NameJa(const Message* m, const std::string& id) {
  if (m == nullptr) return id;
  const std::string label = StringField(*m, "label_ja");
  return label.empty() ? id : absl::StrCat("「", label, "」(", id, ")");
}

std::string NameEn(const Message* m, const std::string& id) {
  if (m == nullptr) return id;
  const std::string label = StringField(*m, "label_en");
  return label.empty() ? id : absl::StrCat("\"", label, "\" (", id, ")");
}

const absl::flat_hash_set<absl::string_view>& TextFields() {
  static const auto* fields = new absl::flat_hash_set<absl::string_view>{
      "title_ja",     "title_en",       "label_ja",       "label_en",
      "text_ja",      "text_en",        "period_ja",      "period_en",
      "examples_ja",  "acquires_ja",    "acquires_en",    "measure_ja",
      "measure_en",   "detail_ja",      "clock_event_ja", "clock_event_en",
      "finding_ja",   "finding_en",     "purpose_ja",     "purpose_en"};
  return *fields;
}

struct Verdict {
  ChangeClass change_class;
  std::string ja;
  std::string en;
};

Verdict NeedsConsent(std::string ja, std::string en) {
  return {ChangeClass::kNeedsConsent, std::move(ja), std::move(en)};
}
Verdict Weakens(std::string ja, std::string en) {
  return {ChangeClass::kWeakensProtection, std::move(ja), std::move(en)};
}

Verdict Classify(const RawChange& c) {
  const Kind k = c.kind;
  const std::string& id = c.id;
  const Message* item = c.new_item != nullptr ? c.new_item : c.old_item;
  const std::string who_ja = NameJa(c.owner, id);
  const std::string who_en = NameEn(c.owner, id);

  // The policy's own version and revision change with every new policy.
  if ((Is(c, {"version"}) || Is(c, {"revision"})) && k == Kind::kChanged) {
    return {ChangeClass::kOther,
            "方針の版の更新です。公表文の版と改定日を合わせてください。",
            "The policy's version: make the published notice's match."};
  }

  // --- needs_consent: purposes and their scope (APPI 17(2), 18(1), 21, 27).
  if (Is(c, {"purposes"}) && k == Kind::kAdded) {
    return NeedsConsent(
        absl::StrCat(
            "新しい利用目的", NameJa(item, id),
            "。変更前の利用目的と関連性を有すると合理的に認められる範囲を超える"
            "場合は、新しい利用の前に本人の同意が必要です(個人情報保護法第17条"
            "第2項、第18条第1項)。範囲内でも、本人への通知又は公表が必要です"
            "(第21条第3項)。"),
        absl::StrCat(
            "A new purpose of use, ", NameEn(item, id),
            ". Beyond what is reasonably related to the purposes as published, "
            "the person's consent is needed before the new use (APPI 17(2), "
            "18(1)); within it, the person must at least be notified or it "
            "published (APPI 21(3))."));
  }
  if (Is(c, {"purpose_groups"}) && k == Kind::kAdded) {
    return NeedsConsent(
        absl::StrCat("新しい利用目的の区分", NameJa(item, id),
                     "。その利用目的には本人の同意(第17条第2項を超える場合、"
                     "第18条第1項)又は通知・公表(第21条第3項)が必要です。"),
        absl::StrCat("A new group of purposes, ", NameEn(item, id),
                     ": its purposes need the person's consent (beyond APPI "
                     "17(2): 18(1)) or notice or publication (21(3))."));
  }
  if (Is(c, {"purposes", "group"}) && k == Kind::kChanged) {
    return NeedsConsent(
        absl::StrCat("利用目的", who_ja, "の区分が", c.old_value.value_or(""),
                     "から", c.new_value.value_or(""),
                     "に変わり、区分で利用を限定された情報の利用範囲が変わります。"
                     "広がる利用には本人の同意(第18条第1項)又は通知・公表"
                     "(第21条第3項)が必要です。"),
        absl::StrCat("Purpose ", who_en, " moves from group ",
                     c.old_value.value_or(""), " to ",
                     c.new_value.value_or(""),
                     ", which changes the data restricted to purposes by "
                     "group that it may use: a wider use needs the person's "
                     "consent (APPI 18(1)) or notice (21(3))."));
  }
  if (Is(c, {"categories"}) && k == Kind::kAdded) {
    const bool special = item != nullptr &&
                         BoolField(*item, "special_care_required");
    return NeedsConsent(
        absl::StrCat("新しく取得する個人情報の項目", NameJa(item, id), "。",
                     special ? "要配慮個人情報であり、取得にはあらかじめ本人の"
                               "同意が必要です(個人情報保護法第20条第2項)。"
                             : "",
                     "取得の際に利用目的の通知又は公表が必要です(第21条第1項、"
                     "第2項)。"),
        absl::StrCat("A new category of personal information, ",
                     NameEn(item, id), ". ",
                     special ? "It is special care-required: acquiring it "
                               "needs the person's prior consent (APPI "
                               "20(2)). "
                             : "",
                     "The purposes must be notified or published on "
                     "acquiring it (APPI 21(1), 21(2))."));
  }
  if ((Is(c, {"acquisition_channels"}) && k == Kind::kAdded) ||
      (Is(c, {"acquisition_channels", "acquired_categories"}) &&
       k == Kind::kAdded)) {
    const bool channel = Is(c, {"acquisition_channels"});
    return NeedsConsent(
        channel ? absl::StrCat("新しい取得方法", NameJa(item, id),
                               "。取得の際に利用目的の通知又は公表が必要です"
                               "(第21条第1項、第2項)。")
                : absl::StrCat("取得方法", who_ja, "で新しく", *c.new_value,
                               "を取得します。取得の際に利用目的の通知又は公表"
                               "が必要です(第21条第1項、第2項)。"),
        channel ? absl::StrCat("A new acquisition channel, ", NameEn(item, id),
                               ": the purposes must be notified or published "
                               "on acquiring through it (APPI 21(1), 21(2)).")
                : absl::StrCat("Channel ", who_en, " now acquires ",
                               *c.new_value,
                               ": the purposes must be notified or published "
                               "on acquiring it (APPI 21(1), 21(2))."));
  }
  if (Is(c, {"recipients"}) && k == Kind::kAdded) {
    return NeedsConsent(
        absl::StrCat("新しい提供先", NameJa(item, id),
                     "。第三者(外国にある第三者を含む)への提供には、あらかじめ"
                     "本人の同意が必要です(個人情報保護法第27条第1項、第28条"
                     "第1項)。委託(第27条第5項第1号)であれば利用目的の範囲内で"
                     "同意は不要ですが、公表内容の更新が必要です。"),
        absl::StrCat("A new recipient, ", NameEn(item, id),
                     ". Provision to a third party (abroad too) needs the "
                     "person's prior consent (APPI 27(1), 28(1)); "
                     "entrustment within the purposes (27(5)(i)) needs none, "
                     "but the published notice must say so."));
  }
  if (Is(c, {"recipients", "requires_named_consent"}) && TurnedOff(c)) {
    return NeedsConsent(
        absl::StrCat("提供先", who_ja,
                     "への提供に本人の同意を求めなくなります。第三者提供には"
                     "法令上あらかじめ本人の同意が必要です(第27条第1項、第28条"
                     "第1項)。同意を得てから提供してください。"),
        absl::StrCat("Provision to ", who_en,
                     " no longer asks for a consent naming it; the law still "
                     "requires the person's prior consent to provision to a "
                     "third party (APPI 27(1), 28(1)): obtain it before the "
                     "first provision."));
  }
  if (EndsWith(c, {"conditions"}) && k == Kind::kRemoved &&
      c.path.back().key == "purposes") {
    return NeedsConsent(
        absl::StrCat(who_ja,
                     "の利用目的の限定がなくなり、公表した利用目的を超えて"
                     "利用できるようになります。利用目的の達成に必要な範囲を"
                     "超える利用には本人の同意が必要です(第18条第1項)。"),
        absl::StrCat("The restriction of ", who_en,
                     " to some purposes is removed: using it beyond the "
                     "purposes as published needs the person's consent "
                     "(APPI 18(1))."));
  }
  if ((EndsWith(c, {"conditions", "purposes", "groups"}) ||
       EndsWith(c, {"conditions", "purposes", "purposes"})) &&
      k == Kind::kAdded) {
    return NeedsConsent(
        absl::StrCat(who_ja, "を新しく", *c.new_value,
                     "の利用目的に使えるようになります。公表した範囲を超える"
                     "利用には本人の同意が必要です(第18条第1項)。"),
        absl::StrCat(who_en, " may now be used for ", *c.new_value,
                     ": a use beyond the purposes as published needs the "
                     "person's consent (APPI 18(1))."));
  }

  // --- weakens_protection.
  if (EndsWith(c, {"conditions"}) && k == Kind::kRemoved) {
    const std::string article =
        item != nullptr ? StringField(*item, "article") : "";
    const std::string cited =
        article.empty() ? absl::StrCat("clause ", c.clause)
                        : absl::StrCat("clause ", c.clause, ", ", article);
    const std::string cited_ja =
        article.empty() ? absl::StrCat("方針 ", c.clause)
                        : absl::StrCat("方針 ", c.clause, "、", article);
    return Weakens(
        absl::StrCat(who_ja, "の利用条件(", c.path.back().key,
                     ")が削除されます(", cited_ja, ")。",
                     absl::StartsWith(c.path.back().key, "consent")
                         ? "本人の同意を確認せずに利用されることになります。"
                         : ""),
        absl::StrCat("A condition (", c.path.back().key, ") on ", who_en,
                     " is removed (", cited, ")",
                     absl::StartsWith(c.path.back().key, "consent")
                         ? ": it will be used without checking the person's "
                           "consent."
                         : "."));
  }
  if (EndsWith(c, {"conditions", "consent", "named"}) && TurnedOff(c)) {
    return Weakens(
        absl::StrCat(who_ja,
                     "の利用に、その項目を明示した同意を求めなくなります"
                     "(方針 ", c.clause, ")。"),
        absl::StrCat(who_en, " no longer needs a consent that names it (clause ",
                     c.clause, ")."));
  }
  if (Is(c, {"categories", "special_care_required"}) && TurnedOff(c)) {
    return Weakens(
        absl::StrCat(who_ja,
                     "が要配慮個人情報として扱われなくなります(個人情報保護法"
                     "第2条第3項、第20条第2項)。"),
        absl::StrCat(who_en,
                     " is no longer treated as special care-required (APPI "
                     "2(3), 20(2))."));
  }
  if (Is(c, {"categories", "misuse_may_cause_financial_harm"}) &&
      TurnedOff(c)) {
    return Weakens(
        absl::StrCat(who_ja, "の漏えいが財産的被害のおそれとして報告対象にならなく"
                         "なります(第26条第1項、施行規則第7条第2号)。"),
        absl::StrCat("A leak of ", who_en,
                     " is no longer reportable as possible financial harm "
                     "(APPI 26(1), Enforcement Rules 7(ii))."));
  }
  if (Is(c, {"recipients", "provision_record_required"}) && TurnedOff(c)) {
    return Weakens(
        absl::StrCat(who_ja, "への提供の記録を作成しなくなります(第29条第1項)。"),
        absl::StrCat("Provision to ", who_en,
                     " is no longer recorded (APPI 29(1))."));
  }
  if (Is(c, {"third_party_provision", "legal_grounds"}) && k == Kind::kAdded) {
    return Weakens(
        absl::StrCat("同意なく提供できる場合", NameJa(item, id),
                     "が加わります(第27条第1項)。"),
        absl::StrCat("A new case of provision without consent, ",
                     NameEn(item, id), " (APPI 27(1))."));
  }
  if (StartsWithField(c, "requests")) {
    if (Is(c, {"requests", "channels"}) && k == Kind::kRemoved) {
      return Weakens(
          absl::StrCat("請求の受付窓口", NameJa(item, id),
                       "がなくなります(方針 8.2、個人情報保護法第37条第1項)。"),
          absl::StrCat("Requests are no longer accepted by ", NameEn(item, id),
                       " (clause 8.2, APPI 37(1))."));
    }
    if ((Is(c, {"requests", "documents"}) ||
         Is(c, {"requests", "requesters", "required_documents"})) &&
        k == Kind::kRemoved) {
      const std::string doc = c.old_value.value_or(id);
      return Weakens(
          absl::StrCat("必要書類", doc,
                       "を求めなくなります(方針 8.2、8.3、第37条)。"
                       "本人確認の水準が下がらないか確認してください。"),
          absl::StrCat("The document ", doc,
                       " is no longer required (clauses 8.2, 8.3, APPI 37): "
                       "check that identity is still verified."));
    }
    if (Is(c, {"requests", "types"}) && k == Kind::kRemoved) {
      return Weakens(
          absl::StrCat("請求の種類", NameJa(item, id),
                       "を受け付けなくなります(方針 8.1、第33条から第35条)。"),
          absl::StrCat("Requests of type ", NameEn(item, id),
                       " are no longer accepted (clause 8.1, APPI 33-35)."));
    }
    if (Is(c, {"requests", "identity_verification_required"}) &&
        TurnedOff(c)) {
      return Weakens("回答前の本人確認を求めなくなります(方針 8.2)。",
                     "Identity is no longer verified before a response "
                     "(clause 8.2).");
    }
    if (Is(c, {"requests", "response_period"}) && PeriodChange(c) > 0) {
      return Weakens(
          absl::StrCat("請求への回答期限が", OldJa(c), "から",
                       NewJa(c), "に延びます(方針 8.2)。"),
          absl::StrCat("Requests are answered later: ", *c.old_value, " -> ",
                       *c.new_value, " (clause 8.2)."));
    }
    int64_t before = 0, after = 0;
    if (Is(c, {"requests", "types", "fee_jpy"}) && Numbers(c, &before, &after) &&
        after > before) {
      return Weakens(
          absl::StrCat(who_ja, "の手数料が", before, "円から", after,
                       "円に上がります(方針 8.3、第38条)。"),
          absl::StrCat("The fee for ", who_en, " rises from JPY ", before,
                       " to JPY ", after, " (clause 8.3, APPI 38)."));
    }
    if ((Is(c, {"requests", "types", "effect", "exempt_purposes"}) &&
         k == Kind::kAdded) ||
        (Is(c, {"requests", "types", "effect", "blocked_recipients"}) &&
         k == Kind::kRemoved) ||
        (Is(c, {"requests", "types", "effect", "blocks_all_purposes"}) &&
         TurnedOff(c))) {
      return Weakens(
          absl::StrCat(who_ja,
                       "の請求が止める利用が狭くなります(方針 8.1、第35条)。"),
          absl::StrCat("A request of type ", who_en,
                       " stops fewer uses (clause 8.1, APPI 35)."));
    }
    if (Is(c, {"requests", "review_grounds"}) && k == Kind::kAdded) {
      return Weakens(
          absl::StrCat("請求を拒否しうる理由", id, "が加わります(方針 8.3)。"),
          absl::StrCat("A new ground to refuse a request, ", id,
                       " (clause 8.3)."));
    }
  }
  if (StartsWithField(c, "retention")) {
    if (Is(c, {"retention", "kinds", "period"})) {
      const int change = PeriodChange(c);
      if (change > 0) {
        return Weakens(
            absl::StrCat(who_ja, "の保存期間が", OldJa(c), "から",
                         NewJa(c),
                         "に延び、公表した期間より長く保存されます(方針 7)。"),
            absl::StrCat(who_en, " is kept longer than announced: ",
                         *c.old_value, " -> ", *c.new_value, " (clause 7)."));
      }
      if (change < 0) {
        return {ChangeClass::kDeletesEarlier,
                absl::StrCat(who_ja, "の保存期間が", OldJa(c), "から",
                             NewJa(c),
                             "に短くなり、早く削除されます。新しい方針の施行前"
                             "に、削除時期が来る記録を確認してください(方針 7)。"),
                absl::StrCat(who_en, " is deleted earlier: ", *c.old_value,
                             " -> ", *c.new_value,
                             ". Check the records due under the new policy "
                             "before it takes effect (clause 7).")};
      }
    }
    if ((Is(c, {"retention", "statutory_floors", "period"}) &&
         PeriodChange(c) < 0) ||
        (Is(c, {"retention", "statutory_floors"}) && k == Kind::kRemoved) ||
        (Is(c, {"retention", "statutory_floors", "kinds"}) &&
         k == Kind::kRemoved)) {
      return {ChangeClass::kDeletesEarlier,
              absl::StrCat("法定保存期間", who_ja,
                           "による保存が短くなり、記録が早く削除されえます。"
                           "法令上の保存義務を確認してください(方針 7)。"),
              absl::StrCat("The statutory floor ", who_en,
                           " keeps records for less time, so they may be "
                           "deleted earlier: check the law's retention duty "
                           "(clause 7).")};
    }
    if (Is(c, {"retention", "kinds"}) && k == Kind::kRemoved) {
      return Weakens(
          absl::StrCat("保存区分", NameJa(item, id),
                       "がなくなり、その記録の保存期間が公表されなくなります"
                       "(clause 7)。"),
          absl::StrCat("The retention kind ", NameEn(item, id),
                       " is removed: its records no longer have an announced "
                       "period (clause 7)."));
    }
    if (Is(c, {"retention", "hold_types"}) && k == Kind::kRemoved) {
      return Weakens(
          absl::StrCat("保存期間の例外", NameJa(item, id),
                       "がなくなり、その理由で保存が必要な記録も期間満了で削除"
                       "されます(方針 7)。"),
          absl::StrCat("The hold ", NameEn(item, id),
                       " is removed: records it kept are deleted when their "
                       "period ends (clause 7)."));
    }
  }
  if ((Is(c, {"third_party_provision", "record", "keep_years"}) ||
       Is(c, {"acquisition", "confirmation", "contract_document_keep_years"}) ||
       Is(c, {"third_party_provision", "record",
              "contract_document_keep_years"}))) {
    int64_t before = 0, after = 0;
    if (Numbers(c, &before, &after) && after < before) {
      return {ChangeClass::kDeletesEarlier,
              absl::StrCat(Leaf(c), "が", before, "年から", after,
                           "年に短くなり、記録が早く削除されます(第29条第2項、"
                           "第30条第4項)。"),
              absl::StrCat(Leaf(c), " falls from ", before, " to ", after,
                           " years: records are deleted earlier (APPI 29(2), "
                           "30(4)).")};
    }
  }
  if ((Is(c, {"security_measures"}) || Is(c, {"principles"}) ||
       Is(c, {"contractor_management", "selection_criteria"}) ||
       Is(c, {"contractor_management", "required_contract_terms"}) ||
       Is(c, {"contractor_management", "supervision"}) ||
       Is(c, {"incidents", "duties"}) ||
       Is(c, {"complaints", "internal_flow"}) ||
       Is(c, {"complaints", "external_contacts"})) &&
      k == Kind::kRemoved) {
    const std::string law =
        StartsWithField(c, "security_measures")       ? "、第23条"
        : StartsWithField(c, "contractor_management") ? "、第25条"
        : StartsWithField(c, "incidents")             ? "、第26条"
                                                      : "";
    const std::string law_en =
        StartsWithField(c, "security_measures")       ? ", APPI 23"
        : StartsWithField(c, "contractor_management") ? ", APPI 25"
        : StartsWithField(c, "incidents")             ? ", APPI 26"
                                                      : "";
    return Weakens(
        absl::StrCat("安全管理・手続の定め", id, "が削除されます(方針 ",
                     c.clause, law, ")。"),
        absl::StrCat("The safeguard ", id, " is removed (clause ", c.clause,
                     law_en, ")."));
  }
  if (Is(c, {"contractor_management", "review_interval"}) &&
      PeriodChange(c) > 0) {
    return Weakens(
        absl::StrCat("委託先の点検の間隔が", OldJa(c), "から",
                     NewJa(c), "に延びます(方針 6.3、第25条)。"),
        absl::StrCat("Contractors are checked less often: ", *c.old_value,
                     " -> ", *c.new_value, " (clause 6.3, APPI 25)."));
  }
  if (StartsWithField(c, "incidents")) {
    int64_t before = 0, after = 0;
    if (Is(c, {"incidents", "people_threshold"}) &&
        Numbers(c, &before, &after) && after > before) {
      return Weakens(
          absl::StrCat("報告対象となる人数の基準が", before, "人超から", after,
                       "人超に上がります(第26条第1項、施行規則第7条第4号)。"),
          absl::StrCat("Fewer incidents are reportable: more than ", before,
                       " -> more than ", after,
                       " people (APPI 26(1), Enforcement Rules 7(iv))."));
    }
    if (c.old_item != nullptr && c.new_item != nullptr &&
        PeriodChange(c) > 0) {
      return Weakens(
          absl::StrCat("漏えい等の報告期限", Leaf(c), "が", OldJa(c),
                       "から", NewJa(c), "に延びます(第26条第1項)。"),
          absl::StrCat("An incident is reported later: ", Leaf(c), " ",
                       *c.old_value, " -> ", *c.new_value, " (APPI 26(1))."));
    }
  }
  {
    int64_t before = 0, after = 0;
    if (Is(c, {"min_consent_version"}) && Numbers(c, &before, &after) &&
        after < before) {
      return Weakens(
          absl::StrCat("同意の版", after, "以上", before,
                       "未満の古い同意にも再び依拠します。"),
          absl::StrCat("Older consents (version ", after, " to ", before - 1,
                       ") are relied on again."));
    }
    if (Is(c, {"minor_consent", "representative_required_below_age"}) &&
        Numbers(c, &before, &after) && (after < before)) {
      return Weakens(
          absl::StrCat("法定代理人の同意が必要な年齢が", before, "歳未満から",
                       after, "歳未満に下がります(PPC Q&A 1-62)。"),
          absl::StrCat("A legal representative's consent is needed below ",
                       after, " instead of ", before, " (PPC Q&A 1-62)."));
    }
  }

  // --- text_only.
  if (k == Kind::kChanged && TextFields().contains(Leaf(c))) {
    return {ChangeClass::kTextOnly,
            "文言のみの変更です。公表している方針の文面を更新してください。",
            "Wording only: update the published notice."};
  }

  // --- other: nothing above names it.
  const absl::string_view what_ja = k == Kind::kAdded     ? "追加"
                                    : k == Kind::kRemoved ? "削除"
                                    : k == Kind::kReordered
                                        ? "順序の変更"
                                        : "変更";
  const absl::string_view what_en = k == Kind::kAdded     ? "added"
                                    : k == Kind::kRemoved ? "removed"
                                    : k == Kind::kReordered
                                        ? "reordered"
                                        : "changed";
  return {ChangeClass::kOther,
          absl::StrCat(what_ja, "。上のどの分類にも当たりません。内容を確認して"
                                "ください。"),
          absl::StrCat(what_en, "; no rule above classifies it: review it.")};
}

std::string PathText(const std::vector<Segment>& path) {
  std::string out;
  for (const Segment& s : path) {
    if (!out.empty()) out += ".";
    out += s.field;
    if (!s.key.empty()) absl::StrAppend(&out, "[", s.key, "]");
  }
  return out;
}

void AppendJsonOptional(std::string* out,
                        const std::optional<std::string>& s) {
  if (s) {
    AppendJsonString(out, *s);
  } else {
    out->append("null");
  }
}

void AppendIdentity(std::string* out, const PolicyIdentity& p) {
  out->append("{\"name\":");
  AppendJsonString(out, p.name);
  out->append(",\"version\":");
  AppendJsonString(out, p.version);
  out->append(",\"hash\":");
  AppendJsonString(out, p.hash);
  out->append("}");
}

// A value on one line of the text report: line breaks as "\n", and a
// text longer than kShownBytes cut (at a character boundary) with "…".
// The JSON report has every value whole.
constexpr size_t kShownBytes = 120;

std::string Shown(const std::optional<std::string>& value) {
  if (!value) return "(none)";
  std::string out;
  for (const char ch : *value) {
    if (ch == '\n') {
      out += "\\n";
    } else if (ch != '\r') {
      out.push_back(ch);
    }
  }
  if (out.size() > kShownBytes) {
    size_t cut = kShownBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.resize(cut);
    out += "…";
  }
  return out;
}

bool AnyNeedsConsent(const std::vector<PolicyChange>& changes) {
  for (const PolicyChange& c : changes) {
    if (c.change_class == ChangeClass::kNeedsConsent) return true;
  }
  return false;
}

}  // namespace

absl::string_view ChangeClassName(ChangeClass c) {
  switch (c) {
    case ChangeClass::kNeedsConsent:
      return "needs_consent";
    case ChangeClass::kWeakensProtection:
      return "weakens_protection";
    case ChangeClass::kDeletesEarlier:
      return "deletes_earlier";
    case ChangeClass::kTextOnly:
      return "text_only";
    case ChangeClass::kOther:
      return "other";
  }
  return "other";
}

absl::string_view ChangeClassTitleJa(ChangeClass c) {
  switch (c) {
    case ChangeClass::kNeedsConsent:
      return "本人の同意(少なくとも通知・公表)が必要な変更";
    case ChangeClass::kWeakensProtection:
      return "保護を弱める変更";
    case ChangeClass::kDeletesEarlier:
      return "早く削除されるようになる変更(施行前に対象の記録を確認)";
    case ChangeClass::kTextOnly:
      return "文言のみの変更(公表文の更新のみ)";
    case ChangeClass::kOther:
      return "その他の変更(内容を確認)";
  }
  return "";
}

absl::string_view ChangeClassTitleEn(ChangeClass c) {
  switch (c) {
    case ChangeClass::kNeedsConsent:
      return "needs the person's consent, or at least notice, before the new "
             "use (APPI 17(2), 18(1), 21, 27)";
    case ChangeClass::kWeakensProtection:
      return "weakens protection";
    case ChangeClass::kDeletesEarlier:
      return "deletes data earlier: check the records due before the new "
             "policy takes effect (clause 7)";
    case ChangeClass::kTextOnly:
      return "wording only: update the published notice";
    case ChangeClass::kOther:
      return "other changes: review them";
  }
  return "";
}

std::vector<PolicyChange> DiffPolicies(const pip::v1::Policy& old_policy,
                                       const pip::v1::Policy& new_policy) {
  std::vector<RawChange> raw;
  Walker(&raw).Compare(old_policy, new_policy, Context());
  std::vector<PolicyChange> out;
  out.reserve(raw.size());
  for (const RawChange& r : raw) {
    Verdict v = Classify(r);
    PolicyChange c;
    c.change_class = v.change_class;
    c.path = PathText(r.path);
    c.id = r.id;
    c.old_value = r.old_value;
    c.new_value = r.new_value;
    c.clause = r.clause;
    c.message_ja = std::move(v.ja);
    c.message_en = std::move(v.en);
    out.push_back(std::move(c));
  }
  return out;
}

std::string FormatDiffText(const PolicyIdentity& old_policy,
                           const PolicyIdentity& new_policy,
                           const std::vector<PolicyChange>& changes) {
  std::string out = absl::StrCat(
      "旧 / old: ", old_policy.name, " (version ", old_policy.version,
      ", sha256 ", old_policy.hash, ")\n", "新 / new: ", new_policy.name,
      " (version ", new_policy.version, ", sha256 ", new_policy.hash, ")\n");
  if (changes.empty()) {
    out += "\n変更はありません / no change\n";
    return out;
  }
  for (ChangeClass cls : kAllChangeClasses) {
    std::vector<const PolicyChange*> group;
    for (const PolicyChange& c : changes) {
      if (c.change_class == cls) group.push_back(&c);
    }
    if (group.empty()) continue;
    absl::StrAppend(&out, "\n", ChangeClassName(cls), ": ",
                    ChangeClassTitleJa(cls), " / ", ChangeClassTitleEn(cls),
                    " (", group.size(), ")\n");
    for (const PolicyChange* c : group) {
      absl::StrAppend(&out, "  [", c->clause.empty() ? "-" : c->clause, "] ",
                      c->path, ": ", Shown(c->old_value), " -> ",
                      Shown(c->new_value), ": ", c->message_ja,
                      " / ", c->message_en, "\n");
    }
  }
  absl::StrAppend(
      &out, "\n", changes.size(), " changes; ",
      AnyNeedsConsent(changes)
          ? "本人の同意(又は通知・公表)が必要な変更があります / some need "
            "the person's consent (or notice)\n"
          : "本人の同意が必要な変更はありません / none needs the person's "
            "consent\n");
  return out;
}

std::string FormatDiffJson(const PolicyIdentity& old_policy,
                           const PolicyIdentity& new_policy,
                           const std::vector<PolicyChange>& changes) {
  std::string out = "{\"changes\":[";
  bool first = true;
  for (const PolicyChange& c : changes) {
    if (!first) out += ",";
    first = false;
    out += "{\"class\":";
    AppendJsonString(&out, ChangeClassName(c.change_class));
    out += ",\"path\":";
    AppendJsonString(&out, c.path);
    out += ",\"id\":";
    AppendJsonString(&out, c.id);
    out += ",\"old\":";
    AppendJsonOptional(&out, c.old_value);
    out += ",\"new\":";
    AppendJsonOptional(&out, c.new_value);
    out += ",\"clause\":";
    AppendJsonString(&out, c.clause);
    out += ",\"message_ja\":";
    AppendJsonString(&out, c.message_ja);
    out += ",\"message_en\":";
    AppendJsonString(&out, c.message_en);
    out += "}";
  }
  out += "],\"needs_consent\":";
  out += AnyNeedsConsent(changes) ? "true" : "false";
  out += ",\"old\":";
  AppendIdentity(&out, old_policy);
  out += ",\"new\":";
  AppendIdentity(&out, new_policy);
  out += "}";
  return out;
}

}  // namespace pipctl
