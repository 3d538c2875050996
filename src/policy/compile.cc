#include "src/policy/compile.h"

#include <atomic>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "src/internal/digest.h"
#include "src/policy/load.h"

namespace pip {
namespace policy_internal {
namespace {

std::string ContentHash(const v1::Policy& policy) {
  return internal::Sha256Hex(internal::DeterministicBytes(policy));
}

template <typename List>
IdIndex IndexIds(const List& items) {
  std::vector<absl::string_view> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(item.id());
  return IdIndex(std::move(ids));
}

// The position of an id that validation has checked refers to an entry of
// `index`; Compile() runs on validated policies only.
int Known(const IdIndex& index, absl::string_view id) {
  const int i = index.Find(id);
  if (i < 0) std::abort();
  return i;
}

class Compiler {
 public:
  explicit Compiler(CompiledPolicy* out) : c_(*out), p_(out->policy) {}

  void Run() {
    for (int i = 0; i < p_.clauses_size(); ++i) {
      c_.clauses.push_back(&p_.clauses(i));
      c_.clause_numbers.push_back(p_.clauses(i).number());
    }
    c_.clause_index = IdIndex(c_.clause_numbers);
    c_.category_index = IndexIds(p_.categories());
    c_.purpose_index = IndexIds(p_.purposes());
    c_.purpose_group_index = IndexIds(p_.purpose_groups());
    c_.recipient_index = IndexIds(p_.recipients());
    c_.min_consent_version = p_.min_consent_version();
    c_.representative_required_below_age =
        p_.minor_consent().representative_required_below_age();
    if (c_.representative_required_below_age > 0) {
      c_.minor_consent_clause = Clause(p_.minor_consent().clause());
    }

    for (const auto& purpose : p_.purposes()) {
      CompiledPurpose cp{&purpose, Clause(purpose.clause()), {}};
      for (const auto& cond : purpose.conditions()) {
        cp.conditions.push_back(CompileCondition(cond));
      }
      if (!cp.conditions.empty()) {
        c_.conditional_purposes.Insert(static_cast<int>(c_.purposes.size()));
      }
      c_.purpose_clauses.push_back(c_.clause_view(cp.clause));
      c_.purposes.push_back(std::move(cp));
    }
    for (const auto& category : p_.categories()) {
      const int id = static_cast<int>(c_.categories.size());
      CompiledCategory cc{&category, Clause(category.clause()), {}};
      if (category.special_care_required()) {
        c_.named_consent_categories.Insert(id);
      }
      for (const auto& cond : category.conditions()) {
        cc.conditions.push_back(CompileCondition(cond));
        switch (cc.conditions.back().kind) {
          case CompiledCondition::Kind::kConsent:
            c_.consent_gated_categories.Insert(id);
            if (cond.consent().named()) c_.named_consent_categories.Insert(id);
            break;
          case CompiledCondition::Kind::kContext:
            c_.context_gated_categories.Insert(id);
            break;
          case CompiledCondition::Kind::kPurposes:
            c_.purpose_restricted_categories.Insert(id);
            break;
        }
      }
      c_.categories.push_back(std::move(cc));
    }
    c_.conditional_categories = c_.consent_gated_categories |
                                c_.context_gated_categories |
                                c_.purpose_restricted_categories;
    for (int i = 0; i < static_cast<int>(c_.purposes.size()); ++i) {
      c_.purpose_category_gates.push_back(
          c_.conditional_purposes.Contains(i) ? IdSet::All(kMaxIdsPerKind)
                                              : c_.conditional_categories);
    }
    for (const auto& r : p_.recipients()) {
      if (r.requires_named_consent()) {
        c_.named_consent_recipients.Insert(
            static_cast<int>(c_.recipients.size()));
      }
      if (r.is_default()) {
        c_.default_recipient = static_cast<int>(c_.recipients.size());
      }
      c_.recipients.push_back(
          {&r, Clause(r.clause()), r.requires_named_consent(),
           r.requires_named_consent() ? Clause(r.consent_clause())
                                      : Clause(r.clause()),
           r.provision_record_required()});
    }
    CompileThirdPartyProvision();
    CompileRetention();
    CompileRequests();
    CompileIncidents();
    CompileComplaints();
    CompileContractors();
    CompileAcquisition();
  }

 private:
  ClauseIndex Clause(const std::string& number) const {
    const int i = c_.clause_index.Find(number);
    return i < 0 ? 0 : static_cast<ClauseIndex>(i);
  }

  CompiledCondition CompileCondition(const v1::Condition& cond) {
    CompiledCondition out;
    out.clause = Clause(cond.clause());
    if (!cond.article().empty()) out.article = Clause(cond.article());
    switch (cond.requirement_case()) {
      case v1::Condition::kContext:
        out.kind = CompiledCondition::Kind::kContext;
        out.context_bit = ContextBitOf(cond.context());
        break;
      case v1::Condition::kPurposes:
        out.kind = CompiledCondition::Kind::kPurposes;
        for (int p = 0; p < p_.purposes_size(); ++p) {
          for (const auto& g : cond.purposes().groups()) {
            if (p_.purposes(p).group() == g) out.allowed_purposes.Insert(p);
          }
        }
        for (const auto& id : cond.purposes().purposes()) {
          out.allowed_purposes.Insert(Known(c_.purpose_index, id));
        }
        break;
      default:
        out.kind = CompiledCondition::Kind::kConsent;
        break;
    }
    return out;
  }

  void CompileRetention() {
    const auto& r = p_.retention();
    c_.retention_clause = Clause(r.clause());
    if (r.fiscal_year_end_month() != 0) {
      c_.fiscal_year_end_month = r.fiscal_year_end_month();
      c_.fiscal_year_end_day = r.fiscal_year_end_day();
      c_.fiscal_year_ends_at_month_end = r.fiscal_year_ends_at_month_end();
    }
    if (r.filing_deadline_months() != 0) {
      c_.filing_deadline_months = r.filing_deadline_months();
    }
    c_.retention_kind_index = IndexIds(r.kinds());
    for (const auto& k : r.kinds()) {
      CompiledRetentionKind ck;
      ck.source = &k;
      ck.clause = Clause(k.clause());
      ck.clock = k.clock();
      ck.period = CompilePeriod(k.period());
      ck.event_may_be_pending = k.event_may_be_pending();
      ck.deletion_method = k.deletion_method().id();
      if (!k.statutory_article().empty()) {
        ck.statutory_article = Clause(k.statutory_article());
      }
      for (const auto& id : k.categories()) {
        ck.categories.Insert(Known(c_.category_index, id));
      }
      c_.retention_kinds.push_back(std::move(ck));
    }
    for (const auto& f : r.statutory_floors()) {
      const int floor = static_cast<int>(c_.statutory_floors.size());
      c_.statutory_floors.push_back(
          {&f, Clause(f.article()), f.clock(), CompilePeriod(f.period())});
      for (const auto& id : f.kinds()) {
        CompiledRetentionKind& kind =
            c_.retention_kinds[Known(c_.retention_kind_index, id)];
        kind.floor = floor;
        kind.floor_may_decide =
            FloorMayDecide(c_.statutory_floors.back(), kind.clock, kind.period,
                           c_.filing_deadline_months);
      }
    }
    c_.hold_type_index = IndexIds(r.hold_types());
    c_.hold_clause = c_.retention_clause;
    for (const auto& h : r.hold_types()) {
      c_.hold_types.push_back(&h);
      c_.hold_clause = Clause(h.clause());
    }
  }

  void CompileRequests() {
    const auto& r = p_.requests();
    c_.request_type_index = IndexIds(r.types());
    for (const auto& t : r.types()) {
      CompiledRequestType ct{&t,
                             Clause(t.clause()),
                             t.fee_jpy(),
                             Clause(t.fee_clause()),
                             Clause(t.effect().clause()),
                             {},
                             {}};
      if (t.effect().blocks_all_purposes()) {
        ct.blocked_purposes = IdSet::All(p_.purposes_size());
        PurposeSet exempt;
        for (const auto& id : t.effect().exempt_purposes()) {
          exempt.Insert(Known(c_.purpose_index, id));
        }
        PurposeSet blocked;
        ct.blocked_purposes.ForEach([&](int p) {
          if (!exempt.Contains(p)) blocked.Insert(p);
        });
        ct.blocked_purposes = blocked;
      }
      for (const auto& id : t.effect().blocked_recipients()) {
        ct.blocked_recipients.Insert(Known(c_.recipient_index, id));
      }
      c_.request_types.push_back(ct);
    }
    c_.request_channel_index = IndexIds(r.channels());
    for (const auto& ch : r.channels()) {
      c_.request_channels.push_back(&ch);
      c_.channel_clause = Clause(ch.clause());
    }
    c_.document_index = IndexIds(r.documents());
    for (const auto& d : r.documents()) {
      c_.documents.push_back(
          {&d, Clause(d.clause()),
           d.article().empty() ? kNoClause : Clause(d.article())});
    }
    c_.requester_index = IndexIds(r.requesters());
    for (const auto& q : r.requesters()) {
      CompiledRequester cq{&q, Clause(q.clause()), {}};
      for (const auto& id : q.required_documents()) {
        cq.required_documents.push_back(Known(c_.document_index, id));
      }
      c_.requesters.push_back(std::move(cq));
    }
    const int self = c_.requester_index.Find("self");
    c_.default_requester = self < 0 ? 0 : self;
    c_.review_ground_index = IndexIds(r.review_grounds());
    for (const auto& g : r.review_grounds()) {
      c_.review_grounds.push_back({&g, Clause(g.clause())});
    }
    c_.response_period = CompilePeriod(r.response_period());
    c_.response_clause = Clause(r.response_clause());
    c_.identity_verification_required = r.identity_verification_required();
    c_.identity_verification_clause =
        Clause(r.identity_verification_clause());
  }

  void CompileIncidents() {
    if (!p_.has_incidents()) return;
    const auto& n = p_.incidents();
    CompiledIncidentPolicy& out = c_.incidents;
    out.present = true;
    out.clause = Clause(n.clause());
    for (const auto& d : n.duties()) out.duty_clauses.push_back(Clause(d.clause()));
    out.report_clause = Clause(n.report_clause());
    out.notify_clause = Clause(n.notify_clause());
    out.special_care_clause = Clause(n.special_care_clause());
    out.financial_harm_clause = Clause(n.financial_harm_clause());
    out.wrongful_purpose_clause = Clause(n.wrongful_purpose_clause());
    out.people_clause = Clause(n.people_clause());
    out.encryption_clause = Clause(n.encryption_clause());
    out.preliminary_report_clause = Clause(n.preliminary_report_clause());
    out.final_report_clause = Clause(n.final_report_clause());
    out.people_threshold = n.people_threshold();
    out.preliminary_report_earliest =
        CompilePeriod(n.preliminary_report_earliest());
    out.preliminary_report_latest = CompilePeriod(n.preliminary_report_latest());
    out.final_report_period = CompilePeriod(n.final_report_period());
    out.final_report_period_wrongful_purpose =
        CompilePeriod(n.final_report_period_wrongful_purpose());
    absl::CivilDay from;
    if (!absl::ParseCivilTime(n.acquisition_counts_from(), &from)) {
      std::abort();  // validated
    }
    out.acquisition_counts_from_day = from - absl::CivilDay(1970, 1, 1);
    for (int i = 0; i < p_.categories_size(); ++i) {
      if (p_.categories(i).special_care_required()) {
        out.special_care_categories.Insert(i);
      }
      if (p_.categories(i).misuse_may_cause_financial_harm()) {
        out.financial_harm_categories.Insert(i);
      }
    }
  }

  void CompileThirdPartyProvision() {
    const auto& t = p_.third_party_provision();
    c_.legal_ground_index = IndexIds(t.legal_grounds());
    for (const auto& g : t.legal_grounds()) {
      c_.legal_grounds.push_back(
          {&g, Clause(g.clause()), Clause(g.article()),
           g.use_article().empty() ? kNoClause : Clause(g.use_article())});
    }
    if (t.has_record()) {
      c_.provision_record.present = true;
      c_.provision_record.clause = Clause(t.record().clause());
      c_.provision_record.period_article = Clause(t.record().period_article());
    }
  }

  // Clause 3 and Policy.acquisition (APPI 20(2), 21, 30); after the legal
  // grounds and the retention kinds, which it refers to.
  void CompileAcquisition() {
    c_.acquisition_channel_index = IndexIds(p_.acquisition_channels());
    for (const auto& ch : p_.acquisition_channels()) {
      CompiledChannel out{&ch, Clause(ch.clause()), {}};
      for (const auto& id : ch.acquired_categories()) {
        out.acquired.Insert(Known(c_.category_index, id));
      }
      out.direct = ch.direct();
      out.written = ch.written();
      out.from_third_party = ch.from_third_party();
      c_.acquisition_channels.push_back(std::move(out));
    }
    if (!p_.has_acquisition()) return;
    const auto& a = p_.acquisition();
    CompiledAcquisition& out = c_.acquisition;
    out.present = true;
    for (int i = 0; i < p_.categories_size(); ++i) {
      if (p_.categories(i).special_care_required()) {
        out.special_care_categories.Insert(i);
      }
    }
    out.special_care_article = Clause(a.special_care_article());
    out.published_article = Clause(a.published_article());
    out.written_notice_article = Clause(a.written_notice_article());
    out.published_purposes_article = Clause(a.published_purposes_article());
    out.special_care_ground_articles.assign(c_.legal_grounds.size(),
                                            kNoClause);
    for (const auto& g : a.special_care_grounds()) {
      out.special_care_ground_articles[Known(c_.legal_ground_index,
                                             g.ground())] =
          Clause(g.article());
    }
    if (!a.has_confirmation()) return;
    const auto& r = a.confirmation();
    out.confirmation = true;
    out.confirmation_article = Clause(r.article());
    out.record_article = Clause(r.record_article());
    out.period_article = Clause(r.period_article());
    out.record_kind = Known(c_.retention_kind_index, r.retention_kind());
    out.contract_document_keep_years = r.contract_document_keep_years();
    out.contractor_article = Clause(r.contractor_article());
    out.successor_article = Clause(r.successor_article());
    out.joint_use_article = Clause(r.joint_use_article());
  }

  void CompileComplaints() {
    const auto& c = p_.complaints();
    const IdIndex roles = IndexIds(c.roles());
    for (const auto& r : c.roles()) c_.complaint_roles.push_back(&r);
    c_.complaint_step_index = IndexIds(c.internal_flow());
    for (const auto& s : c.internal_flow()) {
      c_.complaint_steps.push_back(
          {&s, Clause(s.clause()), Known(roles, s.owner())});
    }
    for (const auto& b : c.external_contacts()) {
      c_.external_bodies.push_back({&b, Clause(b.clause())});
    }
  }

  void CompileContractors() {
    const auto& cm = p_.contractor_management();
    CompiledContractors& out = c_.contractors;
    c_.selection_criterion_index = IndexIds(cm.selection_criteria());
    c_.contract_term_index = IndexIds(cm.required_contract_terms());
    c_.supervision_index = IndexIds(cm.supervision());
    for (const auto& p : cm.selection_criteria()) {
      out.criteria.push_back(Clause(p.clause()));
    }
    for (const auto& p : cm.required_contract_terms()) {
      out.terms.push_back(Clause(p.clause()));
    }
    for (const auto& p : cm.supervision()) {
      out.supervision.push_back(Clause(p.clause()));
    }
    out.present = !out.criteria.empty() || !out.terms.empty() ||
                  !out.supervision.empty();
    if (!out.present) return;
    out.clause = Clause(cm.clause());
    out.article = cm.article().empty() ? kNoClause : Clause(cm.article());
    out.periodic_check = Known(c_.supervision_index, cm.periodic_check());
    out.review_interval = CompilePeriod(cm.review_interval());
    out.review_interval_clause = Clause(cm.review_interval_clause());
    const auto& o = cm.overseas();
    out.overseas_clause = Clause(o.clause());
    out.consent_article = Clause(o.consent_article());
    out.equivalent_measures_article = Clause(o.equivalent_measures_article());
    out.continuing_measures_clause = Clause(o.continuing_measures_clause());
    out.continuing_measures_article = Clause(o.continuing_measures_article());
    out.domestic_recipient = Known(c_.recipient_index, o.domestic_recipient());
    out.consent_recipient = Known(c_.recipient_index, o.consent_recipient());
    out.equivalent_measures_recipient =
        Known(c_.recipient_index, o.equivalent_measures_recipient());
  }

  CompiledPolicy& c_;
  const v1::Policy& p_;
};

}  // namespace

bool FloorMayDecide(const CompiledStatutoryFloor& floor,
                    v1::RetentionClock clock, const CompiledPeriod& period,
                    int filing_deadline_months) {
  if (floor.clock == clock) {
    return floor.period.months > period.months ||
           floor.period.days > period.days;
  }
  // The most days the floor's clock starts after the event: none, the next
  // fiscal year end (within 366 days), or the filing deadline after it.
  int64_t floor_start = 0;
  if (floor.clock == v1::RETENTION_CLOCK_FISCAL_YEAR_END) {
    floor_start = 366;
  } else if (floor.clock == v1::RETENTION_CLOCK_FILING_DEADLINE) {
    floor_start = 366 + 31 * int64_t{filing_deadline_months};
  }
  const int64_t floor_end_at_most =
      floor_start + 31 * int64_t{floor.period.months} + floor.period.days;
  // The kind's clock starts on the event's day or later.
  const int64_t kind_end_at_least = 28 * int64_t{period.months} + period.days;
  return floor_end_at_most >= kind_end_at_least;
}

uint32_t ContextBitOf(v1::ContextFlag flag) {
  switch (flag) {
    case v1::CONTEXT_ANONYMIZED:
      return kContextAnonymized;
    case v1::CONTEXT_HEALTH_SERVICE:
      return kContextHealthService;
    case v1::CONTEXT_NECESSITY_DOCUMENTED:
      return kContextNecessityDocumented;
    default:
      return 0;
  }
}

absl::StatusOr<std::shared_ptr<const CompiledPolicy>> Compile(
    v1::Policy policy) {
  std::vector<PolicyProblem> problems = Validate(policy, nullptr, "");
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy is invalid:\n", FormatProblems(problems)));
  }
  return CompileValidated(std::move(policy));
}

std::shared_ptr<const CompiledPolicy> CompileValidated(v1::Policy policy) {
  static std::atomic<uint32_t> last_generation{0};
  auto compiled = std::make_shared<CompiledPolicy>();
  // Skips 0 (an unset handle) and the spoiled-set marker if it ever wraps.
  do {
    compiled->generation = last_generation.fetch_add(1) + 1;
  } while (compiled->generation == 0 || compiled->generation == ~uint32_t{0});
  compiled->policy = std::move(policy);
  compiled->hash = ContentHash(compiled->policy);
  Compiler(compiled.get()).Run();
  return compiled;
}

}  // namespace policy_internal
}  // namespace pip
