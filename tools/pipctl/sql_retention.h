// `pipctl sql`: the retention rules of a policy (clause 7) compiled into SQL
// over a table the company describes, for PostgreSQL and SQLite.
//
// The predicate is true exactly for the rows that retention_due calls due at
// the evaluation time (now() by default, so that a view stays right
// tomorrow; or a fixed --as-of). It scans like a plain
// `event_at < now() - interval '3 years'`: for each kind the first event
// time whose period has not ended is computed once, as a constant (the
// Civil Code arithmetic of 民法 140 and 143 run backwards from the
// evaluation day, month ends, the fiscal-year clocks and the statutory
// floors included), and each row is one comparison against its kind's
// constant. docs/scale.md says how, and what the SQL does not cover.
//
// Example:
//
//   absl::StatusOr<pipctl::SqlMapping> mapping =
//       pipctl::ParseSqlMapping(json_text);
//   pipctl::SqlOptions options;
//   options.dialect = pipctl::SqlDialect::kPostgres;
//   absl::StatusOr<std::string> where =
//       pipctl::CompileRetentionSql(*engine, *mapping, options);
//   // "DELETE FROM records WHERE " + *where
//
// A row pip does not understand is never selected (deleting is the act that
// cannot be undone): a kind value the mapping does not name (retention_due
// answers an unknown kind with an error), a kind that needs an event whose
// event column is NULL (an error too), an event outside the years of
// pip/limits.h (an error), a contract that has not ended (not due), a NULL
// in a boolean hold column (counted as a hold). SqlForm::kProblems lists
// the rows of the first three, which pip refuses.
//
// Thread-safety: every function here may be called concurrently.
#ifndef PIP_TOOLS_PIPCTL_SQL_RETENTION_H_
#define PIP_TOOLS_PIPCTL_SQL_RETENTION_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pip/engine.h"

namespace pipctl {

enum class SqlDialect { kPostgres, kSqlite };

// "postgres" (or "postgresql") and "sqlite"; InvalidArgumentError naming
// the dialects otherwise.
absl::StatusOr<SqlDialect> ParseSqlDialect(absl::string_view name);

// What a hold column holds (7, 保存期間の例外).
enum class HoldColumnType {
  // A boolean: TRUE while a hold has not ended. NULL counts as a hold.
  // PostgreSQL: boolean; SQLite: 0 or 1 (anything but 0 counts as a hold).
  kActive,
  // When the hold ends: a hold until a time after the evaluation time keeps
  // the row, as RecordHold::until does; NULL: no hold. PostgreSQL:
  // timestamptz; SQLite: integer Unix seconds.
  kUntil,
};

struct SqlHoldColumn {
  std::string column;
  HoldColumnType type = HoldColumnType::kActive;
};

// The company's table, as the mapping file (JSON) declares it
// (docs/scale.md, "The mapping file"). Column types: the event and
// contract-ended columns are timestamptz in PostgreSQL and integer Unix
// seconds in SQLite; the kind column is text.
struct SqlMapping {
  // Optional schema, and the table. Required: table.
  std::string schema;
  std::string table;
  // The row's key, for the view (SqlForm::kView). Required there only.
  std::string id_column;
  // The column holding the record's kind. Required.
  std::string kind_column;
  // The company's kind values and the policy's kind id each stands for, in
  // file order. Empty: the column holds the policy's kind ids. When given,
  // every kind of the policy must be the target of at least one value.
  std::vector<std::pair<std::string, std::string>> kinds;
  // The time of the event that starts the kind's clock (an inquiry, an
  // acquisition, ...). Required.
  std::string event_column;
  // For kinds clocked from the end of a contract (event_may_be_pending):
  // when the contract ended; NULL while it runs (never due). Required when
  // the policy has such a kind; it may name event_column.
  std::string contract_ended_column;
  // Holds; a row is due only when none of them keeps it.
  std::vector<SqlHoldColumn> holds;
  // The view's name (SqlForm::kView). Default: "<table>_retention".
  std::string view;
};

// Parses the mapping file (a JSON object; docs/scale.md). Returns
// InvalidArgumentError naming the field for a syntax error, a missing
// required field, a value of the wrong type, an unknown field, an empty
// name or a name with a NUL byte.
absl::StatusOr<SqlMapping> ParseSqlMapping(absl::string_view json);

enum class SqlForm {
  // A boolean expression for WHERE: true exactly for the due rows.
  kPredicate,
  // CREATE VIEW <view> AS SELECT <id>, due, retain_until, clause,
  // deletion_method FROM <table>: retain_until is the last day kept (a date
  // of the Tokyo calendar; text YYYY-MM-DD in SQLite), NULL when the clock
  // has not started or the kind is unknown.
  kView,
  // SELECT of the rows pip does not understand, each with a pip_problem
  // column saying why: an unknown kind value, no event for a kind that
  // needs one, an event outside the years pip accepts.
  kProblems,
};

struct SqlOptions {
  SqlDialect dialect = SqlDialect::kPostgres;
  SqlForm form = SqlForm::kPredicate;
  // The evaluation time. Absent: the statement's time (PostgreSQL now(),
  // the start of the transaction; SQLite 'now', fixed within a statement),
  // and the SQL computes each kind's threshold from it. Given: the
  // thresholds are computed by pip now and written as constants. Must lie
  // in the years of pip/limits.h.
  std::optional<absl::Time> as_of;
  // With as_of: compute the thresholds in SQL from a constant as_of, as for
  // now(), instead of writing pip's constants (the differential tests
  // check that arithmetic against pip with it).
  bool thresholds_in_sql = false;
};

// The SQL for `mapping` on the policy of `engine`, as `options` asks; a
// comment at its start names the policy's version and SHA-256. Every
// identifier is quoted and every literal escaped for the dialect.
// Errors (InvalidArgumentError, naming the field): a kind value mapped to a
// kind the policy does not have, a policy kind no value maps to, a
// contract_ended_column missing while a kind needs it, an id_column missing
// for the view, a PostgreSQL identifier over 63 bytes, a column name the
// view uses itself (pip_event_day, pip_fiscal_year_end,
// pip_filing_deadline), an as_of outside the years of pip/limits.h.
//
// Thread-safety: safe to call concurrently; `engine` is only read.
absl::StatusOr<std::string> CompileRetentionSql(const pip::Engine& engine,
                                                const SqlMapping& mapping,
                                                const SqlOptions& options);

// Quoting, for the tests and for callers that build more SQL around the
// output. An identifier in double quotes, '"' doubled; a string literal in
// single quotes, '\'' doubled (PostgreSQL: E'' with '\\' doubled too when
// the text has a backslash, so that standard_conforming_strings does not
// matter). The text must not hold a NUL byte (ParseSqlMapping refuses one).
std::string QuoteSqlIdentifier(absl::string_view name);
std::string QuoteSqlString(SqlDialect dialect, absl::string_view text);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_SQL_RETENTION_H_
