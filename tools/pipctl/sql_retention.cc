#include "tools/pipctl/sql_retention.h"

#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "pip/limits.h"
#include "pip/snapshot.h"

namespace pipctl {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
namespace v1 = pip::v1;

constexpr int64_t kTokyoOffsetSeconds = 9 * 60 * 60;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
constexpr size_t kMaxPostgresIdentifierBytes = 63;

// The names the view gives the columns it adds on the way.
constexpr absl::string_view kEventDay = "pip_event_day";
constexpr absl::string_view kFiscalYearEnd = "pip_fiscal_year_end";
constexpr absl::string_view kFilingDeadline = "pip_filing_deadline";

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone* const tz =
      new absl::TimeZone(absl::FixedTimeZone(kTokyoOffsetSeconds));
  return *tz;
}

// The first second pip accepts and the first it no longer does
// (pip/limits.h): 00:00 Tokyo on the first day of kMinYear, 00:00 UTC on
// the first day after kMaxYear.
int64_t FirstAcceptedSecond() {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(pip::kMinYear, 1, 1), Tokyo()));
}
int64_t EndAcceptedSecond() {
  return absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(pip::kMaxYear + 1, 1, 1), absl::UTCTimeZone()));
}

int64_t TokyoDayOf(int64_t unix_seconds) {
  const int64_t s = unix_seconds + kTokyoOffsetSeconds;
  return s / kSecondsPerDay - (s % kSecondsPerDay < 0 ? 1 : 0);
}
int64_t TokyoStartOfDay(int64_t day) {
  return day * kSecondsPerDay - kTokyoOffsetSeconds;
}

// Text for a comment: no "*/" ends it early.
std::string CommentText(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"*/", "* /"}, {"\n", " "}});
}

// --- The mapping file --------------------------------------------------------

absl::Status FieldError(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("mapping: ", field, ": ",
                                                 message));
}

absl::Status CheckName(absl::string_view field, absl::string_view name) {
  if (name.empty()) return FieldError(field, "must not be empty");
  if (absl::StrContains(name, absl::string_view("\0", 1))) {
    return FieldError(field, "must not hold a NUL byte");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringField(const Value& v,
                                        absl::string_view field) {
  if (v.kind_case() != Value::kStringValue) {
    return FieldError(field, "must be a string");
  }
  absl::Status s = CheckName(field, v.string_value());
  if (!s.ok()) return s;
  return v.string_value();
}

// --- Policy rules ------------------------------------------------------------

struct Period {
  int months = 0;  // years count as 12 months each
  int days = 0;
};

struct ClockedPeriod {
  v1::RetentionClock clock = v1::RETENTION_CLOCK_EVENT;
  Period period;
};

std::string DescribePeriod(const Period& p) {
  if (p.days > 0) return absl::StrCat(p.days, p.days == 1 ? " day" : " days");
  if (p.months % 12 == 0) {
    return absl::StrCat(p.months / 12, p.months == 12 ? " year" : " years");
  }
  return absl::StrCat(p.months, p.months == 1 ? " month" : " months");
}

absl::string_view DescribeClock(v1::RetentionClock clock) {
  switch (clock) {
    case v1::RETENTION_CLOCK_FILING_DEADLINE:
      return "from the day after the filing deadline of the fiscal year";
    case v1::RETENTION_CLOCK_FISCAL_YEAR_END:
      return "from the day after the end of the fiscal year";
    default:
      return "from the day after the event";
  }
}

struct KindRule {
  std::string id;
  std::string clause;
  std::string deletion_method;
  ClockedPeriod own;
  bool has_floor = false;
  ClockedPeriod floor;
  std::string floor_article;
  bool pending = false;
  pip::RetentionKindId handle;
  // The company's values that stand for this kind.
  std::vector<std::string> values;
  // The first event time not due, as SQL comparable with the clock column.
  std::string threshold;
};

struct Calendar {
  int fiscal_year_end_month = 3;
  int fiscal_year_end_day = 31;
  bool fiscal_year_ends_at_month_end = false;
  int filing_deadline_months = 2;
};

Period PeriodOf(const v1::Period& p) {
  return {p.years() * 12 + p.months(), p.days()};
}

// --- SQL of one dialect --------------------------------------------------------

class Sql {
 public:
  Sql(SqlDialect dialect, const Calendar& calendar,
      std::optional<absl::Time> as_of)
      : pg_(dialect == SqlDialect::kPostgres),
        dialect_(dialect),
        calendar_(calendar),
        as_of_(as_of) {}

  bool pg() const { return pg_; }

  std::string Id(absl::string_view name) const {
    return QuoteSqlIdentifier(name);
  }
  std::string Str(absl::string_view text) const {
    return QuoteSqlString(dialect_, text);
  }

  // The evaluation time, comparable with a hold-until column.
  std::string Now() const {
    if (!as_of_.has_value()) {
      return pg_ ? "now()" : "CAST(strftime('%s', 'now') AS INTEGER)";
    }
    if (pg_) {
      return absl::StrCat(
          "TIMESTAMPTZ '",
          absl::FormatTime("%Y-%m-%d %H:%M:%E*S+00", *as_of_,
                           absl::UTCTimeZone()),
          "'");
    }
    // Whole seconds: a hold until second u keeps the row while u > as_of,
    // which for a whole u is u > the whole seconds of as_of.
    return absl::StrCat(absl::ToUnixSeconds(*as_of_), " /* ",
                        absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez", *as_of_,
                                         Tokyo()),
                        " */");
  }

  // A time, comparable with an event column.
  std::string Time(int64_t unix_seconds) const {
    const absl::Time t = absl::FromUnixSeconds(unix_seconds);
    if (pg_) {
      return absl::StrCat("TIMESTAMPTZ '",
                          absl::FormatTime("%Y-%m-%d %H:%M:%S%Ez", t, Tokyo()),
                          "'");
    }
    return absl::StrCat(unix_seconds, " /* ",
                        absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, Tokyo()),
                        " */");
  }

  // The Tokyo civil day of the evaluation time, as a date (PostgreSQL) or
  // YYYY-MM-DD text (SQLite).
  std::string Today() const {
    return pg_ ? absl::StrCat("CAST(", Now(), " AT TIME ZONE INTERVAL '+09:00' AS date)")
               : absl::StrCat("date(", Now(), " + 32400, 'unixepoch')");
  }

  // The Tokyo civil day of a time column (NULL stays NULL).
  std::string DayOf(absl::string_view column) const {
    return pg_ ? absl::StrCat("CAST(", Id(column),
                              " AT TIME ZONE INTERVAL '+09:00' AS date)")
               : absl::StrCat("date(", Id(column), " + 32400, 'unixepoch')");
  }

  // 00:00 Tokyo at the start of day `d`, comparable with an event column.
  std::string StartOf(absl::string_view d) const {
    return pg_ ? absl::StrCat("(CAST(", d,
                              " AS timestamp) AT TIME ZONE INTERVAL '+09:00')")
               : absl::StrCat("(CAST(strftime('%s', ", d,
                              ") AS INTEGER) - 32400)");
  }

  std::string NextDay(absl::string_view d) const {
    return pg_ ? absl::StrCat("(", d, " + 1)")
               : absl::StrCat("date(", d, ", '+1 day')");
  }
  std::string PreviousDay(absl::string_view d) const {
    return pg_ ? absl::StrCat("(", d, " - 1)")
               : absl::StrCat("date(", d, ", '-1 day')");
  }

  // Day `d` moved back by `p`; a day the month does not have becomes the
  // month's last day (2026-03-31 less a month is 2026-02-28). For day T,
  // this is the first day c whose period `p` counted from c + 1 has not
  // ended before T (民法 143; see docs/scale.md).
  std::string Minus(absl::string_view d, const Period& p) const {
    if (p.days > 0) {
      return pg_ ? absl::StrCat("(", d, " - ", p.days, ")")
                 : absl::StrCat("date(", d, ", '-", p.days, " days')");
    }
    if (pg_) {
      // PostgreSQL keeps the day within the month.
      return absl::StrCat("CAST(", d, " - INTERVAL '", p.months,
                          " months' AS date)");
    }
    // SQLite carries an overflowing day into the next month: take the
    // smaller of the same day and the month's last day.
    return absl::StrCat(
        "min(date(", d, ", 'start of month', '-", p.months,
        " months', printf('+%d days', CAST(strftime('%d', ", d,
        ") AS INTEGER) - 1)), date(", d, ", 'start of month', '-", p.months,
        " months', '+1 month', '-1 day'))");
  }

  // The last day of period `p` whose first day is `first` (民法 143: the
  // day before the corresponding day, or the month's last day when the
  // final month has no corresponding day).
  std::string PeriodLastDay(absl::string_view first, const Period& p) const {
    if (p.days > 0) {
      return pg_ ? absl::StrCat("(", first, " + ", p.days - 1, ")")
                 : absl::StrCat("date(", first, ", '+", p.days - 1,
                                " days')");
    }
    if (pg_) {
      const std::string moved =
          absl::StrCat(first, " + INTERVAL '", p.months, " months'");
      return absl::StrCat("CASE WHEN EXTRACT(DAY FROM ", moved,
                          ") = EXTRACT(DAY FROM ", first, ") THEN CAST(",
                          moved, " AS date) - 1 ELSE CAST(", moved,
                          " AS date) END");
    }
    return absl::StrCat("CASE WHEN strftime('%d', ", first, ", '+", p.months,
                        " months') = strftime('%d', ", first,
                        ") THEN date(", first, ", '+", p.months,
                        " months', '-1 day') ELSE date(", first,
                        ", 'start of month', '+", p.months + 1,
                        " months', '-1 day') END");
  }

  // The fiscal year end in year `year` (an integer expression).
  std::string FiscalYearEndIn(absl::string_view year) const {
    const int m = calendar_.fiscal_year_end_month;
    if (calendar_.fiscal_year_ends_at_month_end) {
      return pg_ ? absl::StrCat("CAST(make_date(", year, ", ", m,
                                ", 1) + INTERVAL '1 month' AS date) - 1")
                 : absl::StrCat("date(printf('%04d-%02d-01', ", year, ", ",
                                m, "), '+1 month', '-1 day')");
    }
    const int d = calendar_.fiscal_year_end_day;
    return pg_ ? absl::StrCat("make_date(", year, ", ", m, ", ", d, ")")
               : absl::StrCat("printf('%04d-%02d-%02d', ", year, ", ", m,
                              ", ", d, ")");
  }
  std::string YearOf(absl::string_view d) const {
    return pg_ ? absl::StrCat("CAST(EXTRACT(YEAR FROM ", d, ") AS integer)")
               : absl::StrCat("CAST(strftime('%Y', ", d, ") AS INTEGER)");
  }
  // The end of the fiscal year holding day `d`.
  std::string FiscalYearEndOf(absl::string_view d) const {
    const std::string y = YearOf(d);
    const std::string same = FiscalYearEndIn(y);
    return absl::StrCat("CASE WHEN ", d, " <= ", same, " THEN ", same,
                        " ELSE ", FiscalYearEndIn(absl::StrCat(y, " + 1")),
                        " END");
  }
  // The last fiscal year end on or before day `d`.
  std::string FiscalYearEndOnOrBefore(absl::string_view d) const {
    const std::string y = YearOf(d);
    const std::string same = FiscalYearEndIn(y);
    return absl::StrCat("CASE WHEN ", same, " <= ", d, " THEN ", same,
                        " ELSE ", FiscalYearEndIn(absl::StrCat(y, " - 1")),
                        " END");
  }
  Period FilingMonths() const { return {calendar_.filing_deadline_months, 0}; }

  std::string Least(absl::string_view a, absl::string_view b) const {
    return absl::StrCat(pg_ ? "LEAST(" : "min(", a, ", ", b, ")");
  }
  std::string Greatest(absl::string_view a, absl::string_view b) const {
    return absl::StrCat(pg_ ? "GREATEST(" : "max(", a, ", ", b, ")");
  }

  // The first event day whose period `c` has not ended before the day
  // named `today`, in two steps so that no part is written twice: Day() is
  // computed from `today` and named, Finish() turns that name into the
  // answer (docs/scale.md: the arithmetic backwards).
  //  - event clock: today less the period;
  //  - fiscal year end: the day after the last fiscal year end before
  //    that;
  //  - filing deadline: the same, before that less the filing months.
  std::string FirstDayNotDueStart(const ClockedPeriod& c,
                                  absl::string_view today) const {
    const std::string x = Minus(today, c.period);
    switch (c.clock) {
      case v1::RETENTION_CLOCK_FISCAL_YEAR_END:
        return PreviousDay(x);
      case v1::RETENTION_CLOCK_FILING_DEADLINE:
        return PreviousDay(Minus(x, FilingMonths()));
      default:
        return x;
    }
  }
  std::string FirstDayNotDueFinish(const ClockedPeriod& c,
                                   absl::string_view start) const {
    if (c.clock == v1::RETENTION_CLOCK_EVENT) return std::string(start);
    return NextDay(FiscalYearEndOnOrBefore(start));
  }

 private:
  bool pg_;
  SqlDialect dialect_;
  Calendar calendar_;
  std::optional<absl::Time> as_of_;
};

// The first Tokyo day an event of `kind` may fall on and not be due at
// `as_of`, by pip itself: due never turns false to true as the event day
// grows (RetainUntil never decreases), so bisect. An event day pip refuses
// (a period that would end after 9999-12-30) is not due.
absl::StatusOr<int64_t> FirstDayNotDueByPip(const pip::Snapshot& snapshot,
                                            pip::RetentionKindId kind,
                                            absl::Time as_of) {
  const auto due = [&](int64_t day) {
    pip::RetentionFacts f;
    f.kind = kind;
    f.event_at = absl::FromUnixSeconds(TokyoStartOfDay(day));
    f.as_of = as_of;
    absl::StatusOr<pip::RetentionVerdict> v = snapshot.RetentionDue(f);
    return v.ok() && v->due;
  };
  int64_t lo = TokyoDayOf(FirstAcceptedSecond());
  int64_t hi = TokyoDayOf(absl::ToUnixSeconds(as_of));
  if (due(hi)) {
    return absl::InternalError(
        "a record whose event is on the evaluation day is due; pip's "
        "retention rule is not what pipctl sql expects");
  }
  if (!due(lo)) return lo;
  while (hi - lo > 1) {  // due(lo), !due(hi)
    const int64_t mid = lo + (hi - lo) / 2;
    (due(mid) ? lo : hi) = mid;
  }
  return hi;
}

// "a = 'x'" or "a IN ('x', 'y')".
std::string ValuesTest(const Sql& sql, absl::string_view column,
                       const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(sql.Str(v));
  if (quoted.size() == 1) return absl::StrCat(sql.Id(column), " = ", quoted[0]);
  return absl::StrCat(sql.Id(column), " IN (", absl::StrJoin(quoted, ", "),
                      ")");
}

class Compiler {
 public:
  Compiler(const pip::Engine& engine, const SqlMapping& mapping,
           const SqlOptions& options)
      : engine_(engine),
        mapping_(mapping),
        options_(options),
        policy_(engine.policy()),
        snapshot_(engine.snapshot()) {}

  absl::StatusOr<std::string> Compile() {
    absl::Status s = Load();
    if (!s.ok()) return s;
    sql_ = std::make_unique<Sql>(options_.dialect, calendar_, options_.as_of);
    for (KindRule& rule : kinds_) {
      absl::StatusOr<std::string> threshold = Threshold(rule);
      if (!threshold.ok()) return threshold.status();
      rule.threshold = *std::move(threshold);
    }
    std::string out = Header();
    switch (options_.form) {
      case SqlForm::kPredicate:
        absl::StrAppend(&out, Predicate(/*in_view=*/false), "\n");
        break;
      case SqlForm::kView:
        absl::StrAppend(&out, View());
        break;
      case SqlForm::kProblems:
        absl::StrAppend(&out, Problems());
        break;
    }
    return out;
  }

 private:
  absl::Status Load() {
    // The mapping's names.
    struct Named {
      absl::string_view field;
      const std::string* name;
      bool required;
    };
    const bool view = options_.form == SqlForm::kView;
    std::vector<Named> names = {
        {"table", &mapping_.table, true},
        {"schema", &mapping_.schema, false},
        {"kind_column", &mapping_.kind_column, true},
        {"event_column", &mapping_.event_column, true},
        {"contract_ended_column", &mapping_.contract_ended_column, false},
        {"id_column", &mapping_.id_column, view},
        {"view", &mapping_.view, false},
    };
    for (const Named& n : names) {
      if (n.name->empty()) {
        if (!n.required) continue;
        return FieldError(n.field, view && n.field == "id_column"
                                       ? "required for the view"
                                       : "required");
      }
      absl::Status s = CheckIdentifier(n.field, *n.name);
      if (!s.ok()) return s;
    }
    for (size_t i = 0; i < mapping_.holds.size(); ++i) {
      absl::Status s = CheckIdentifier(absl::StrCat("holds[", i, "].column"),
                                       mapping_.holds[i].column);
      if (!s.ok()) return s;
    }
    if (view) {
      for (absl::string_view own : {kEventDay, kFiscalYearEnd, kFilingDeadline}) {
        for (const std::string* column :
             {&mapping_.id_column, &mapping_.kind_column,
              &mapping_.event_column, &mapping_.contract_ended_column}) {
          if (*column == own) {
            return FieldError(own, "the view names a column of its own so");
          }
        }
      }
    }
    if (options_.as_of.has_value() &&
        (*options_.as_of < absl::FromUnixSeconds(FirstAcceptedSecond()) ||
         *options_.as_of >= absl::FromUnixSeconds(EndAcceptedSecond()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "as_of: outside the years ", pip::kMinYear, "-", pip::kMaxYear,
          " pip accepts (pip/limits.h)"));
    }

    // The policy's calendar and kinds.
    const v1::RetentionPolicy& r = policy_.retention();
    if (r.fiscal_year_end_month() != 0) {
      calendar_.fiscal_year_end_month = r.fiscal_year_end_month();
      calendar_.fiscal_year_end_day = r.fiscal_year_end_day();
      calendar_.fiscal_year_ends_at_month_end =
          r.fiscal_year_ends_at_month_end();
    }
    if (r.filing_deadline_months() != 0) {
      calendar_.filing_deadline_months = r.filing_deadline_months();
    }
    for (const v1::RetentionKind& k : r.kinds()) {
      KindRule rule;
      rule.id = k.id();
      rule.clause = k.clause();
      rule.deletion_method = k.deletion_method().id();
      rule.own = {k.clock(), PeriodOf(k.period())};
      rule.pending = k.event_may_be_pending();
      absl::StatusOr<pip::RetentionKindId> handle =
          snapshot_->RetentionKind(k.id());
      if (!handle.ok()) return handle.status();
      rule.handle = *handle;
      kinds_.push_back(std::move(rule));
    }
    for (const v1::StatutoryFloor& f : r.statutory_floors()) {
      for (const std::string& id : f.kinds()) {
        for (KindRule& rule : kinds_) {
          if (rule.id != id) continue;
          // A floor the same as the kind's own period changes nothing.
          const Period p = PeriodOf(f.period());
          if (f.clock() == rule.own.clock && p.months == rule.own.period.months &&
              p.days == rule.own.period.days) {
            continue;
          }
          rule.has_floor = true;
          rule.floor = {f.clock(), PeriodOf(f.period())};
          rule.floor_article = f.article();
        }
      }
    }

    // The company's values.
    if (mapping_.kinds.empty()) {
      for (KindRule& rule : kinds_) rule.values.push_back(rule.id);
    } else {
      absl::flat_hash_set<std::string> seen;
      for (const auto& [value, id] : mapping_.kinds) {
        const std::string field = absl::StrCat("kinds[\"", value, "\"]");
        if (!seen.insert(value).second) {
          return FieldError(field, "listed twice");
        }
        absl::StatusOr<pip::RetentionKindId> handle =
            snapshot_->RetentionKind(id);
        if (!handle.ok()) return FieldError(field, handle.status().message());
        for (KindRule& rule : kinds_) {
          if (rule.id == id) rule.values.push_back(value);
        }
      }
      for (const KindRule& rule : kinds_) {
        if (!rule.values.empty()) continue;
        return FieldError(
            "kinds",
            absl::StrCat("no value stands for the policy's kind '", rule.id,
                         "' (clause ", rule.clause,
                         "); map one to it (a value no row holds, if the "
                         "table keeps no such records)"));
      }
    }
    for (const KindRule& rule : kinds_) {
      if (rule.pending && mapping_.contract_ended_column.empty()) {
        return FieldError(
            "contract_ended_column",
            absl::StrCat("required: the policy's kind '", rule.id,
                         "' is clocked from the end of a contract "
                         "(event_may_be_pending); name the column that holds "
                         "when the contract ended, NULL while it runs (it may "
                         "be event_column)"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckIdentifier(absl::string_view field,
                               absl::string_view name) const {
    absl::Status s = CheckName(field, name);
    if (!s.ok()) return s;
    if (options_.dialect == SqlDialect::kPostgres &&
        name.size() > kMaxPostgresIdentifierBytes) {
      return FieldError(field,
                        absl::StrCat(name.size(),
                                     " bytes; PostgreSQL cuts identifiers at ",
                                     kMaxPostgresIdentifierBytes));
    }
    return absl::OkStatus();
  }

  std::string Table() const {
    return mapping_.schema.empty()
               ? sql_->Id(mapping_.table)
               : absl::StrCat(sql_->Id(mapping_.schema), ".",
                              sql_->Id(mapping_.table));
  }

  const std::string& ClockColumn(const KindRule& rule) const {
    return rule.pending ? mapping_.contract_ended_column
                        : mapping_.event_column;
  }

  std::string Header() const {
    std::string when =
        options_.as_of.has_value()
            ? absl::StrCat("as of ", absl::FormatTime("%Y-%m-%dT%H:%M:%E*S%Ez",
                                                      *options_.as_of, Tokyo()))
            : std::string(sql_->pg() ? "as of now()" : "as of 'now'");
    return absl::StrCat(
        "/* pip retention (clause 7): policy ",
        CommentText(engine_.policy_version()), ", sha256 ",
        engine_.policy_hash(), "; ", when,
        "; Asia/Tokyo days (UTC+9); docs/scale.md */\n");
  }

  std::string DescribeRule(const KindRule& rule) const {
    std::string d = absl::StrCat(rule.id, " (clause ", rule.clause, "): ",
                                 DescribePeriod(rule.own.period), " ",
                                 DescribeClock(rule.own.clock));
    if (rule.has_floor) {
      absl::StrAppend(&d, ", and at least ", DescribePeriod(rule.floor.period),
                      " ", DescribeClock(rule.floor.clock), " (",
                      rule.floor_article, ")");
    }
    if (rule.pending) absl::StrAppend(&d, "; NULL: the contract runs");
    return CommentText(d);
  }

  // The first event time of `rule` not due, as a constant of the query.
  absl::StatusOr<std::string> Threshold(const KindRule& rule) const {
    if (options_.as_of.has_value() && !options_.thresholds_in_sql) {
      absl::StatusOr<int64_t> day =
          FirstDayNotDueByPip(*snapshot_, rule.handle, *options_.as_of);
      if (!day.ok()) return day.status();
      return sql_->Time(TokyoStartOfDay(*day));
    }
    std::string columns =
        absl::StrCat(sql_->FirstDayNotDueStart(rule.own, "today"), " AS own_day");
    std::string first = sql_->FirstDayNotDueFinish(rule.own, "own_day");
    if (rule.has_floor) {
      absl::StrAppend(&columns, ", ",
                      sql_->FirstDayNotDueStart(rule.floor, "today"),
                      " AS floor_day");
      first = sql_->Least(first,
                          sql_->FirstDayNotDueFinish(rule.floor, "floor_day"));
    }
    return absl::StrCat("(SELECT ", sql_->StartOf(first), " FROM (SELECT ",
                        columns, " FROM (SELECT ", sql_->Today(),
                        " AS today) AS pip_today) AS pip_days)");
  }

  // The predicate (true exactly for due rows; NULL or false otherwise).
  std::string Predicate(bool in_view) const {
    const std::string indent = in_view ? "    " : "";
    std::vector<std::string> kinds;
    for (const KindRule& rule : kinds_) {
      const std::string column = sql_->Id(ClockColumn(rule));
      kinds.push_back(absl::StrCat(
          indent, "  /* ", DescribeRule(rule), " */\n", indent, "  (",
          ValuesTest(*sql_, mapping_.kind_column, rule.values), " AND ",
          column, " >= ", sql_->Time(FirstAcceptedSecond()), " AND ", column,
          " < ", rule.threshold, ")"));
    }
    std::string out = absl::StrCat(indent, "(\n",
                                   absl::StrJoin(kinds, "\n" + indent + "  OR\n"),
                                   "\n", indent, ")");
    for (const SqlHoldColumn& h : mapping_.holds) {
      const std::string c = sql_->Id(h.column);
      if (h.type == HoldColumnType::kActive) {
        absl::StrAppend(&out, "\n", indent, "AND ", c,
                        sql_->pg() ? " IS FALSE" : " = 0",
                        "  /* a hold (7); NULL counts as one */");
      } else {
        absl::StrAppend(&out, "\n", indent, "AND (", c, " IS NULL OR ", c,
                        " <= ", sql_->Now(), ")  /* a hold until (7) */");
      }
    }
    return out;
  }

  // CASE on the kind: `then(rule)` for each kind, NULL for another value.
  template <typename Then>
  std::string ByKind(Then then) const {
    std::string out = "CASE";
    for (const KindRule& rule : kinds_) {
      absl::StrAppend(&out, "\n      WHEN ",
                      ValuesTest(*sql_, mapping_.kind_column, rule.values),
                      " THEN ", then(rule));
    }
    absl::StrAppend(&out, "\n    END");
    return out;
  }

  std::string ClockDay(v1::RetentionClock clock) const {
    switch (clock) {
      case v1::RETENTION_CLOCK_FISCAL_YEAR_END:
        return sql_->Id(kFiscalYearEnd);
      case v1::RETENTION_CLOCK_FILING_DEADLINE:
        return sql_->Id(kFilingDeadline);
      default:
        return sql_->Id(kEventDay);
    }
  }

  std::string LastDay(const ClockedPeriod& c) const {
    return sql_->PeriodLastDay(sql_->NextDay(ClockDay(c.clock)), c.period);
  }

  std::string View() const {
    const std::string name =
        mapping_.view.empty() ? absl::StrCat(mapping_.table, "_retention")
                              : mapping_.view;
    const std::string view =
        mapping_.schema.empty()
            ? sql_->Id(name)
            : absl::StrCat(sql_->Id(mapping_.schema), ".", sql_->Id(name));
    // The base columns the view reads, each once.
    std::vector<std::string> columns;
    absl::flat_hash_set<std::string> seen;
    const auto add = [&](const std::string& c) {
      if (!c.empty() && seen.insert(c).second) columns.push_back(sql_->Id(c));
    };
    add(mapping_.id_column);
    add(mapping_.kind_column);
    add(mapping_.event_column);
    add(mapping_.contract_ended_column);
    for (const SqlHoldColumn& h : mapping_.holds) add(h.column);
    // The Tokyo day of the clock's event.
    std::string event_day = sql_->DayOf(mapping_.event_column);
    if (!mapping_.contract_ended_column.empty() &&
        mapping_.contract_ended_column != mapping_.event_column) {
      std::vector<std::string> pending;
      for (const KindRule& rule : kinds_) {
        if (rule.pending) {
          pending.insert(pending.end(), rule.values.begin(), rule.values.end());
        }
      }
      if (!pending.empty()) {
        event_day = absl::StrCat(
            "CASE WHEN ", ValuesTest(*sql_, mapping_.kind_column, pending),
            " THEN ", sql_->DayOf(mapping_.contract_ended_column), " ELSE ",
            event_day, " END");
      }
    }
    const std::string retain_until = ByKind([&](const KindRule& rule) {
      std::string last = LastDay(rule.own);
      if (rule.has_floor) last = sql_->Greatest(last, LastDay(rule.floor));
      return last;
    });
    const std::string clause = ByKind(
        [&](const KindRule& rule) { return sql_->Str(rule.clause); });
    const std::string method = ByKind(
        [&](const KindRule& rule) { return sql_->Str(rule.deletion_method); });
    const std::string fiscal_year_end =
        sql_->FiscalYearEndOf(sql_->Id(kEventDay));
    const std::string filing_deadline = sql_->PeriodLastDay(
        sql_->NextDay(sql_->Id(kFiscalYearEnd)), sql_->FilingMonths());
    return absl::StrCat(
        "CREATE VIEW ", view, " AS\nSELECT ", sql_->Id(mapping_.id_column),
        ",\n  COALESCE(\n", Predicate(/*in_view=*/true),
        ",\n    FALSE) AS ", sql_->Id("due"),
        ",\n  /* the last day kept (Asia/Tokyo) */\n    ", retain_until,
        " AS ", sql_->Id("retain_until"), ",\n    ", clause, " AS ",
        sql_->Id("clause"), ",\n    ", method, " AS ",
        sql_->Id("deletion_method"), "\nFROM (\n  SELECT s1.*, ",
        filing_deadline, " AS ", sql_->Id(kFilingDeadline),
        "\n  FROM (\n    SELECT s0.*, ", fiscal_year_end, " AS ",
        sql_->Id(kFiscalYearEnd), "\n    FROM (\n      SELECT ",
        absl::StrJoin(columns, ", "), ", ", event_day, " AS ",
        sql_->Id(kEventDay), "\n      FROM ", Table(),
        "\n    ) AS s0\n  ) AS s1\n) AS s2;\n");
  }

  std::string Problems() const {
    std::vector<std::string> all, needs_event, pending;
    for (const KindRule& rule : kinds_) {
      all.insert(all.end(), rule.values.begin(), rule.values.end());
      auto& group = rule.pending ? pending : needs_event;
      group.insert(group.end(), rule.values.begin(), rule.values.end());
    }
    const std::string kind = sql_->Id(mapping_.kind_column);
    const std::string low = sql_->Time(FirstAcceptedSecond());
    const std::string high = sql_->Time(EndAcceptedSecond());
    const auto outside = [&](const std::string& column) {
      const std::string c = sql_->Id(column);
      return absl::StrCat("(", c, " < ", low, " OR ", c, " >= ", high, ")");
    };
    std::string out_of_range;
    if (!needs_event.empty()) {
      out_of_range = absl::StrCat(
          "(", ValuesTest(*sql_, mapping_.kind_column, needs_event), " AND ",
          outside(mapping_.event_column), ")");
    }
    if (!pending.empty()) {
      absl::StrAppend(&out_of_range, out_of_range.empty() ? "" : " OR ", "(",
                      ValuesTest(*sql_, mapping_.kind_column, pending),
                      " AND ", outside(mapping_.contract_ended_column), ")");
    }
    std::string out = absl::StrCat(
        "SELECT * FROM (\n  SELECT t.*,\n    CASE\n      WHEN ", kind,
        " IS NULL OR NOT (", ValuesTest(*sql_, mapping_.kind_column, all),
        ")\n        THEN 'unknown kind: never selected'");
    if (!needs_event.empty()) {
      absl::StrAppend(&out, "\n      WHEN ",
                      ValuesTest(*sql_, mapping_.kind_column, needs_event),
                      " AND ", sql_->Id(mapping_.event_column),
                      " IS NULL\n        THEN 'no event for a kind that needs "
                      "one: never selected'");
    }
    if (!out_of_range.empty()) {
      absl::StrAppend(&out, "\n      WHEN ", out_of_range,
                      "\n        THEN 'event outside the years ",
                      pip::kMinYear, "-", pip::kMaxYear,
                      ": never selected'");
    }
    absl::StrAppend(&out, "\n    END AS ", sql_->Id("pip_problem"),
                    "\n  FROM ", Table(), " AS t\n) AS p\nWHERE ",
                    sql_->Id("pip_problem"), " IS NOT NULL;\n");
    return out;
  }

  const pip::Engine& engine_;
  const SqlMapping& mapping_;
  const SqlOptions& options_;
  const v1::Policy policy_;
  const std::shared_ptr<const pip::Snapshot> snapshot_;
  Calendar calendar_;
  std::vector<KindRule> kinds_;
  std::unique_ptr<Sql> sql_;
};

}  // namespace

absl::StatusOr<SqlDialect> ParseSqlDialect(absl::string_view name) {
  if (name == "postgres" || name == "postgresql") return SqlDialect::kPostgres;
  if (name == "sqlite") return SqlDialect::kSqlite;
  return absl::InvalidArgumentError(absl::StrCat(
      "dialect: unknown dialect '", name, "'; pipctl sql writes postgres or "
      "sqlite"));
}

std::string QuoteSqlIdentifier(absl::string_view name) {
  return absl::StrCat("\"", absl::StrReplaceAll(name, {{"\"", "\"\""}}),
                      "\"");
}

std::string QuoteSqlString(SqlDialect dialect, absl::string_view text) {
  const std::string quoted = absl::StrReplaceAll(text, {{"'", "''"}});
  if (dialect == SqlDialect::kPostgres && absl::StrContains(text, '\\')) {
    return absl::StrCat("E'", absl::StrReplaceAll(quoted, {{"\\", "\\\\"}}),
                        "'");
  }
  return absl::StrCat("'", quoted, "'");
}

absl::StatusOr<SqlMapping> ParseSqlMapping(absl::string_view json) {
  Struct root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(json), &root);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mapping: not a JSON object: ", std::string(parsed.message())));
  }
  SqlMapping m;
  for (const auto& [key, value] : root.fields()) {
    std::string* name = nullptr;
    if (key == "table") name = &m.table;
    if (key == "schema") name = &m.schema;
    if (key == "id_column") name = &m.id_column;
    if (key == "kind_column") name = &m.kind_column;
    if (key == "event_column") name = &m.event_column;
    if (key == "contract_ended_column") name = &m.contract_ended_column;
    if (key == "view") name = &m.view;
    if (name != nullptr) {
      absl::StatusOr<std::string> s = StringField(value, key);
      if (!s.ok()) return s.status();
      *name = *s;
      continue;
    }
    if (key == "kinds") {
      if (value.kind_case() != Value::kStructValue) {
        return FieldError(key, "must be an object of the company's kind "
                               "values to the policy's kind ids");
      }
      for (const auto& [company, id] : value.struct_value().fields()) {
        const std::string field = absl::StrCat("kinds[\"", company, "\"]");
        absl::Status c = CheckName(field, company);
        if (!c.ok()) return c;
        absl::StatusOr<std::string> s = StringField(id, field);
        if (!s.ok()) return s.status();
        m.kinds.emplace_back(company, *s);
      }
      // The order of a protobuf map is not the file's: sort, so that the
      // output is the same on every run.
      std::sort(m.kinds.begin(), m.kinds.end());
      continue;
    }
    if (key == "holds") {
      if (value.kind_case() != Value::kListValue) {
        return FieldError(key, "must be a list of {\"column\", \"type\"}");
      }
      const auto& list = value.list_value().values();
      for (int i = 0; i < list.size(); ++i) {
        const std::string field = absl::StrCat("holds[", i, "]");
        if (list[i].kind_case() != Value::kStructValue) {
          return FieldError(field, "must be an object {\"column\", \"type\"}");
        }
        SqlHoldColumn h;
        bool has_type = false;
        for (const auto& [k, v] : list[i].struct_value().fields()) {
          const std::string f = absl::StrCat(field, ".", k);
          absl::StatusOr<std::string> s = StringField(v, f);
          if (!s.ok()) return s.status();
          if (k == "column") {
            h.column = *s;
          } else if (k == "type") {
            has_type = true;
            if (*s == "active") {
              h.type = HoldColumnType::kActive;
            } else if (*s == "until") {
              h.type = HoldColumnType::kUntil;
            } else {
              return FieldError(f, absl::StrCat("unknown type '", *s,
                                                "'; one of active, until"));
            }
          } else {
            return FieldError(f, "unknown field; a hold has column and type");
          }
        }
        if (h.column.empty()) return FieldError(field + ".column", "required");
        if (!has_type) {
          return FieldError(field + ".type",
                            "required: active (a boolean) or until (a time)");
        }
        m.holds.push_back(h);
      }
      continue;
    }
    return FieldError(key,
                      "unknown field; the fields are table, schema, "
                      "id_column, kind_column, kinds, event_column, "
                      "contract_ended_column, holds, view");
  }
  for (const auto& [field, value] :
       {std::pair<absl::string_view, const std::string*>{"table", &m.table},
        {"kind_column", &m.kind_column},
        {"event_column", &m.event_column}}) {
    if (value->empty()) return FieldError(field, "required");
  }
  return m;
}

absl::StatusOr<std::string> CompileRetentionSql(const pip::Engine& engine,
                                                const SqlMapping& mapping,
                                                const SqlOptions& options) {
  return Compiler(engine, mapping, options).Compile();
}

}  // namespace pipctl
