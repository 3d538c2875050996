// retention_sweeper: deletes the records whose retention period (clause 7)
// has ended, in one transaction, and keeps the held ones.
//
//   retention_sweeper --db=FILE [--as_of=RFC3339] [--policy=FILE] [--dry_run]
//
// The database has a `records` table (id, kind, subject_id, event_at) and a
// `holds` table (id, record_id, type, until); sample.sql creates one. pip's
// decision is registered as the SQL functions pip_retention_due and
// pip_retention_decision (pip_sqlite.h); the sweep, inside one IMMEDIATE
// transaction,
//   1. reads every record with its decision, for the report;
//   2. deletes, with one DELETE, the records pip_retention_due says are due;
//   3. commits only if step 2 deleted exactly the records step 1 found due.
// Any error (of pip or of SQLite) rolls back: nothing is deleted. It prints
//
//   DELETED #<id> <kind> <subject> event <event_at> retain_until <date> [<clause>] <method> (<method label>)
//   KEPT    #<id> <kind> ... [<clause>] <REASON_CODE> ...
//
// and a summary line. Exit status: 0 on success, 1 on any error.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "example_flags.h"
#include "pip/engine.h"
#include "pip_sqlite.h"

ABSL_FLAG(std::string, db, "", "The SQLite database to sweep; must exist.");
ABSL_FLAG(bool, dry_run, false, "Report what is due, delete nothing.");

namespace {

using google::protobuf::util::TimeUtil;

// Every record with its holds as a JSON array of pip.v1.Hold. Adapt this
// view to your schema; the sweep below only reads it.
constexpr char kCandidatesView[] = R"sql(
CREATE TEMP VIEW retention_candidates AS
SELECT r.id, r.kind, r.subject_id, r.event_at,
       (SELECT json_group_array(json_object('type', h.type, 'until', h.until,
                                            'id', h.id))
          FROM holds h WHERE h.record_id = r.id) AS holds
  FROM records r)sql";

constexpr char kDecisionsSql[] = R"sql(
SELECT id, kind, subject_id, event_at,
       pip_retention_decision(kind, event_at, holds, ?1)
  FROM retention_candidates ORDER BY id)sql";

constexpr char kDeleteSql[] = R"sql(
DELETE FROM records WHERE id IN (
  SELECT id FROM retention_candidates
   WHERE pip_retention_due(kind, event_at, holds, ?1)))sql";

struct Row {
  int64_t id = 0;
  std::string kind, subject_id, event_at;
  pip::v1::RetentionDueDecision decision;
};

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Statement = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

absl::Status SqlError(sqlite3* db, absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", sqlite3_errmsg(db)));
}

absl::Status Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db, sql);
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> Prepare(sqlite3* db, const char* sql,
                                  const std::string& as_of) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return SqlError(db, "prepare");
  }
  Statement owned(stmt, &sqlite3_finalize);
  if (sqlite3_bind_text(stmt, 1, as_of.data(), static_cast<int>(as_of.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    return SqlError(db, "bind as_of");
  }
  return owned;
}

std::string Column(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  return text == nullptr ? "" : reinterpret_cast<const char*>(text);
}

// Steps 1 and 2 of the sweep; the caller owns the transaction.
absl::StatusOr<std::vector<Row>> DecideAndDelete(sqlite3* db,
                                                 const std::string& as_of) {
  absl::StatusOr<Statement> select = Prepare(db, kDecisionsSql, as_of);
  if (!select.ok()) return select.status();
  std::vector<Row> rows;
  int due = 0;
  int rc;
  while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
    Row row;
    row.id = sqlite3_column_int64(select->get(), 0);
    row.kind = Column(select->get(), 1);
    row.subject_id = Column(select->get(), 2);
    row.event_at = Column(select->get(), 3);
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        Column(select->get(), 4), &row.decision);
    if (!parsed.ok()) {
      return absl::InternalError(absl::StrCat("record ", row.id,
                                              ": unreadable decision"));
    }
    due += row.decision.due();
    rows.push_back(std::move(row));
  }
  // An error of pip inside the SQL function ends the statement here.
  if (rc != SQLITE_DONE) return SqlError(db, "reading records");

  absl::StatusOr<Statement> remove = Prepare(db, kDeleteSql, as_of);
  if (!remove.ok()) return remove.status();
  if (sqlite3_step(remove->get()) != SQLITE_DONE) {
    return SqlError(db, "deleting records");
  }
  if (sqlite3_changes(db) != due) {
    return absl::InternalError(absl::StrCat("deleted ", sqlite3_changes(db),
                                            " records, but ", due, " are due"));
  }
  return rows;
}

// The whole sweep in one transaction: committed only when every step
// succeeded (and not on a dry run), rolled back otherwise.
absl::StatusOr<std::vector<Row>> Sweep(sqlite3* db, const std::string& as_of,
                                       bool dry_run) {
  absl::Status begun = Exec(db, "BEGIN IMMEDIATE");
  if (!begun.ok()) return begun;
  absl::StatusOr<std::vector<Row>> rows = DecideAndDelete(db, as_of);
  if (!rows.ok() || dry_run) {
    absl::Status undone = Exec(db, "ROLLBACK");
    if (!rows.ok()) return rows.status();
    if (!undone.ok()) return undone;
    return rows;
  }
  absl::Status committed = Exec(db, "COMMIT");
  if (!committed.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();  // COMMIT failed: nothing was kept
    return committed;
  }
  return rows;
}

void PrintReason(const pip::v1::Reason& r) {
  std::cout << " [" << r.clause() << "] " << pip::v1::ReasonCode_Name(r.code());
  if (!r.hold_type().empty()) std::cout << " " << r.hold_type();
  if (!r.hold_id().empty()) std::cout << " hold " << r.hold_id();
}

void PrintReport(const std::vector<Row>& rows, bool dry_run) {
  int deleted = 0, held = 0;
  for (const Row& row : rows) {
    const pip::v1::RetentionDueDecision& d = row.decision;
    const std::string head = absl::StrCat(
        "#", row.id, " ", row.kind, " ", row.subject_id, " event ",
        row.event_at.empty() ? "(none)" : row.event_at, " retain_until ",
        d.retain_until().empty() ? "(none)" : d.retain_until());
    if (d.due()) {
      ++deleted;
      std::cout << (dry_run ? "DUE     " : "DELETED ") << head << " ["
                << d.clause() << "] " << d.deletion_method() << " ("
                << d.deletion_method_en() << ")\n";
      continue;
    }
    std::cout << "KEPT    " << head;
    for (const pip::v1::Reason& r : d.reasons()) PrintReason(r);
    std::cout << "\n";
    held += d.period_ended();
  }
  std::cout << (dry_run ? "dry run: would delete " : "deleted ") << deleted
            << " of " << rows.size() << " records in one transaction; kept "
            << rows.size() - deleted << " (" << held << " held past their period)\n";
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Deletes records whose retention period (clause 7) has ended.\n"
      "Usage: retention_sweeper --db=FILE [--as_of=RFC3339] [--policy=FILE] "
      "[--dry_run]");
  absl::ParseCommandLine(argc, argv);
  const std::string path = absl::GetFlag(FLAGS_db);
  if (path.empty()) {
    std::cerr << "--db is required\n";
    return 1;
  }
  // --as_of, default now; the SQL functions get it as RFC 3339 text.
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> flag =
      pip_examples::AsOfFromFlags();
  if (!flag.ok()) {
    std::cerr << flag.status().message() << "\n";
    return 1;
  }
  const google::protobuf::Timestamp as_of_time =
      flag->value_or(TimeUtil::GetCurrentTime());
  const std::string as_of = TimeUtil::ToString(as_of_time);

  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip_examples::EngineFromFlags();
  if (!engine.ok()) {
    std::cerr << "policy: " << engine.status() << "\n";
    return 1;
  }

  // Declared after the engine, so closed before it: the functions refer to it.
  sqlite3* raw = nullptr;
  const int opened =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  Db db(raw, &sqlite3_close);
  if (opened != SQLITE_OK) {
    std::cerr << path << ": " << (raw ? sqlite3_errmsg(raw) : "cannot open")
              << "\n";
    return 1;
  }
  absl::Status ready = Exec(db.get(), "PRAGMA foreign_keys = ON");
  if (ready.ok()) ready = retention_sweeper::RegisterRetentionFunctions(db.get(), engine->get());
  if (ready.ok()) ready = Exec(db.get(), kCandidatesView);
  if (!ready.ok()) {
    std::cerr << path << ": " << ready.message() << "\n";
    return 1;
  }

  const bool dry_run = absl::GetFlag(FLAGS_dry_run);
  std::cout << "retention sweep of " << path << " as of "
            << pip_examples::JapanTime(as_of_time)
            << ", policy " << (*engine)->policy_version() << "\n";
  absl::StatusOr<std::vector<Row>> rows = Sweep(db.get(), as_of, dry_run);
  if (!rows.ok()) {
    std::cerr << "sweep aborted, nothing deleted: " << rows.status().message()
              << "\n";
    return 1;
  }
  PrintReport(*rows, dry_run);
  return 0;
}
