// The SQL of `pipctl sql` (tools/pipctl/sql_retention.h) against pip's own
// retention_due (clause 7), row by row: a million generated rows, their
// event times massed at the days where the Civil Code arithmetic can go
// wrong (the leap day, month ends, the fiscal year end and the filing
// deadline of the accounting clock, Tokyo midnight against UTC midnight,
// the second either side, the first day pip accepts), with holds,
// contracts that have not ended, rows without an event and kind values
// the mapping does not name. Each evaluation time selects, in SQLite, the
// rows the compiled predicate calls due, and the set must be exactly the
// rows pip calls due; the first differing rows are printed with both
// answers.
//
// Run with no arguments: the SQLite test (gtest). For the PostgreSQL test
// (tools/pipctl/sql_postgres_test.sh, which starts a server):
//   sql_differential_test --pg-write DIR   the rows (COPY text) and the SQL
//   sql_differential_test --pg-check DIR   compare what the server selected
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/snapshot.h"
#include "tools/pipctl/sql_retention.h"

namespace pipctl {
namespace {

constexpr int kRows = 1000000;
// The view computes retain_until row by row; the first rows suffice.
constexpr int kViewRows = 25000;
constexpr int64_t kDay = 86400;
constexpr int64_t kTokyo = 9 * 3600;

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone* tz =
      new absl::TimeZone(absl::FixedTimeZone(kTokyo));
  return *tz;
}

absl::Time At(absl::string_view rfc3339) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) std::abort();
  return t;
}

// The evaluation times: the leap day, the second before it, a month end
// that is the fiscal year end, the day after a filing deadline, Tokyo
// midnight given in UTC, the last second of a Tokyo day, an ordinary day.
std::vector<absl::Time> AsOfTimes() {
  return {At("2028-02-29T00:00:00+09:00"), At("2028-02-28T23:59:59+09:00"),
          At("2027-03-31T00:00:00+09:00"), At("2026-06-01T00:00:00+09:00"),
          At("2027-01-31T15:00:00Z"),      At("2031-05-31T14:59:59Z"),
          At("2026-12-03T12:34:56.5+09:00")};
}

// The company's kind values: the mapping names the first kMapped (one has
// a quote and a backslash, one double quotes); the rest are values it
// does not name, which are never selected.
struct KindValue {
  const char* value;  // nullptr: SQL NULL
  const char* kind;   // the policy's id; nullptr: not mapped
};
constexpr KindValue kValues[] = {
    {"INQ", "inquiry"},
    {"inquiry", "inquiry"},
    {"contract", "contract_transaction"},
    {"acct", "accounting"},
    {"mkt'g\\x", "marketing"},
    {"web", "web_access"},
    {"\"seminar\"", "training_seminar"},
    {"prov", "provision_record"},
    {"conf", "confirmation_record"},
    {"unknown", nullptr},
    {"Inq", nullptr},
    {"", nullptr},
    {"inquiry ", nullptr},
    {nullptr, nullptr},
};
constexpr int kMapped = 9;
constexpr int kValueCount = sizeof(kValues) / sizeof(kValues[0]);

constexpr char kMappingJson[] = R"json({
  "table": "records",
  "id_column": "id",
  "kind_column": "kind",
  "kinds": {"INQ": "inquiry", "inquiry": "inquiry",
            "contract": "contract_transaction", "acct": "accounting",
            "mkt'g\\x": "marketing", "web": "web_access",
            "\"seminar\"": "training_seminar", "prov": "provision_record",
            "conf": "confirmation_record"},
  "event_column": "event_at",
  "contract_ended_column": "contract_ended_at",
  "holds": [{"column": "legal_hold", "type": "active"},
            {"column": "hold_until", "type": "until"}]
})json";

struct Row {
  int value = 0;  // into kValues
  std::optional<int64_t> event_at;
  std::optional<int64_t> contract_ended_at;
  std::optional<bool> legal_hold;  // nullopt: NULL, which counts as a hold
  std::optional<int64_t> hold_until;
};

// pip's answer for one row: due, and the last day kept when the clock
// started (nullopt: not started; error: pip refused the row).
struct Answer {
  bool due = false;
  bool error = false;
  std::optional<int32_t> retain_until;
  std::string what;
};

class Fixture {
 public:
  Fixture() {
    engine_ = std::move(*pip::Engine::Create(pip::PolicySource::Default()));
    snapshot_ = engine_->snapshot();
    for (const KindValue& v : kValues) {
      handles_.push_back(v.kind == nullptr
                             ? std::nullopt
                             : std::optional<pip::RetentionKindId>(
                                   *snapshot_->RetentionKind(v.kind)));
    }
    hold_type_ = *snapshot_->HoldType("dispute");
    Generate();
  }

  const pip::Engine& engine() const { return *engine_; }
  const std::vector<Row>& rows() const { return rows_; }

  // `explain`: fill Answer::what (only for rows that are reported).
  Answer Pip(const Row& row, absl::Time as_of, bool explain = false) const {
    Answer a;
    const KindValue& v = kValues[row.value];
    if (v.kind == nullptr) {
      a.error = true;
      a.what = "unknown kind";
      return a;
    }
    pip::RetentionFacts f;
    f.kind = *handles_[row.value];
    const bool pending = IsContract(row.value);
    const std::optional<int64_t> event =
        pending ? row.contract_ended_at : row.event_at;
    if (event.has_value()) f.event_at = absl::FromUnixSeconds(*event);
    pip::RecordHold holds[2];
    size_t n = 0;
    if (row.legal_hold != std::optional<bool>(false)) {
      holds[n++] = {hold_type_, absl::InfiniteFuture()};
    }
    if (row.hold_until.has_value()) {
      holds[n++] = {hold_type_, absl::FromUnixSeconds(*row.hold_until)};
    }
    f.holds = absl::MakeConstSpan(holds, n);
    f.as_of = as_of;
    absl::StatusOr<pip::RetentionVerdict> verdict = snapshot_->RetentionDue(f);
    if (!verdict.ok()) {
      a.error = true;
      if (explain) a.what = std::string(verdict.status().message());
      return a;
    }
    a.due = verdict->due;
    if (verdict->clock_started) a.retain_until = verdict->retain_until_days;
    if (explain) {
      a.what = a.due ? "due"
                     : absl::StrCat("not due (",
                                    pip::v1::ReasonCode_Name(verdict->reason),
                                    ")");
    }
    return a;
  }

  static bool IsContract(int value) {
    return kValues[value].kind != nullptr &&
           absl::string_view(kValues[value].kind) == "contract_transaction";
  }

  static std::string Time(std::optional<int64_t> t) {
    if (!t.has_value()) return "NULL";
    return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", absl::FromUnixSeconds(*t),
                            Tokyo());
  }

  std::string Describe(int64_t id, const Row& r) const {
    const KindValue& v = kValues[r.value];
    return absl::StrCat(
        "id ", id, ": kind ", v.value == nullptr ? "NULL" : absl::StrCat("'", v.value, "'"),
        ", event_at ", Time(r.event_at), ", contract_ended_at ",
        Time(r.contract_ended_at), ", legal_hold ",
        r.legal_hold.has_value() ? (*r.legal_hold ? "true" : "false") : "NULL",
        ", hold_until ", Time(r.hold_until));
  }

 private:
  void Generate() {
    std::mt19937_64 rng(20260401);
    const auto uniform = [&](int64_t lo, int64_t hi) {
      return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    const std::vector<absl::Time> as_ofs = AsOfTimes();
    // Each mapped kind's first day not due at each evaluation time, by
    // pip: the days where an error of a day would show.
    std::vector<int64_t> thresholds;
    for (absl::Time as_of : as_ofs) {
      for (int v = 0; v < kMapped; ++v) {
        pip::RetentionFacts f;
        f.kind = *handles_[v];
        f.as_of = as_of;
        int64_t lo = -25567, hi = absl::ToUnixSeconds(as_of) / kDay + 1;
        while (hi - lo > 1) {
          const int64_t mid = lo + (hi - lo) / 2;
          f.event_at = absl::FromUnixSeconds(mid * kDay - kTokyo);
          absl::StatusOr<pip::RetentionVerdict> r = snapshot_->RetentionDue(f);
          (r.ok() && r->due ? lo : hi) = mid;
        }
        thresholds.push_back(hi);
      }
    }
    // Days of the calendar where periods turn: the leap day and its
    // neighbours, month ends, the fiscal year end (3/31) and the filing
    // deadline (5/31).
    constexpr int kSpecial[][2] = {{2, 28}, {2, 29}, {3, 1},  {3, 31},
                                   {4, 1},  {5, 31}, {6, 1},  {1, 31},
                                   {4, 30}, {12, 31}, {1, 1}, {8, 31},
                                   {9, 30}, {10, 31}, {11, 30}};
    // Seconds of the Tokyo day: midnight, the second after, the last
    // second, UTC midnight (09:00) and its neighbours.
    constexpr int64_t kSeconds[] = {0, 1, kDay - 1, kTokyo - 1, kTokyo,
                                    kTokyo + 1};
    const auto tokyo_day = [](int64_t y, int m, int d) {
      return (absl::CivilDay(y, m, d) - absl::CivilDay(1970, 1, 1));
    };
    const auto event_time = [&]() -> int64_t {
      int64_t day;
      const int pick = static_cast<int>(uniform(0, 99));
      if (pick < 45) {
        day = thresholds[uniform(0, thresholds.size() - 1)] + uniform(-2, 2);
      } else if (pick < 75) {
        const auto& s = kSpecial[uniform(0, std::size(kSpecial) - 1)];
        // absl normalizes 2/29 of a common year to 3/1.
        day = tokyo_day(uniform(1995, 2032), s[0], s[1]) + uniform(-1, 1);
      } else if (pick < 97) {
        day = uniform(tokyo_day(1960, 1, 1), tokyo_day(2035, 12, 31));
      } else {
        // The first day pip accepts, and the day before (an error).
        day = tokyo_day(1900, 1, 1) + uniform(-2, 1);
      }
      const int64_t second =
          uniform(0, 3) == 0 ? uniform(0, kDay - 1)
                             : kSeconds[uniform(0, std::size(kSeconds) - 1)];
      return day * kDay - kTokyo + second;
    };
    rows_.resize(kRows);
    for (Row& r : rows_) {
      // Mostly mapped values; 3% values the mapping does not name.
      r.value = uniform(0, 99) < 97 ? static_cast<int>(uniform(0, kMapped - 1))
                                    : static_cast<int>(uniform(kMapped, kValueCount - 1));
      const bool contract = IsContract(r.value);
      // The clock's column: NULL for 15% of contracts (still running) and
      // 2% of the others (an error: the kind needs an event); the other
      // column holds a decoy time the SQL must not read.
      std::optional<int64_t> clock;
      if (uniform(0, 99) >= (contract ? 15 : 2)) clock = event_time();
      std::optional<int64_t> decoy;
      if (uniform(0, 1) == 0) decoy = event_time();
      r.event_at = contract ? decoy : clock;
      r.contract_ended_at = contract ? clock : decoy;
      const int hold = static_cast<int>(uniform(0, 99));
      if (hold < 88) {
        r.legal_hold = false;
      } else if (hold < 97) {
        r.legal_hold = true;
      }  // else NULL
      if (uniform(0, 9) < 3) {
        // Around an evaluation time: a hold that ends at as_of no longer
        // keeps the record; one a second later does.
        constexpr int64_t kOffsets[] = {-kDay, -1, 0, 1, kDay};
        r.hold_until = absl::ToUnixSeconds(as_ofs[uniform(0, as_ofs.size() - 1)]) +
                       kOffsets[uniform(0, std::size(kOffsets) - 1)];
      }
    }
  }

  std::unique_ptr<pip::Engine> engine_;
  std::shared_ptr<const pip::Snapshot> snapshot_;
  std::vector<std::optional<pip::RetentionKindId>> handles_;
  pip::HoldTypeId hold_type_;
  std::vector<Row> rows_;
};

const Fixture& Data() {
  static const Fixture* f = new Fixture();
  return *f;
}

SqlMapping Mapping() {
  absl::StatusOr<SqlMapping> m = ParseSqlMapping(kMappingJson);
  if (!m.ok()) {
    std::cerr << m.status() << "\n";
    std::abort();
  }
  return *m;
}

std::string Compile(SqlDialect dialect, SqlForm form,
                    std::optional<absl::Time> as_of, bool in_sql) {
  SqlOptions o;
  o.dialect = dialect;
  o.form = form;
  o.as_of = as_of;
  o.thresholds_in_sql = in_sql;
  absl::StatusOr<std::string> sql =
      CompileRetentionSql(Data().engine(), Mapping(), o);
  if (!sql.ok()) {
    std::cerr << sql.status() << "\n";
    std::abort();
  }
  return *sql;
}

// Compares the ids a database selected with pip's due rows; returns the
// first differing rows, described, or an empty string.
std::string CompareSelected(const std::vector<bool>& selected,
                            absl::Time as_of, absl::string_view label) {
  const Fixture& d = Data();
  std::string out;
  int shown = 0, differing = 0;
  for (size_t i = 0; i < d.rows().size(); ++i) {
    const Answer a = d.Pip(d.rows()[i], as_of);
    if (a.due == selected[i]) continue;
    ++differing;
    if (shown++ < 5) {
      absl::StrAppend(&out, "  ", d.Describe(static_cast<int64_t>(i), d.rows()[i]),
                      "\n    pip: ", d.Pip(d.rows()[i], as_of, true).what, "; SQL: ",
                      selected[i] ? "selected" : "not selected", "\n");
    }
  }
  if (differing == 0) return "";
  return absl::StrCat(label, " at ",
                      absl::FormatTime(absl::RFC3339_full, as_of, Tokyo()),
                      ": ", differing, " rows differ; the first:\n", out);
}

// --- SQLite --------------------------------------------------------------------

class Sqlite {
 public:
  Sqlite() {
    if (sqlite3_open(":memory:", &db_) != SQLITE_OK) std::abort();
    Exec("CREATE TABLE records (id INTEGER PRIMARY KEY, kind TEXT, "
         "event_at INTEGER, contract_ended_at INTEGER, legal_hold INTEGER, "
         "hold_until INTEGER)");
    Exec("BEGIN");
    sqlite3_stmt* insert = Prepare(
        "INSERT INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    const std::vector<Row>& rows = Data().rows();
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      sqlite3_bind_int64(insert, 1, static_cast<int64_t>(i));
      const char* v = kValues[r.value].value;
      if (v == nullptr) {
        sqlite3_bind_null(insert, 2);
      } else {
        sqlite3_bind_text(insert, 2, v, -1, SQLITE_STATIC);
      }
      const auto bind = [&](int col, std::optional<int64_t> x) {
        if (x.has_value()) {
          sqlite3_bind_int64(insert, col, *x);
        } else {
          sqlite3_bind_null(insert, col);
        }
      };
      bind(3, r.event_at);
      bind(4, r.contract_ended_at);
      if (r.legal_hold.has_value()) {
        sqlite3_bind_int(insert, 5, *r.legal_hold ? 1 : 0);
      } else {
        sqlite3_bind_null(insert, 5);
      }
      bind(6, r.hold_until);
      if (sqlite3_step(insert) != SQLITE_DONE) Fail("insert");
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    Exec("COMMIT");
  }
  ~Sqlite() { sqlite3_close(db_); }

  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::cerr << "SQLite: " << (error ? error : "") << "\n" << sql << "\n";
      std::abort();
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Fail(sql);
    }
    return stmt;
  }
  [[noreturn]] void Fail(const std::string& what) {
    std::cerr << "SQLite: " << sqlite3_errmsg(db_) << "\n" << what << "\n";
    std::abort();
  }

  std::vector<bool> Select(const std::string& predicate) {
    std::vector<bool> selected(kRows, false);
    sqlite3_stmt* stmt =
        Prepare(absl::StrCat("SELECT id FROM records WHERE ", predicate));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      selected[sqlite3_column_int64(stmt, 0)] = true;
    }
    if (rc != SQLITE_DONE) Fail(predicate);
    sqlite3_finalize(stmt);
    return selected;
  }

  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

Sqlite& Db() {
  static Sqlite* db = new Sqlite();
  return *db;
}

// Clause 7: at each evaluation time the predicate selects exactly the rows
// retention_due calls due, with pip's thresholds as constants and with
// the SQL's own Civil Code arithmetic (the one now() takes).
TEST(SqlDifferentialTest, SqliteSelectsExactlyTheRowsPipCallsDue_Clause7) {
  // The PostgreSQL test runs all seven times both ways; here five with the
  // SQL's arithmetic and two with pip's constants keep the run short.
  const std::vector<absl::Time> as_ofs = AsOfTimes();
  for (size_t i : {0, 2, 4, 5, 6}) {
    for (bool in_sql : {true, false}) {
      if (!in_sql && i != 0 && i != 6) continue;
      const std::string predicate =
          Compile(SqlDialect::kSqlite, SqlForm::kPredicate, as_ofs[i], in_sql);
      const std::string diff = CompareSelected(
          Db().Select(predicate), as_ofs[i],
          in_sql ? "thresholds computed in SQL" : "pip's thresholds");
      EXPECT_TRUE(diff.empty()) << diff;
    }
  }
}

// Clause 7: the default predicate, evaluated at the database's 'now'.
TEST(SqlDifferentialTest, SqliteNowPredicateAgreesWithPipAtNow_Clause7) {
  const std::string predicate =
      Compile(SqlDialect::kSqlite, SqlForm::kPredicate, std::nullopt, false);
  ASSERT_NE(predicate.find("'now'"), std::string::npos);
  for (int attempt = 0;; ++attempt) {
    const absl::Time before = absl::Now();
    const std::vector<bool> selected = Db().Select(predicate);
    const absl::Time after = absl::Now();
    // A Tokyo midnight in between moves every threshold: once more.
    if (absl::ToCivilDay(before, Tokyo()) != absl::ToCivilDay(after, Tokyo()) &&
        attempt == 0) {
      continue;
    }
    // No generated time lies near the real now: both ends agree.
    const std::string diff = CompareSelected(selected, before, "now");
    EXPECT_TRUE(diff.empty()) << diff;
    break;
  }
}

// The problems query (--unknown-kinds) lists exactly the rows pip refuses
// (an unknown kind, no event for a kind that needs one, an event outside
// the years pip accepts): those the predicate never selects.
std::string CompareProblems(const std::vector<bool>& listed) {
  const Fixture& d = Data();
  const absl::Time as_of = AsOfTimes()[0];
  std::string out;
  int differing = 0;
  for (size_t i = 0; i < d.rows().size(); ++i) {
    const Answer a = d.Pip(d.rows()[i], as_of);
    if (a.error == listed[i]) continue;
    if (differing++ < 5) {
      absl::StrAppend(&out, "  ", d.Describe(static_cast<int64_t>(i), d.rows()[i]),
                      "\n    pip: ", a.error ? "refused: " : "",
                      d.Pip(d.rows()[i], as_of, true).what, "; listed: ",
                      listed[i] ? "yes" : "no", "\n");
    }
  }
  return differing == 0 ? "" : absl::StrCat(differing, " rows differ:\n", out);
}

// The query of `pipctl sql --unknown-kinds`, selecting the ids.
std::string ProblemIds(SqlDialect dialect) {
  std::string sql = Compile(dialect, SqlForm::kProblems, std::nullopt, false);
  while (!sql.empty() && (sql.back() == '\n' || sql.back() == ';')) sql.pop_back();
  return absl::StrCat("SELECT id FROM (", sql, ") AS q");
}

TEST(SqlDifferentialTest, SqliteProblemsListTheRowsPipRefuses) {
  const std::string sql = ProblemIds(SqlDialect::kSqlite);
  std::vector<bool> listed(kRows, false);
  sqlite3_stmt* stmt = Db().Prepare(sql);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    listed[sqlite3_column_int64(stmt, 0)] = true;
  }
  sqlite3_finalize(stmt);
  const std::string diff = CompareProblems(listed);
  EXPECT_TRUE(diff.empty()) << diff;
}

// Clause 7: the view's due and retain_until are pip's, row by row.
TEST(SqlDifferentialTest, SqliteViewGivesPipsRetainUntil_Clause7) {
  const Fixture& d = Data();
  Sqlite& db = Db();
  for (absl::Time as_of : {AsOfTimes()[0], AsOfTimes()[3]}) {
    std::string view =
        Compile(SqlDialect::kSqlite, SqlForm::kView, as_of, true);
    db.Exec("DROP VIEW IF EXISTS records_retention");
    db.Exec(view);
    sqlite3_stmt* stmt = db.Prepare(absl::StrCat(
        "SELECT id, due, retain_until, clause FROM records_retention WHERE "
        "id < ",
        kViewRows, " ORDER BY id"));
    int checked = 0, differing = 0;
    std::string first;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const int64_t id = sqlite3_column_int64(stmt, 0);
      const Row& r = d.rows()[id];
      const Answer a = d.Pip(r, as_of);
      const bool due = sqlite3_column_int(stmt, 1) != 0;
      const unsigned char* until = sqlite3_column_text(stmt, 2);
      std::string sql_until = until ? reinterpret_cast<const char*>(until) : "NULL";
      std::string pip_until = "NULL";
      if (a.retain_until.has_value()) {
        pip_until = absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) +
                                          *a.retain_until);
      }
      ++checked;
      // A row pip refuses (an unknown kind, no event, out of range) is
      // never due; its retain_until is not pip's to give.
      const bool same =
          due == a.due && (a.error ? true : sql_until == pip_until) &&
          (kValues[r.value].kind == nullptr ? sql_until == "NULL" : true);
      if (same) continue;
      if (differing++ < 5) {
        absl::StrAppend(&first, "  ", d.Describe(id, r), "\n    pip: ",
                        d.Pip(r, as_of, true).what,
                        ", retain_until ", pip_until, "; view: due ", due,
                        ", retain_until ", sql_until, "\n");
      }
    }
    sqlite3_finalize(stmt);
    EXPECT_EQ(checked, kViewRows);
    EXPECT_EQ(differing, 0) << first;
  }
}

// --- PostgreSQL: the files tools/pipctl/sql_postgres_test.sh runs -----------

std::string CopyText(const char* s) {
  if (s == nullptr) return "\\N";
  std::string out;
  for (const char* p = s; *p; ++p) {
    if (*p == '\\' || *p == '\t' || *p == '\n' || *p == '\r') out += '\\';
    out += *p;
  }
  return out;
}
std::string CopyTime(std::optional<int64_t> t) {
  if (!t.has_value()) return "\\N";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S+00", absl::FromUnixSeconds(*t),
                          absl::UTCTimeZone());
}

// The cases of the PostgreSQL test: every evaluation time with the SQL's
// arithmetic (PostgreSQL's differs from SQLite's), two with pip's constants.
bool PgCase(size_t as_of, bool in_sql) {
  return in_sql || as_of == 0 || as_of == 6;
}

int PgWrite(const std::string& dir) {
  const Fixture& d = Data();
  {
    std::ofstream rows(dir + "/rows.copy", std::ios::binary);
    std::string line;
    for (size_t i = 0; i < d.rows().size(); ++i) {
      const Row& r = d.rows()[i];
      line.clear();
      absl::StrAppend(&line, i, "\t", CopyText(kValues[r.value].value), "\t",
                      CopyTime(r.event_at), "\t", CopyTime(r.contract_ended_at),
                      "\t",
                      r.legal_hold.has_value() ? (*r.legal_hold ? "t" : "f")
                                               : "\\N",
                      "\t", CopyTime(r.hold_until), "\n");
      rows << line;
    }
    if (!rows) return 2;
  }
  std::ofstream sql(dir + "/queries.sql", std::ios::binary);
  // Unlogged and without a key: loaded once, read a dozen times.
  sql << "CREATE UNLOGGED TABLE records (id bigint, kind text, "
         "event_at timestamptz, contract_ended_at timestamptz, "
         "legal_hold boolean, hold_until timestamptz);\n"
         "\\copy records FROM 'rows.copy'\n"
         "ANALYZE records;\n";
  const std::vector<absl::Time> as_ofs = AsOfTimes();
  for (size_t i = 0; i < as_ofs.size(); ++i) {
    for (bool in_sql : {false, true}) {
      if (!PgCase(i, in_sql)) continue;
      sql << "\\o got_" << i << "_" << in_sql << ".txt\n"
          << "COPY (SELECT id FROM records WHERE\n"
          << Compile(SqlDialect::kPostgres, SqlForm::kPredicate, as_ofs[i],
                     in_sql)
          << "ORDER BY id) TO STDOUT;\n";
    }
  }
  // The default predicate at now(), and now() itself in the same
  // transaction (now() is its start).
  sql << "BEGIN;\n\\o now.txt\n"
         "COPY (SELECT to_char(now() AT TIME ZONE 'UTC', "
         "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) TO STDOUT;\n"
         "\\o got_now.txt\nCOPY (SELECT id FROM records WHERE\n"
      << Compile(SqlDialect::kPostgres, SqlForm::kPredicate, std::nullopt,
                 false)
      << "ORDER BY id) TO STDOUT;\nCOMMIT;\n";
  // The rows --unknown-kinds lists.
  sql << "\\o problems.txt\nCOPY (" << ProblemIds(SqlDialect::kPostgres)
      << " ORDER BY id) TO STDOUT;\n";
  // The view at one evaluation time.
  sql << "\\o\n"
      << Compile(SqlDialect::kPostgres, SqlForm::kView, as_ofs[0], true)
      << "\\o view.txt\nCOPY (SELECT id, due, retain_until FROM "
         "records_retention WHERE id < "
      << kViewRows << " ORDER BY id) TO STDOUT;\n\\o\n";
  return sql ? 0 : 2;
}

std::optional<std::vector<bool>> ReadIds(const std::string& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::vector<bool> selected(kRows, false);
  int64_t id;
  while (in >> id) {
    if (id < 0 || id >= kRows) return std::nullopt;
    selected[id] = true;
  }
  return selected;
}

int PgCheck(const std::string& dir) {
  const Fixture& d = Data();
  int failures = 0;
  const auto check = [&](const std::string& file, absl::Time as_of,
                         absl::string_view label) {
    std::optional<std::vector<bool>> got = ReadIds(dir + "/" + file);
    if (!got.has_value()) {
      std::cerr << "FAIL " << file << ": missing or unreadable\n";
      ++failures;
      return;
    }
    const std::string diff = CompareSelected(*got, as_of, label);
    if (!diff.empty()) {
      std::cerr << "FAIL " << file << ": " << diff;
      ++failures;
      return;
    }
    size_t n = 0;
    for (bool b : *got) n += b;
    std::cout << "ok   " << file << ": " << n << " of " << kRows
              << " rows due, as pip says (" << label << ")\n";
  };
  const std::vector<absl::Time> as_ofs = AsOfTimes();
  for (size_t i = 0; i < as_ofs.size(); ++i) {
    for (bool in_sql : {false, true}) {
      if (!PgCase(i, in_sql)) continue;
      check(absl::StrCat("got_", i, "_", in_sql, ".txt"), as_ofs[i],
            in_sql ? "thresholds computed in SQL" : "pip's thresholds");
    }
  }
  std::ifstream now_file(dir + "/now.txt");
  std::string now_text;
  absl::Time now;
  std::string error;
  if (!std::getline(now_file, now_text) ||
      !absl::ParseTime(absl::RFC3339_full, now_text, &now, &error)) {
    std::cerr << "FAIL now.txt: no time\n";
    ++failures;
  } else {
    check("got_now.txt", now, "now()");
  }
  {
    std::optional<std::vector<bool>> listed = ReadIds(dir + "/problems.txt");
    const std::string diff =
        listed.has_value() ? CompareProblems(*listed) : "missing";
    if (diff.empty()) {
      std::cout << "ok   problems.txt: --unknown-kinds lists exactly the rows "
                   "pip refuses\n";
    } else {
      std::cerr << "FAIL problems.txt: " << diff;
      ++failures;
    }
  }
  // The view: id, due (t/f), retain_until (YYYY-MM-DD or \N).
  std::ifstream view(dir + "/view.txt");
  std::string line;
  int lines = 0, differing = 0;
  while (std::getline(view, line)) {
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    int64_t id = -1;
    if (f.size() != 3 || !absl::SimpleAtoi(f[0], &id) || id < 0 || id >= kRows) {
      ++differing;
      continue;
    }
    ++lines;
    const Row& r = d.rows()[id];
    const Answer a = d.Pip(r, as_ofs[0]);
    std::string pip_until = "\\N";
    if (a.retain_until.has_value()) {
      pip_until = absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) + *a.retain_until);
    }
    const bool due = f[1] == "t";
    if (due == a.due && (a.error || f[2] == pip_until)) continue;
    if (differing++ < 5) {
      std::cerr << "  " << d.Describe(id, r)
                << "\n    pip: " << d.Pip(r, as_ofs[0], true).what
                << ", retain_until " << pip_until << "; view: " << line << "\n";
    }
  }
  if (lines != kViewRows || differing != 0) {
    std::cerr << "FAIL view.txt: " << lines << " rows, " << differing
              << " differ from pip\n";
    ++failures;
  } else {
    std::cout << "ok   view.txt: due and retain_until of " << lines
              << " rows are pip's\n";
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace pipctl

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--pg-write") {
    return pipctl::PgWrite(argv[2]);
  }
  if (argc == 3 && std::string(argv[1]) == "--pg-check") {
    return pipctl::PgCheck(argv[2]);
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
