// Validation of a pip.v1.Policy: every rule a policy must satisfy before it
// is compiled, each problem reported with its field path, its line and the
// clause of the item it belongs to.
#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/descriptor.h"
#include "pip/limits.h"
#include "src/policy/id_set.h"
#include "src/policy/load.h"
#include "src/internal/message_checks.h"
#include "src/policy/suggest.h"

namespace pip {
namespace policy_internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::TextFormat;

// A location in the policy message: a chain of (field, index) steps.
struct Step {
  const FieldDescriptor* field;
  int index;  // -1 for a singular field
};

class Path {
 public:
  Path() = default;

  // The path to `field` (by name) of `parent`, which sits at this path.
  Path Field(const Message& parent, absl::string_view name,
             int index = -1) const {
    const FieldDescriptor* f =
        parent.GetDescriptor()->FindFieldByName(std::string(name));
    Path p = *this;
    p.steps_.push_back({f, index});
    return p;
  }

  std::string ToString() const {
    std::string out;
    for (const Step& s : steps_) {
      if (!out.empty()) out += ".";
      out += s.field->name();
      if (s.index >= 0) absl::StrAppend(&out, "[", s.index, "]");
    }
    return out;
  }

  // The path `text` names (as ToString writes it) in a message of type
  // `type`; stops at the first step it cannot read (a field this schema
  // does not know), so that Locate falls back to the enclosing value.
  static Path Parse(const google::protobuf::Descriptor* type,
                    absl::string_view text) {
    Path p;
    for (absl::string_view step : absl::StrSplit(text, '.')) {
      if (type == nullptr) break;
      int index = -1;
      const size_t bracket = step.find('[');
      if (bracket != absl::string_view::npos) {
        if (!absl::SimpleAtoi(
                step.substr(bracket + 1, step.size() - bracket - 2), &index)) {
          break;
        }
        step = step.substr(0, bracket);
      }
      const FieldDescriptor* f = type->FindFieldByName(std::string(step));
      if (f == nullptr) break;
      p.steps_.push_back({f, index});
      type = f->message_type();
    }
    return p;
  }

  // 1-based (line, column) of the value in the text, or (0, 0). Falls back to
  // the nearest enclosing value that has a location.
  std::pair<int, int> Locate(const TextFormat::ParseInfoTree* tree) const {
    std::pair<int, int> found = {0, 0};
    for (const Step& s : steps_) {
      if (tree == nullptr) break;
      // A path to a whole list points at its first element; protobuf treats
      // index -1 on a repeated field as a fatal error.
      const int index = (s.index < 0 && s.field->is_repeated()) ? 0 : s.index;
      const auto loc = tree->GetLocation(s.field, index);
      if (loc.line < 0) break;
      found = {loc.line + 1, loc.column + 1};
      if (s.field->type() != FieldDescriptor::TYPE_MESSAGE) break;
      tree = tree->GetTreeForNested(s.field, index);
    }
    return found;
  }

 private:
  std::vector<Step> steps_;
};

bool IsValidId(absl::string_view id) {
  if (id.empty() || !(absl::ascii_islower(id[0]) || absl::ascii_isdigit(id[0])))
    return false;
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' ||
          c == '.')) {
      return false;
    }
  }
  return true;
}

int DaysInMonth(int month) {
  // A fiscal year end must exist every year, so February has 28 days.
  const absl::CivilMonth m(2023, month);
  return static_cast<int>(absl::CivilDay(m + 1) - absl::CivilDay(m));
}

void SortByLine(std::vector<PolicyProblem>::iterator begin,
                std::vector<PolicyProblem>::iterator end) {
  std::stable_sort(begin, end,
                   [](const PolicyProblem& a, const PolicyProblem& b) {
                     return a.line < b.line;
                   });
}

class Validator {
 public:
  Validator(const v1::Policy& policy,
            const TextFormat::ParseInfoTree* locations, absl::string_view file)
      : policy_(policy), locations_(locations), file_(file) {}

  std::vector<PolicyProblem> Run() {
    const Path root;
    if (policy_.version().empty()) {
      Report(root.Field(policy_, "version"), "", "is required");
    }
    if (policy_.revision() <= 0) {
      Report(root.Field(policy_, "revision"), "",
             absl::StrCat("must be positive, got ", policy_.revision()));
    }
    if (policy_.min_consent_version() < 0) {
      Report(root.Field(policy_, "min_consent_version"), "",
             "must not be negative");
    }
    CheckClauses(root);
    CheckMinorConsent(root);
    CheckProvisions(root, policy_, "principles", policy_.principles());
    CheckCategories(root);
    CheckPurposes(root);
    CheckCategoryConditions(root);
    CheckChannels(root);
    CheckRecipients(root);
    CheckSecurityMeasures(root);
    CheckContractors(root.Field(policy_, "contractor_management"));
    CheckRetention(root.Field(policy_, "retention"));
    CheckThirdPartyProvision(root.Field(policy_, "third_party_provision"));
    if (policy_.has_acquisition()) {
      CheckAcquisition(root.Field(policy_, "acquisition"));
    }
    CheckRequests(root.Field(policy_, "requests"));
    CheckComplaints(root.Field(policy_, "complaints"));
    if (policy_.has_incidents()) {
      CheckIncidents(root.Field(policy_, "incidents"));
    }
    SortByLine(problems_.begin(), problems_.end());
    return std::move(problems_);
  }

  int unlisted() const { return unlisted_; }

 private:
  // A standard container, not absl::flat_hash_map: a policy is validated
  // while an engine keeps running, and a std::bad_alloc while an id is
  // inserted must unwind cleanly (Abseil's tables are not exception-safe).
  using Index = std::unordered_map<std::string, int>;

  void Report(const Path& path, absl::string_view clause,
              absl::string_view message) {
    if (static_cast<int>(problems_.size()) >= kMaxPolicyProblems) {
      ++unlisted_;
      return;
    }
    PolicyProblem p;
    p.file = file_;
    std::tie(p.line, p.column) = path.Locate(locations_);
    p.field = path.ToString();
    p.clause = std::string(clause);
    p.message = std::string(message);
    problems_.push_back(std::move(p));
  }

  // " (did you mean 'x'?)" for the first kMaxPolicySuggestions unknown
  // references of at most 64 bytes that are listed, else "": each compares
  // the reference with every id of its kind, and a policy of many wrong
  // references must still be checked in time linear in its size.
  std::string Suggest(absl::string_view unknown, const Index& known) {
    if (suggestions_left_ <= 0 || unknown.size() > 64 ||
        static_cast<int>(problems_.size()) >= kMaxPolicyProblems) {
      return "";
    }
    --suggestions_left_;
    return SuggestionFrom(unknown, known);
  }

  // Checks an id field and records it in `index`; reports a malformed or
  // duplicate id.
  void CheckId(const Path& item, const Message& msg, const std::string& id,
               absl::string_view clause, Index* index) {
    const Path path = item.Field(msg, "id");
    if (id.empty()) {
      Report(path, clause, "id is required");
      return;
    }
    if (!IsValidId(id)) {
      Report(path, clause,
             absl::StrCat("id '", id,
                          "' must be lowercase ASCII letters, digits, '_' or "
                          "'.'"));
    }
    if (!index->emplace(id, static_cast<int>(index->size())).second) {
      Report(path, clause, absl::StrCat("duplicate id '", id, "'"));
    }
  }

  // Checks that `number` names a clause of the clause table.
  void CheckClauseRef(const Path& path, const std::string& number) {
    if (number.empty()) {
      Report(path, "", "a clause is required");
    } else if (!clauses_.count(number)) {
      Report(path, "",
             absl::StrCat("clause '", number,
                          "' is not in the policy's clause table",
                          Suggest(number, clauses_)));
    }
  }

  void CheckRef(const Path& path, absl::string_view clause,
                const std::string& id, const Index& index,
                absl::string_view what) {
    if (id.empty()) {
      Report(path, clause, absl::StrCat("a ", what, " id is required"));
    } else if (!index.count(id)) {
      Report(path, clause,
             absl::StrCat("unknown ", what, " '", id, "'",
                          Suggest(id, index)));
    }
  }

  void CheckLimit(const Path& path, int size, absl::string_view what) {
    if (size > kMaxIdsPerKind) {
      Report(path, "",
             absl::StrCat(size, " ", what, "; a policy may define at most ",
                          kMaxIdsPerKind));
    }
  }

  void CheckPeriod(const Path& path, absl::string_view clause,
                   const v1::Period& p) {
    const int positive = (p.years() > 0) + (p.months() > 0) + (p.days() > 0);
    if (p.years() < 0 || p.months() < 0 || p.days() < 0 || positive != 1) {
      Report(path, clause,
             absl::StrCat("a period must have exactly one positive component "
                          "(years, months or days); got years=",
                          p.years(), " months=", p.months(),
                          " days=", p.days()));
    } else if (p.years() > 1000 || p.months() > 12000 ||
               p.days() > 366000) {
      Report(path, clause, "a period may be at most 1000 years");
    }
  }

  void CheckClock(const Path& path, absl::string_view clause,
                  v1::RetentionClock clock) {
    if (clock == v1::RETENTION_CLOCK_UNSPECIFIED ||
        !v1::RetentionClock_IsValid(clock)) {
      Report(path, clause,
             "clock must be RETENTION_CLOCK_EVENT, "
             "RETENTION_CLOCK_FILING_DEADLINE or "
             "RETENTION_CLOCK_FISCAL_YEAR_END");
    }
  }

  void CheckClauses(const Path& root) {
    for (int i = 0; i < policy_.clauses_size(); ++i) {
      const v1::Clause& c = policy_.clauses(i);
      const Path path = root.Field(policy_, "clauses", i).Field(c, "number");
      if (c.number().empty()) {
        Report(path, "", "clause number is required");
      } else if (!clauses_.emplace(c.number(), i).second) {
        Report(path, c.number(),
               absl::StrCat("duplicate clause '", c.number(), "'"));
      }
    }
  }

  // The id and clause of each item of a list (any message with `id` and
  // `clause`); records the ids in `ids`.
  template <typename Item>
  void CheckItems(const Path& parent_path, const Message& parent,
                  absl::string_view list,
                  const google::protobuf::RepeatedPtrField<Item>& items,
                  Index* ids) {
    for (int i = 0; i < items.size(); ++i) {
      const Item& p = items.Get(i);
      const Path path = parent_path.Field(parent, list, i);
      CheckId(path, p, p.id(), p.clause(), ids);
      CheckClauseRef(path.Field(p, "clause"), p.clause());
    }
  }

  // A list of Provision, or of a message that begins with Provision's
  // fields (id, clause, text_ja, text_en).
  template <typename Item>
  void CheckProvisions(const Path& parent_path, const Message& parent,
                       absl::string_view list,
                       const google::protobuf::RepeatedPtrField<Item>& items) {
    Index ids;
    CheckItems(parent_path, parent, list, items, &ids);
    for (int i = 0; i < items.size(); ++i) {
      const Item& p = items.Get(i);
      Require(parent_path.Field(parent, list, i), p, "text_ja", p.clause(),
              p.text_ja());
    }
  }

  // Reports `field` of `item` when it is empty.
  void Require(const Path& path, const Message& item, absl::string_view field,
               absl::string_view clause, const std::string& value) {
    if (value.empty()) {
      Report(path.Field(item, field), clause, absl::StrCat(field, " is required"));
    }
  }

  // Clause 9: the steps of 9.1 with their owners, the bodies of 9.2.
  void CheckComplaints(const Path& path) {
    const auto& c = policy_.complaints();
    CheckLimit(path.Field(c, "internal_flow"), c.internal_flow_size(),
               "complaint steps");
    CheckLimit(path.Field(c, "external_contacts"), c.external_contacts_size(),
               "external bodies");
    Index roles;
    CheckItems(path, c, "roles", c.roles(), &roles);
    for (int i = 0; i < c.roles_size(); ++i) {
      const auto& r = c.roles(i);
      Require(path.Field(c, "roles", i), r, "label_ja", r.clause(),
              r.label_ja());
    }
    CheckProvisions(path, c, "internal_flow", c.internal_flow());
    for (int i = 0; i < c.internal_flow_size(); ++i) {
      const auto& s = c.internal_flow(i);
      const Path spath = path.Field(c, "internal_flow", i);
      Require(spath, s, "label_ja", s.clause(), s.label_ja());
      CheckRef(spath.Field(s, "owner"), s.clause(), s.owner(), roles, "role");
    }
    CheckProvisions(path, c, "external_contacts", c.external_contacts());
    for (int i = 0; i < c.external_contacts_size(); ++i) {
      const auto& b = c.external_contacts(i);
      const Path bpath = path.Field(c, "external_contacts", i);
      Require(bpath, b, "label_ja", b.clause(), b.label_ja());
      Require(bpath, b, "purpose_ja", b.clause(), b.purpose_ja());
    }
  }

  // Clause 6: the criteria, terms and supervision measures, and what
  // contractor_check counts and cites: the review interval of the periodic
  // check (6.3, 5.1), the article beside the clause (APPI 25) and the cases
  // of APPI 28 with their recipients. The section may be empty; once it
  // lists anything, what contractor_check needs is required.
  void CheckContractors(const Path& path) {
    const auto& cm = policy_.contractor_management();
    CheckProvisions(path, cm, "selection_criteria", cm.selection_criteria());
    CheckProvisions(path, cm, "required_contract_terms",
                    cm.required_contract_terms());
    CheckProvisions(path, cm, "supervision", cm.supervision());
    if (cm.selection_criteria().empty() &&
        cm.required_contract_terms().empty() && cm.supervision().empty()) {
      return;
    }
    CheckClauseRef(path.Field(cm, "clause"), cm.clause());
    if (!cm.article().empty()) {
      CheckClauseRef(path.Field(cm, "article"), cm.article());
    }
    CheckClauseRef(path.Field(cm, "review_interval_clause"),
                   cm.review_interval_clause());
    if (!cm.has_review_interval()) {
      Report(path.Field(cm, "review_interval"), cm.review_interval_clause(),
             "a review interval of the contractor's security management is "
             "required (6.3 定期的な安全管理状況の確認), e.g. { years: 1 }");
    } else {
      CheckPeriod(path.Field(cm, "review_interval"),
                  cm.review_interval_clause(), cm.review_interval());
    }
    bool periodic_known = false;
    for (const auto& item : cm.supervision()) {
      periodic_known |= item.id() == cm.periodic_check();
    }
    if (cm.periodic_check().empty() || !periodic_known) {
      Report(path.Field(cm, "periodic_check"), cm.review_interval_clause(),
             cm.periodic_check().empty()
                 ? std::string("the id of the periodic check (an item of "
                               "`supervision`) is required")
                 : absl::StrCat("unknown supervision item '",
                                cm.periodic_check(), "'"));
    }
    const Path opath = path.Field(cm, "overseas");
    const auto& o = cm.overseas();
    const std::pair<const char*, const std::string*> clauses[] = {
        {"clause", &o.clause()},
        {"consent_article", &o.consent_article()},
        {"equivalent_measures_article", &o.equivalent_measures_article()},
        {"continuing_measures_clause", &o.continuing_measures_clause()},
        {"continuing_measures_article", &o.continuing_measures_article()},
    };
    for (const auto& [field, number] : clauses) {
      CheckClauseRef(opath.Field(o, field), *number);
    }
    const std::pair<const char*, const std::string*> recipients[] = {
        {"domestic_recipient", &o.domestic_recipient()},
        {"consent_recipient", &o.consent_recipient()},
        {"equivalent_measures_recipient", &o.equivalent_measures_recipient()},
    };
    for (const auto& [field, id] : recipients) {
      CheckRef(opath.Field(o, field), o.clause(), *id, recipients_,
               "recipient");
    }
    // APPI 28(1): the persons' consent is what makes the entrustment
    // lawful, so purpose_allowed must ask for it.
    for (const auto& r : policy_.recipients()) {
      if (r.id() == o.consent_recipient() && !r.requires_named_consent()) {
        Report(opath.Field(o, "consent_recipient"), o.clause(),
               absl::StrCat("the recipient '", r.id(),
                            "' must require a named consent "
                            "(requires_named_consent: true): a contractor "
                            "abroad relied on through consent needs it "
                            "(APPI 28(1))"));
      }
    }
  }

  // Clause 1.4 and APPI 26: every clause a finding cites, the threshold,
  // the periods and the day the amended 施行規則 7(3) applies from.
  void CheckIncidents(const Path& path) {
    const auto& n = policy_.incidents();
    CheckClauseRef(path.Field(n, "clause"), n.clause());
    CheckProvisions(path, n, "duties", n.duties());
    const std::pair<const char*, const std::string*> clauses[] = {
        {"report_clause", &n.report_clause()},
        {"notify_clause", &n.notify_clause()},
        {"special_care_clause", &n.special_care_clause()},
        {"financial_harm_clause", &n.financial_harm_clause()},
        {"wrongful_purpose_clause", &n.wrongful_purpose_clause()},
        {"people_clause", &n.people_clause()},
        {"encryption_clause", &n.encryption_clause()},
        {"preliminary_report_clause", &n.preliminary_report_clause()},
        {"final_report_clause", &n.final_report_clause()},
    };
    for (const auto& [field, number] : clauses) {
      CheckClauseRef(path.Field(n, field), *number);
    }
    if (n.people_threshold() <= 0) {
      Report(path.Field(n, "people_threshold"), n.people_clause(),
             absl::StrCat("must be positive, got ", n.people_threshold()));
    }
    // The deadlines are counted in days (the guidance's 3-5 days, 30 and
    // 60 days).
    const std::pair<const char*, const v1::Period*> periods[] = {
        {"preliminary_report_earliest", &n.preliminary_report_earliest()},
        {"preliminary_report_latest", &n.preliminary_report_latest()},
        {"final_report_period", &n.final_report_period()},
        {"final_report_period_wrongful_purpose",
         &n.final_report_period_wrongful_purpose()},
    };
    for (const auto& [field, period] : periods) {
      CheckPeriod(path.Field(n, field), n.clause(), *period);
      if (period->years() != 0 || period->months() != 0) {
        Report(path.Field(n, field), n.clause(),
               "an incident deadline is a period of days");
      }
    }
    if (n.preliminary_report_earliest().days() >
        n.preliminary_report_latest().days()) {
      Report(path.Field(n, "preliminary_report_latest"), n.clause(),
             "must not be shorter than preliminary_report_earliest");
    }
    if (n.final_report_period().days() >
        n.final_report_period_wrongful_purpose().days()) {
      Report(path.Field(n, "final_report_period_wrongful_purpose"), n.clause(),
             "must not be shorter than final_report_period");
    }
    absl::CivilDay day;
    if (!absl::ParseCivilTime(n.acquisition_counts_from(), &day) ||
        absl::FormatCivilTime(day) != n.acquisition_counts_from()) {
      Report(path.Field(n, "acquisition_counts_from"),
             n.wrongful_purpose_clause(),
             absl::StrCat("must be a date \"YYYY-MM-DD\", got \"",
                          n.acquisition_counts_from(), "\""));
    }
  }

  void CheckCategories(const Path& root) {
    Index groups;
    for (int i = 0; i < policy_.category_groups_size(); ++i) {
      const auto& g = policy_.category_groups(i);
      const Path path = root.Field(policy_, "category_groups", i);
      CheckId(path, g, g.id(), g.clause(), &groups);
      CheckClauseRef(path.Field(g, "clause"), g.clause());
    }
    CheckLimit(root.Field(policy_, "categories"), policy_.categories_size(),
               "categories");
    if (policy_.categories_size() == 0) {
      Report(root.Field(policy_, "categories"), "2",
             "the policy defines no categories");
    }
    for (int i = 0; i < policy_.categories_size(); ++i) {
      const auto& c = policy_.categories(i);
      const Path path = root.Field(policy_, "categories", i);
      CheckId(path, c, c.id(), c.clause(), &categories_);
      CheckClauseRef(path.Field(c, "clause"), c.clause());
      CheckRef(path.Field(c, "group"), c.clause(), c.group(), groups,
               "category group");
      if (c.label_ja().empty()) {
        Report(path.Field(c, "label_ja"), c.clause(), "label_ja is required");
      }
    }
  }

  void CheckPurposes(const Path& root) {
    for (int i = 0; i < policy_.purpose_groups_size(); ++i) {
      const auto& g = policy_.purpose_groups(i);
      const Path path = root.Field(policy_, "purpose_groups", i);
      CheckId(path, g, g.id(), g.clause(), &purpose_groups_);
      CheckClauseRef(path.Field(g, "clause"), g.clause());
    }
    CheckLimit(root.Field(policy_, "purposes"), policy_.purposes_size(),
               "purposes");
    if (policy_.purposes_size() == 0) {
      Report(root.Field(policy_, "purposes"), "4",
             "the policy defines no purposes");
    }
    for (int i = 0; i < policy_.purposes_size(); ++i) {
      const auto& p = policy_.purposes(i);
      const Path path = root.Field(policy_, "purposes", i);
      CheckId(path, p, p.id(), p.clause(), &purposes_);
      CheckClauseRef(path.Field(p, "clause"), p.clause());
      CheckRef(path.Field(p, "group"), p.clause(), p.group(), purpose_groups_,
               "purpose group");
      if (p.label_ja().empty()) {
        Report(path.Field(p, "label_ja"), p.clause(), "label_ja is required");
      }
    }
    // Purpose conditions need the full purpose list, so they come after it.
    for (int i = 0; i < policy_.purposes_size(); ++i) {
      const auto& p = policy_.purposes(i);
      const Path path = root.Field(policy_, "purposes", i);
      for (int j = 0; j < p.conditions_size(); ++j) {
        const auto& cond = p.conditions(j);
        const Path cpath = path.Field(p, "conditions", j);
        if (cond.has_purposes()) {
          Report(cpath.Field(cond, "purposes"), cond.clause(),
                 "a purpose cannot be restricted to other purposes");
        }
        CheckCondition(cpath, cond);
      }
    }
  }

  // PPC Q&A 1-62: an age between 0 (no rule) and 150, and a clause to cite
  // when there is a rule.
  void CheckMinorConsent(const Path& root) {
    const v1::MinorConsent& m = policy_.minor_consent();
    const Path path = root.Field(policy_, "minor_consent");
    const int32_t age = m.representative_required_below_age();
    if (age < 0 || age > 150) {
      Report(path.Field(m, "representative_required_below_age"), m.clause(),
             absl::StrCat("must be 0 (no age rule) to 150, got ", age));
    }
    if (age > 0 || !m.clause().empty()) {
      CheckClauseRef(path.Field(m, "clause"), m.clause());
    }
  }

  // Checks one condition; returns the purposes it allows (all, unless it is
  // a purpose restriction).
  IdSet CheckCondition(const Path& path, const v1::Condition& cond) {
    CheckClauseRef(path.Field(cond, "clause"), cond.clause());
    if (!cond.article().empty()) {
      CheckClauseRef(path.Field(cond, "article"), cond.article());
    }
    IdSet allowed = IdSet::All(policy_.purposes_size());
    switch (cond.requirement_case()) {
      case v1::Condition::REQUIREMENT_NOT_SET:
        Report(path, cond.clause(),
               "a condition needs a requirement: consent, context or "
               "purposes");
        break;
      case v1::Condition::kConsent:
        break;
      case v1::Condition::kContext:
        if (cond.context() == v1::CONTEXT_FLAG_UNSPECIFIED ||
            !v1::ContextFlag_IsValid(cond.context())) {
          Report(path.Field(cond, "context"), cond.clause(),
                 "context must name a flag such as CONTEXT_ANONYMIZED");
        }
        break;
      case v1::Condition::kPurposes: {
        const auto& r = cond.purposes();
        const Path rpath = path.Field(cond, "purposes");
        if (r.groups_size() == 0 && r.purposes_size() == 0) {
          Report(rpath, cond.clause(),
                 "a purpose restriction must name groups or purposes");
        }
        IdSet set;
        for (int k = 0; k < r.groups_size(); ++k) {
          CheckRef(rpath.Field(r, "groups", k), cond.clause(), r.groups(k),
                   purpose_groups_, "purpose group");
          for (int p = 0; p < policy_.purposes_size(); ++p) {
            if (policy_.purposes(p).group() == r.groups(k)) set.Insert(p);
          }
        }
        for (int k = 0; k < r.purposes_size(); ++k) {
          CheckRef(rpath.Field(r, "purposes", k), cond.clause(),
                   r.purposes(k), purposes_, "purpose");
          auto it = purposes_.find(r.purposes(k));
          if (it != purposes_.end()) set.Insert(it->second);
        }
        allowed = set;
        break;
      }
    }
    return allowed;
  }

  void CheckCategoryConditions(const Path& root) {
    for (int i = 0; i < policy_.categories_size(); ++i) {
      const auto& c = policy_.categories(i);
      const Path path = root.Field(policy_, "categories", i);
      IdSet allowed = IdSet::All(policy_.purposes_size());
      bool restricted = false;
      for (int j = 0; j < c.conditions_size(); ++j) {
        const auto& cond = c.conditions(j);
        allowed = allowed & CheckCondition(path.Field(c, "conditions", j), cond);
        restricted |= cond.has_purposes();
      }
      if (restricted && allowed.Empty()) {
        Report(path.Field(c, "conditions"), c.clause(),
               absl::StrCat("contradictory conditions: no purpose may ever "
                            "use category '",
                            c.id(), "'"));
      }
      // A purpose that demands consent while the category is restricted to
      // other purposes is harmless; but requiring a context flag that a
      // restricted-to purpose forbids cannot happen: flags are independent.
    }
  }

  void CheckChannels(const Path& root) {
    Index ids;
    for (int i = 0; i < policy_.acquisition_channels_size(); ++i) {
      const auto& ch = policy_.acquisition_channels(i);
      const Path path = root.Field(policy_, "acquisition_channels", i);
      CheckId(path, ch, ch.id(), ch.clause(), &ids);
      CheckClauseRef(path.Field(ch, "clause"), ch.clause());
      for (int k = 0; k < ch.acquired_categories_size(); ++k) {
        CheckRef(path.Field(ch, "acquired_categories", k), ch.clause(),
                 ch.acquired_categories(k), categories_, "category");
      }
      // APPI 21(2): writing matters only where the person hands it over.
      if (ch.written() && !ch.direct()) {
        Report(path.Field(ch, "written"), ch.clause(),
               "contradictory: written applies only to a channel that "
               "acquires directly from the data subject (direct: true; "
               "APPI 21(2))");
      }
      if (ch.from_third_party() && ch.direct()) {
        Report(path.Field(ch, "from_third_party"), ch.clause(),
               "contradictory: data provided by a third party is not "
               "acquired directly from the data subject (direct: true)");
      }
      if (ch.from_third_party() && !policy_.acquisition().has_confirmation()) {
        Report(path.Field(ch, "from_third_party"), ch.clause(),
               "a channel that receives data from a third party needs the "
               "confirmation rule `acquisition.confirmation` (APPI 30)");
      }
    }
    CheckLimit(root.Field(policy_, "acquisition_channels"),
               policy_.acquisition_channels_size(), "acquisition channels");
  }

  // Policy.acquisition: APPI 20(2), 21, 30. Every article in the clause
  // table; the legal grounds and the retention kind it names exist.
  void CheckAcquisition(const Path& path) {
    const auto& a = policy_.acquisition();
    CheckClauseRef(path.Field(a, "special_care_article"),
                   a.special_care_article());
    CheckClauseRef(path.Field(a, "published_article"), a.published_article());
    CheckClauseRef(path.Field(a, "written_notice_article"),
                   a.written_notice_article());
    CheckClauseRef(path.Field(a, "published_purposes_article"),
                   a.published_purposes_article());
    Index grounds;
    for (const auto& g : policy_.third_party_provision().legal_grounds()) {
      grounds.emplace(g.id(), static_cast<int>(grounds.size()));
    }
    Index seen;
    for (int i = 0; i < a.special_care_grounds_size(); ++i) {
      const auto& g = a.special_care_grounds(i);
      const Path gpath = path.Field(a, "special_care_grounds", i);
      CheckRef(gpath.Field(g, "ground"), a.special_care_article(), g.ground(),
               grounds, "legal ground");
      if (!seen.emplace(g.ground(), i).second) {
        Report(gpath.Field(g, "ground"), a.special_care_article(),
               absl::StrCat("duplicate legal ground '", g.ground(), "'"));
      }
      CheckClauseRef(gpath.Field(g, "article"), g.article());
    }
    if (!a.has_confirmation()) return;
    const auto& r = a.confirmation();
    const Path rpath = path.Field(a, "confirmation");
    CheckClauseRef(rpath.Field(r, "article"), r.article());
    CheckClauseRef(rpath.Field(r, "record_article"), r.record_article());
    CheckClauseRef(rpath.Field(r, "period_article"), r.period_article());
    CheckClauseRef(rpath.Field(r, "contractor_article"), r.contractor_article());
    CheckClauseRef(rpath.Field(r, "successor_article"), r.successor_article());
    CheckClauseRef(rpath.Field(r, "joint_use_article"), r.joint_use_article());
    Index kinds;
    for (const auto& k : policy_.retention().kinds()) {
      kinds.emplace(k.id(), static_cast<int>(kinds.size()));
    }
    CheckRef(rpath.Field(r, "retention_kind"), r.record_article(),
             r.retention_kind(), kinds, "retention kind");
    const auto kind = kinds.find(r.retention_kind());
    if (kind != kinds.end()) {
      // The keeping period is returned in whole years.
      const auto& period = policy_.retention().kinds(kind->second).period();
      if (period.years() <= 0 || period.months() != 0 || period.days() != 0) {
        Report(rpath.Field(r, "retention_kind"), r.record_article(),
               absl::StrCat("the retention kind '", r.retention_kind(),
                            "' of the record must have a period in whole "
                            "years"));
      }
    }
    if (r.contract_document_keep_years() <= 0 ||
        r.contract_document_keep_years() > 1000) {
      Report(rpath.Field(r, "contract_document_keep_years"), r.record_article(),
             absl::StrCat("must be 1-1000, got ",
                          r.contract_document_keep_years()));
    }
  }

  void CheckRecipients(const Path& root) {
    const Path list = root.Field(policy_, "recipients");
    CheckLimit(list, policy_.recipients_size(), "recipients");
    int defaults = 0;
    for (int i = 0; i < policy_.recipients_size(); ++i) {
      const auto& r = policy_.recipients(i);
      const Path path = root.Field(policy_, "recipients", i);
      CheckId(path, r, r.id(), r.clause(), &recipients_);
      CheckClauseRef(path.Field(r, "clause"), r.clause());
      if (r.requires_named_consent()) {
        CheckClauseRef(path.Field(r, "consent_clause"), r.consent_clause());
        if (r.is_default()) {
          Report(path.Field(r, "is_default"), r.clause(),
                 "contradictory: the default recipient cannot require a "
                 "named consent");
        }
      }
      if (r.provision_record_required() && r.is_default()) {
        Report(path.Field(r, "provision_record_required"), r.clause(),
               "contradictory: use by the default recipient is not a "
               "provision to record");
      }
      defaults += r.is_default();
    }
    if (defaults != 1) {
      Report(list, "",
             absl::StrCat("exactly one recipient must be the default "
                          "(is_default: true); found ",
                          defaults));
    }
  }

  // APPI 27(1), 29: the legal grounds (ids, clause, the article of the Act,
  // labels) and the record rule, required when a recipient needs records.
  void CheckThirdPartyProvision(const Path& path) {
    const auto& t = policy_.third_party_provision();
    CheckLimit(path.Field(t, "legal_grounds"), t.legal_grounds_size(),
               "legal grounds");
    Index grounds;
    CheckItems(path, t, "legal_grounds", t.legal_grounds(), &grounds);
    for (int i = 0; i < t.legal_grounds_size(); ++i) {
      const auto& g = t.legal_grounds(i);
      const Path gpath = path.Field(t, "legal_grounds", i);
      if (g.article().empty()) {
        Report(gpath.Field(g, "article"), g.clause(),
               "article is required: the item of the Act, e.g. "
               "\"APPI 27(1)(i)\"");
      } else {
        CheckClauseRef(gpath.Field(g, "article"), g.article());
      }
      if (!g.use_article().empty()) {
        CheckClauseRef(gpath.Field(g, "use_article"), g.use_article());
      }
      Require(gpath, g, "label_ja", g.clause(), g.label_ja());
      Require(gpath, g, "label_en", g.clause(), g.label_en());
    }
    bool needs_record = false;
    for (const auto& r : policy_.recipients()) {
      needs_record |= r.provision_record_required();
    }
    if (!t.has_record()) {
      if (needs_record) {
        Report(path.Field(t, "record"), "",
               "a recipient has provision_record_required, so the record "
               "rule (APPI 29) is required");
      }
      return;
    }
    const auto& r = t.record();
    const Path rpath = path.Field(t, "record");
    CheckClauseRef(rpath.Field(r, "clause"), r.clause());
    CheckClauseRef(rpath.Field(r, "period_article"), r.period_article());
    Index kinds;
    for (const auto& k : policy_.retention().kinds()) {
      kinds.emplace(k.id(), static_cast<int>(kinds.size()));
    }
    CheckRef(rpath.Field(r, "retention_kind"), r.clause(), r.retention_kind(),
             kinds, "retention kind");
    if (r.keep_years() <= 0 || r.keep_years() > 1000) {
      Report(rpath.Field(r, "keep_years"), r.clause(),
             absl::StrCat("must be 1-1000, got ", r.keep_years()));
    }
    if (r.contract_document_keep_years() <= 0 ||
        r.contract_document_keep_years() > 1000) {
      Report(rpath.Field(r, "contract_document_keep_years"), r.clause(),
             absl::StrCat("must be 1-1000, got ",
                          r.contract_document_keep_years()));
    }
    Require(rpath, r, "period_ja", r.clause(), r.period_ja());
    Require(rpath, r, "period_en", r.clause(), r.period_en());
  }

  void CheckSecurityMeasures(const Path& root) {
    Index ids;
    for (int i = 0; i < policy_.security_measures_size(); ++i) {
      const auto& m = policy_.security_measures(i);
      const Path path = root.Field(policy_, "security_measures", i);
      CheckId(path, m, m.id(), m.clause(), &ids);
      CheckClauseRef(path.Field(m, "clause"), m.clause());
    }
  }

  void CheckRetention(const Path& path) {
    const auto& r = policy_.retention();
    CheckClauseRef(path.Field(r, "clause"), r.clause());
    if (!r.time_zone().empty() && r.time_zone() != "Asia/Tokyo") {
      Report(path.Field(r, "time_zone"), r.clause(),
             absl::StrCat("unsupported time zone '", r.time_zone(),
                          "'; pip counts periods on Asia/Tokyo civil dates"));
    }
    const int month = r.fiscal_year_end_month();
    const int day = r.fiscal_year_end_day();
    if (r.fiscal_year_ends_at_month_end()) {
      // The last day of the month, whatever it is (February 29 in a leap
      // year): the month is required and the day is not given.
      if (month < 1 || month > 12) {
        Report(path.Field(r, "fiscal_year_end_month"), r.clause(),
               absl::StrCat("must be 1-12 with fiscal_year_ends_at_month_end, "
                            "got ",
                            month));
      }
      if (day != 0) {
        Report(path.Field(r, "fiscal_year_end_day"), r.clause(),
               absl::StrCat("contradictory: a day (", day,
                            ") with fiscal_year_ends_at_month_end, which "
                            "ends the year on the month's last day; leave "
                            "it 0"));
      }
    } else if (month != 0 || day != 0) {
      if (month < 1 || month > 12) {
        Report(path.Field(r, "fiscal_year_end_month"), r.clause(),
               absl::StrCat("must be 1-12, got ", month));
      } else if (day < 1 || day > DaysInMonth(month)) {
        Report(path.Field(r, "fiscal_year_end_day"), r.clause(),
               absl::StrCat(
                   "must be a day that month has every year (1-",
                   DaysInMonth(month), "), got ", day,
                   month == 2 ? "; for the last day of February, leap years "
                                "included, set fiscal_year_ends_at_month_end "
                                "and leave the day 0"
                              : ""));
      }
    }
    if (r.filing_deadline_months() < 0 || r.filing_deadline_months() > 12) {
      Report(path.Field(r, "filing_deadline_months"), r.clause(),
             absl::StrCat("must be 1-12 (0 for the default 2), got ",
                          r.filing_deadline_months()));
    }
    CheckLimit(path.Field(r, "kinds"), r.kinds_size(), "retention kinds");
    CheckLimit(path.Field(r, "hold_types"), r.hold_types_size(), "hold types");
    Index kinds;
    std::set<std::string> covered;  // categories some kind lists
    for (int i = 0; i < r.kinds_size(); ++i) {
      const auto& k = r.kinds(i);
      const Path kpath = path.Field(r, "kinds", i);
      CheckId(kpath, k, k.id(), k.clause(), &kinds);
      CheckClauseRef(kpath.Field(k, "clause"), k.clause());
      CheckPeriod(kpath.Field(k, "period"), k.clause(), k.period());
      CheckClock(kpath.Field(k, "clock"), k.clause(), k.clock());
      if ((k.clock() == v1::RETENTION_CLOCK_FILING_DEADLINE ||
           k.clock() == v1::RETENTION_CLOCK_FISCAL_YEAR_END) &&
          k.event_may_be_pending()) {
        Report(kpath.Field(k, "event_may_be_pending"), k.clause(),
               "contradictory: a transaction date cannot be pending");
      }
      if (k.deletion_method().id().empty()) {
        Report(kpath.Field(k, "deletion_method"), k.clause(),
               "a deletion method id is required");
      }
      if (!k.statutory_article().empty()) {
        CheckClauseRef(kpath.Field(k, "statutory_article"),
                       k.statutory_article());
      }
      Index listed;
      for (int j = 0; j < k.categories_size(); ++j) {
        const Path cpath = kpath.Field(k, "categories", j);
        CheckRef(cpath, k.clause(), k.categories(j), categories_,
                 "category");
        if (!listed.emplace(k.categories(j), j).second) {
          Report(cpath, k.clause(),
                 absl::StrCat("category '", k.categories(j),
                              "' is listed twice"));
        }
        covered.insert(k.categories(j));
      }
    }
    // Clause 7 leaves no gap: every category of clause 2 has a retention
    // period. A category no kind lists would load with none, and its records
    // would be neither deleted nor reviewed.
    for (int i = 0; i < policy_.categories_size(); ++i) {
      const auto& c = policy_.categories(i);
      if (c.id().empty() || covered.count(c.id()) > 0) continue;
      Report(Path().Field(policy_, "categories", i).Field(c, "id"),
             r.clause().empty() ? "7" : r.clause(),
             absl::StrCat("category '", c.id(),
                          "' has no retention period: no retention kind "
                          "lists it; add it to the categories of the kind "
                          "whose period applies"));
    }
    CheckLimit(path.Field(r, "statutory_floors"), r.statutory_floors_size(),
               "statutory floors");
    Index floors;
    Index floored;  // kind id -> the floor that names it
    for (int i = 0; i < r.statutory_floors_size(); ++i) {
      const auto& f = r.statutory_floors(i);
      const Path fpath = path.Field(r, "statutory_floors", i);
      CheckId(fpath, f, f.id(), r.clause(), &floors);
      if (f.article().empty()) {
        Report(fpath.Field(f, "article"), r.clause(),
               "the article of law that sets the period is required");
      } else {
        CheckClauseRef(fpath.Field(f, "article"), f.article());
      }
      CheckPeriod(fpath.Field(f, "period"), r.clause(), f.period());
      CheckClock(fpath.Field(f, "clock"), r.clause(), f.clock());
      if (f.kinds_size() == 0) {
        Report(fpath.Field(f, "kinds"), r.clause(),
               "a statutory floor applies to at least one retention kind");
      }
      for (int j = 0; j < f.kinds_size(); ++j) {
        const Path kpath = fpath.Field(f, "kinds", j);
        CheckRef(kpath, r.clause(), f.kinds(j), kinds, "retention kind");
        const auto [it, inserted] = floored.emplace(f.kinds(j), i);
        if (!inserted) {
          Report(kpath, r.clause(),
                 absl::StrCat("retention kind '", f.kinds(j),
                              "' already has the statutory floor '",
                              r.statutory_floors(it->second).id(),
                              "'; a kind takes one floor, the one that "
                              "ends later"));
        }
      }
    }
    Index holds;
    for (int i = 0; i < r.hold_types_size(); ++i) {
      const auto& h = r.hold_types(i);
      const Path hpath = path.Field(r, "hold_types", i);
      CheckId(hpath, h, h.id(), h.clause(), &holds);
      CheckClauseRef(hpath.Field(h, "clause"), h.clause());
    }
  }

  void CheckRequests(const Path& path) {
    const auto& r = policy_.requests();
    CheckClauseRef(path.Field(r, "clause"), r.clause());
    CheckLimit(path.Field(r, "types"), r.types_size(), "request types");
    CheckLimit(path.Field(r, "channels"), r.channels_size(), "channels");
    CheckLimit(path.Field(r, "requesters"), r.requesters_size(), "requesters");
    CheckLimit(path.Field(r, "documents"), r.documents_size(), "documents");
    CheckLimit(path.Field(r, "review_grounds"), r.review_grounds_size(),
               "review grounds");
    Index types;
    for (int i = 0; i < r.types_size(); ++i) {
      const auto& t = r.types(i);
      const Path tpath = path.Field(r, "types", i);
      CheckId(tpath, t, t.id(), t.clause(), &types);
      CheckClauseRef(tpath.Field(t, "clause"), t.clause());
      if (t.fee_jpy() < 0) {
        Report(tpath.Field(t, "fee_jpy"), t.clause(),
               absl::StrCat("a fee cannot be negative, got ", t.fee_jpy()));
      }
      CheckClauseRef(tpath.Field(t, "fee_clause"), t.fee_clause());
      if (t.has_effect()) {
        const auto& e = t.effect();
        const Path epath = tpath.Field(t, "effect");
        CheckClauseRef(epath.Field(e, "clause"), e.clause());
        if (!e.blocks_all_purposes() && e.exempt_purposes_size() > 0) {
          Report(epath.Field(e, "exempt_purposes"), e.clause(),
                 "contradictory: exempt_purposes without "
                 "blocks_all_purposes");
        }
        for (int k = 0; k < e.exempt_purposes_size(); ++k) {
          CheckRef(epath.Field(e, "exempt_purposes", k), e.clause(),
                   e.exempt_purposes(k), purposes_, "purpose");
        }
        for (int k = 0; k < e.blocked_recipients_size(); ++k) {
          CheckRef(epath.Field(e, "blocked_recipients", k), e.clause(),
                   e.blocked_recipients(k), recipients_, "recipient");
        }
      }
    }
    Index channels;
    for (int i = 0; i < r.channels_size(); ++i) {
      const auto& c = r.channels(i);
      const Path cpath = path.Field(r, "channels", i);
      CheckId(cpath, c, c.id(), c.clause(), &channels);
      CheckClauseRef(cpath.Field(c, "clause"), c.clause());
    }
    // Channels requests are not accepted by: ids unique among all channels,
    // so that no channel is both.
    for (int i = 0; i < r.other_channels_size(); ++i) {
      const auto& c = r.other_channels(i);
      const Path cpath = path.Field(r, "other_channels", i);
      CheckId(cpath, c, c.id(), c.clause(), &channels);
      CheckClauseRef(cpath.Field(c, "clause"), c.clause());
    }
    if (r.types_size() > 0 && r.channels_size() == 0) {
      Report(path.Field(r, "channels"), r.clause(),
             "requests are accepted by no channel");
    }
    Index documents;
    for (int i = 0; i < r.documents_size(); ++i) {
      const auto& d = r.documents(i);
      const Path dpath = path.Field(r, "documents", i);
      CheckId(dpath, d, d.id(), d.clause(), &documents);
      CheckClauseRef(dpath.Field(d, "clause"), d.clause());
      if (!d.article().empty()) {
        CheckClauseRef(dpath.Field(d, "article"), d.article());
      }
    }
    Index requesters;
    for (int i = 0; i < r.requesters_size(); ++i) {
      const auto& q = r.requesters(i);
      const Path qpath = path.Field(r, "requesters", i);
      CheckId(qpath, q, q.id(), q.clause(), &requesters);
      CheckClauseRef(qpath.Field(q, "clause"), q.clause());
      for (int k = 0; k < q.required_documents_size(); ++k) {
        CheckRef(qpath.Field(q, "required_documents", k), q.clause(),
                 q.required_documents(k), documents, "document");
      }
    }
    if (r.types_size() > 0 && !requesters.count("self")) {
      Report(path.Field(r, "requesters"), r.clause(),
             "a requester with id 'self' (the data subject) is required");
    }
    if (r.types_size() > 0) {
      CheckPeriod(path.Field(r, "response_period"), r.response_clause(),
                  r.response_period());
      CheckClauseRef(path.Field(r, "response_clause"), r.response_clause());
    }
    if (r.identity_verification_required()) {
      CheckClauseRef(path.Field(r, "identity_verification_clause"),
                     r.identity_verification_clause());
    }
    Index grounds;
    for (int i = 0; i < r.review_grounds_size(); ++i) {
      const auto& g = r.review_grounds(i);
      const Path gpath = path.Field(r, "review_grounds", i);
      CheckId(gpath, g, g.id(), g.clause(), &grounds);
      CheckClauseRef(gpath.Field(g, "clause"), g.clause());
    }
    CheckProvisions(path, r, "procedure", r.procedure());
  }



  const v1::Policy& policy_;
  const TextFormat::ParseInfoTree* locations_;
  std::string file_;
  std::vector<PolicyProblem> problems_;
  // Problems found past kMaxPolicyProblems: counted, not listed.
  int unlisted_ = 0;
  int suggestions_left_ = kMaxPolicySuggestions;
  Index clauses_;
  Index categories_;
  Index purpose_groups_;
  Index purposes_;
  Index recipients_;
};

}  // namespace

std::vector<PolicyProblem> Validate(
    const v1::Policy& policy,
    const google::protobuf::TextFormat::ParseInfoTree* locations,
    absl::string_view file) {
  const auto problem_at = [&](std::string field, std::string message) {
    PolicyProblem p;
    p.file = std::string(file);
    std::tie(p.line, p.column) =
        Path::Parse(v1::Policy::descriptor(), field).Locate(locations);
    p.field = std::move(field);
    p.message = std::move(message);
    return p;
  };
  // First the sizes: every later check is linear in them.
  int size = 0;
  const std::string oversized =
      internal::FirstOversizedList(policy, kMaxPolicyListEntries, &size);
  if (!oversized.empty()) {
    return {problem_at(oversized,
                       absl::StrCat(size, " entries; the limit is ",
                                    kMaxPolicyListEntries,
                                    " (kMaxPolicyListEntries)"))};
  }
  Validator validator(policy, locations, file);
  std::vector<PolicyProblem> problems = validator.Run();
  int unlisted = validator.unlisted();
  // A field of a newer schema may be a restriction this version would not
  // enforce: refuse the policy rather than run without it.
  const std::string unknown = internal::FirstUnknownField(policy);
  if (!unknown.empty()) {
    problems.push_back(problem_at(
        unknown,
        "a field unknown to pip.v1.Policy; this version of pip would not "
        "enforce it"));
  }
  // The text-format parser takes any bytes in a string; labels, messages
  // and clause texts are echoed into decisions and notices, which must stay
  // UTF-8 and read on screen as they are.
  std::string what;
  const std::string unscreened =
      internal::FirstUnscreenedString(policy, kMaxPolicyTextBytes, &what);
  if (!unscreened.empty()) {
    problems.push_back(problem_at(unscreened, what));
  }
  while (static_cast<int>(problems.size()) > kMaxPolicyProblems) {
    problems.pop_back();
    ++unlisted;
  }
  if (unlisted > 0) {
    PolicyProblem more;
    more.file = std::string(file);
    more.message = absl::StrCat(
        "and ", unlisted, " more problem", unlisted == 1 ? "" : "s",
        ", not listed (kMaxPolicyProblems: the first ", kMaxPolicyProblems,
        " are)");
    problems.push_back(std::move(more));
  }
  return problems;
}

void Relocate(const google::protobuf::TextFormat::ParseInfoTree& locations,
              std::vector<PolicyProblem>* problems) {
  for (PolicyProblem& p : *problems) {
    if (p.field.empty()) continue;
    std::tie(p.line, p.column) =
        Path::Parse(v1::Policy::descriptor(), p.field).Locate(&locations);
  }
  // The line "and N more" stays last.
  const bool more = !problems->empty() && problems->back().field.empty() &&
                    static_cast<int>(problems->size()) > kMaxPolicyProblems;
  SortByLine(problems->begin(), more ? problems->end() - 1 : problems->end());
}

}  // namespace policy_internal
}  // namespace pip
