#include "sweep.h"

#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "pip/snapshot.h"
#include "pip_sqlite.h"

namespace retention_sweeper {
namespace {

using google::protobuf::util::TimeUtil;

// Every record with its holds as a JSON array of pip.v1.Hold. Adapt this
// view to your schema; the sweep only reads it.
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

constexpr char kDeleteDueSql[] = R"sql(
DELETE FROM records WHERE id IN (
  SELECT id FROM retention_candidates
   WHERE pip_retention_due(kind, event_at, holds, ?1)))sql";

constexpr char kColumnsSql[] = R"sql(
SELECT id, kind, subject_id, event_at, holds
  FROM retention_candidates ORDER BY id)sql";

constexpr char kDeleteByIdSql[] = "DELETE FROM records WHERE id = ?1";

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

absl::StatusOr<Statement> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return SqlError(db, "prepare");
  }
  return Statement(stmt, &sqlite3_finalize);
}

std::string Column(sqlite3_stmt* stmt, int i) {
  const unsigned char* text = sqlite3_column_text(stmt, i);
  return text == nullptr ? "" : reinterpret_cast<const char*>(text);
}

// The first four columns of a retention_candidates row.
SweptRecord ReadRecord(sqlite3_stmt* stmt) {
  SweptRecord r;
  r.id = sqlite3_column_int64(stmt, 0);
  r.kind = Column(stmt, 1);
  r.subject_id = Column(stmt, 2);
  r.event_at = Column(stmt, 3);
  return r;
}

struct Decided {
  std::vector<SweptRecord> records;
  int deleted = 0;  // rows the DELETE statements removed
};

// Via::kSql. An error of pip inside a function ends its statement.
absl::StatusOr<Decided> DecideWithSql(sqlite3* db, const std::string& as_of) {
  Decided out;
  absl::StatusOr<Statement> select = Prepare(db, kDecisionsSql);
  if (!select.ok()) return select.status();
  sqlite3_bind_text(select->get(), 1, as_of.c_str(), -1, SQLITE_TRANSIENT);
  int rc;
  while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
    SweptRecord r = ReadRecord(select->get());
    if (!google::protobuf::util::JsonStringToMessage(Column(select->get(), 4),
                                                     &r.decision)
             .ok()) {
      return absl::InternalError(
          absl::StrCat("record ", r.id, ": unreadable decision"));
    }
    out.records.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqlError(db, "reading records");

  absl::StatusOr<Statement> remove = Prepare(db, kDeleteDueSql);
  if (!remove.ok()) return remove.status();
  sqlite3_bind_text(remove->get(), 1, as_of.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(remove->get()) != SQLITE_DONE) {
    return SqlError(db, "deleting records");
  }
  out.deleted = sqlite3_changes(db);
  return out;
}

// What the batch needs of a retention kind, looked up once per kind.
struct Kind {
  pip::RetentionKindId handle;
  pip::v1::RetentionKind policy;  // clause, deletion method, pending event
};

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::Status RecordError(int64_t id, const absl::Status& s) {
  return absl::Status(s.code(), absl::StrCat("record ", id, ": ", s.message()));
}

// Via::kBatch: read the columns, decide them with one RetentionSweep call,
// delete the due records by id.
absl::StatusOr<Decided> DecideInBatch(sqlite3* db, const pip::Engine& engine,
                                      absl::Time as_of) {
  const std::shared_ptr<const pip::Snapshot> snapshot = engine.snapshot();
  // The batch returns outcomes and dates; each kind's clause and deletion
  // method come from the policy (the same one: this program never reloads).
  const pip::v1::Policy policy = engine.policy();
  absl::flat_hash_map<std::string, Kind> kinds;
  std::vector<pip::RetentionKindId> kind_column;
  std::vector<int64_t> event_column;
  std::vector<uint8_t> held_column;
  Decided out;

  absl::StatusOr<Statement> select = Prepare(db, kColumnsSql);
  if (!select.ok()) return select.status();
  int rc;
  while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
    SweptRecord r = ReadRecord(select->get());
    auto [it, added] = kinds.try_emplace(r.kind);
    if (added) {
      absl::StatusOr<pip::RetentionKindId> handle =
          snapshot->RetentionKind(r.kind);
      if (!handle.ok()) return RecordError(r.id, handle.status());
      it->second.handle = *handle;
      for (const pip::v1::RetentionKind& k : policy.retention().kinds()) {
        if (k.id() == r.kind) it->second.policy = k;
      }
    }
    const Kind& kind = it->second;

    google::protobuf::Timestamp event;
    if (r.event_at.empty()) {
      if (!kind.policy.event_may_be_pending()) {
        return RecordError(r.id, absl::InvalidArgumentError(absl::StrCat(
            "event_at: a time is required for retention kind '", r.kind, "'")));
      }
    } else if (!TimeUtil::FromString(r.event_at, &event)) {
      return RecordError(r.id, absl::InvalidArgumentError(absl::StrCat(
          "event_at: must be an RFC 3339 time, got '", r.event_at, "'")));
    }

    // Held when a hold of a known type has not ended at as_of.
    google::protobuf::RepeatedPtrField<pip::v1::Hold> holds;
    absl::Status parsed = ParseHoldsJson(Column(select->get(), 4), &holds);
    if (!parsed.ok()) return RecordError(r.id, parsed);
    bool held = false;
    for (const pip::v1::Hold& h : holds) {
      absl::StatusOr<pip::HoldTypeId> type = snapshot->HoldType(h.type());
      if (!type.ok()) return RecordError(r.id, type.status());
      held |= !h.has_until() || ToTime(h.until()) > as_of;
    }

    kind_column.push_back(kind.handle);
    event_column.push_back(r.event_at.empty() ? pip::kNoEvent : event.seconds());
    held_column.push_back(held);
    out.records.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return SqlError(db, "reading records");

  const size_t n = out.records.size();
  std::vector<uint64_t> due((n + 63) / 64);
  std::vector<int32_t> retain_until(n);
  absl::Status swept = snapshot->RetentionSweep(
      kind_column, event_column, held_column, as_of, absl::MakeSpan(due),
      absl::MakeSpan(retain_until));
  if (!swept.ok()) {
    // The message names a position in the batch: say what it counts.
    return absl::Status(swept.code(),
                        absl::StrCat("batch of ", n, " records in id order: ",
                                     swept.message()));
  }

  absl::StatusOr<Statement> remove = Prepare(db, kDeleteByIdSql);
  if (!remove.ok()) return remove.status();
  for (size_t i = 0; i < n; ++i) {
    SweptRecord& r = out.records[i];
    const pip::v1::RetentionKind& kind = kinds[r.kind].policy;
    pip::v1::RetentionDueDecision& d = r.decision;
    d.set_due((due[i / 64] >> (i % 64)) & 1);
    if (retain_until[i] != pip::kNoRetainUntil) {
      d.set_retain_until(absl::FormatCivilTime(absl::CivilDay(1970, 1, 1) +
                                               retain_until[i]));
    }
    d.set_clause(kind.clause());
    d.set_deletion_method(kind.deletion_method().id());
    d.set_deletion_method_ja(kind.deletion_method().label_ja());
    d.set_deletion_method_en(kind.deletion_method().label_en());
    if (!d.due()) continue;
    sqlite3_bind_int64(remove->get(), 1, r.id);
    if (sqlite3_step(remove->get()) != SQLITE_DONE) {
      return SqlError(db, absl::StrCat("deleting record ", r.id));
    }
    out.deleted += sqlite3_changes(db);
    sqlite3_reset(remove->get());
  }
  return out;
}

}  // namespace

absl::Status PrepareDatabase(sqlite3* db, const pip::Engine* engine) {
  absl::Status s = Exec(db, "PRAGMA foreign_keys = ON");
  if (s.ok()) s = RegisterRetentionFunctions(db, engine);
  if (s.ok()) s = Exec(db, kCandidatesView);
  return s;
}

absl::StatusOr<std::vector<SweptRecord>> Sweep(
    sqlite3* db, const pip::Engine& engine,
    const google::protobuf::Timestamp& as_of, Via via, bool dry_run) {
  absl::Status begun = Exec(db, "BEGIN IMMEDIATE");
  if (!begun.ok()) return begun;
  absl::StatusOr<Decided> decided =
      via == Via::kSql
          ? DecideWithSql(db, TimeUtil::ToString(as_of))
          : DecideInBatch(db, engine, ToTime(as_of));
  if (decided.ok()) {
    int due = 0;
    for (const SweptRecord& r : decided->records) due += r.decision.due();
    if (decided->deleted != due) {
      decided = absl::InternalError(absl::StrCat(
          "deleted ", decided->deleted, " records, but ", due, " are due"));
    }
  }
  if (!decided.ok() || dry_run) {
    absl::Status undone = Exec(db, "ROLLBACK");
    if (!decided.ok()) return decided.status();
    if (!undone.ok()) return undone;
    return std::move(decided->records);
  }
  absl::Status committed = Exec(db, "COMMIT");
  if (!committed.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();  // the failed COMMIT left it open
    return committed;
  }
  return std::move(decided->records);
}

}  // namespace retention_sweeper
