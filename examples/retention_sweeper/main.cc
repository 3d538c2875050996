// retention_sweeper: deletes the records whose retention period (clause 7)
// has ended, in one transaction, and keeps the held ones.
//
//   retention_sweeper --db=FILE [--as-of=RFC3339] [--policy=FILE]
//                     [--via=sql|batch] [--dry-run]
//
// The sweep itself is sweep.h: every record decided, the due ones deleted,
// all in one transaction; any error (of pip or of SQLite) rolls back and
// nothing is deleted. This prints
//
//   DELETED #<id> <kind> <subject> event <event_at> retain_until <date> [<clause>] <method> (<method label>)
//   KEPT    #<id> <kind> <subject> event <event_at> retain_until <date> [<clause>] <REASON_CODE> ...
//
// (KEPT lines carry reasons with --via=sql only) and a summary line.
// Exit status: 0 on success, 1 on any error, 2 on a usage error.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "example_flags.h"
#include "google/protobuf/util/time_util.h"
#include "pip/engine.h"
#include "sweep.h"


namespace {

using retention_sweeper::SweptRecord;

void PrintReason(const pip::v1::Reason& r) {
  std::cout << " [" << r.clause() << "] " << pip::v1::ReasonCode_Name(r.code());
  if (!r.hold_type().empty()) std::cout << " " << r.hold_type();
  if (!r.hold_id().empty()) std::cout << " hold " << r.hold_id();
}

void PrintReport(const std::vector<SweptRecord>& records, bool dry_run) {
  int deleted = 0;
  for (const SweptRecord& r : records) {
    const pip::v1::RetentionDueDecision& d = r.decision;
    const std::string head = absl::StrCat(
        "#", r.id, " ", r.kind, " ", r.subject_id, " event ",
        r.event_at.empty() ? "(none)" : r.event_at, " retain_until ",
        d.retain_until().empty() ? "(none)" : d.retain_until());
    if (d.due()) {
      ++deleted;
      std::cout << (dry_run ? "DUE     " : "DELETED ") << head << " ["
                << d.clause() << "] " << d.deletion_method() << " ("
                << d.deletion_method_en() << ")\n";
      continue;
    }
    std::cout << "KEPT    " << head;
    for (const pip::v1::Reason& reason : d.reasons()) PrintReason(reason);
    std::cout << "\n";
  }
  std::cout << (dry_run ? "dry run: would delete " : "deleted ") << deleted
            << " of " << records.size() << " records in one transaction; kept "
            << records.size() - deleted << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Deletes records whose retention period (clause 7) has ended.",
      "retention_sweeper"};
  pip_examples::ExampleFlags flags;
  pip_examples::AddExampleFlags(&app, &flags);
  std::string path;
  std::string via_flag = "sql";
  bool dry_run = false;
  app.add_option("--db", path, "the SQLite database to sweep; must exist")
      ->type_name("FILE")
      ->required();
  app.add_option("--via", via_flag,
                 "how records are decided: sql (the SQL functions "
                 "pip_retention_due and pip_retention_decision) or batch "
                 "(pip::Snapshot::RetentionSweep over the records' columns, "
                 "then DELETE by id)")
      ->check(CLI::IsMember({"sql", "batch"}))
      ->type_name("HOW");
  app.add_flag("--dry-run", dry_run, "report what is due, delete nothing");
  if (std::optional<int> code = pip_examples::ParseOrExit(&app, argc, argv)) {
    return *code;
  }
  const retention_sweeper::Via via = via_flag == "sql"
                                         ? retention_sweeper::Via::kSql
                                         : retention_sweeper::Via::kBatch;

  absl::StatusOr<std::optional<google::protobuf::Timestamp>> flag =
      pip_examples::AsOfFromFlags(flags);
  if (!flag.ok()) {
    std::cerr << flag.status().message() << "\n";
    return 1;
  }
  const google::protobuf::Timestamp as_of =
      flag->value_or(google::protobuf::util::TimeUtil::GetCurrentTime());

  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pip_examples::EngineFromFlags(flags);
  if (!engine.ok()) {
    std::cerr << "policy: " << engine.status() << "\n";
    return 1;
  }

  // Declared after the engine, so closed before it: the functions refer to it.
  sqlite3* raw = nullptr;
  const int opened =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  if (opened != SQLITE_OK) {
    std::cerr << path << ": " << (raw ? sqlite3_errmsg(raw) : "cannot open")
              << "\n";
    return 1;
  }
  absl::Status ready =
      retention_sweeper::PrepareDatabase(db.get(), engine->get());
  if (!ready.ok()) {
    std::cerr << path << ": " << ready.message() << "\n";
    return 1;
  }

  std::cout << "retention sweep of " << path << " via " << via_flag
            << " as of " << pip_examples::JapanTime(as_of) << ", policy "
            << (*engine)->policy_version() << "\n";
  absl::StatusOr<std::vector<SweptRecord>> records =
      retention_sweeper::Sweep(db.get(), **engine, as_of, via, dry_run);
  if (!records.ok()) {
    std::cerr << "sweep aborted, nothing deleted: "
              << records.status().message() << "\n";
    return 1;
  }
  PrintReport(*records, dry_run);
  return 0;
}
