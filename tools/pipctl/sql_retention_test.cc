// Tests of the compiler of `pipctl sql` (tools/pipctl/sql_retention.h):
// the mapping file, quoting, every kind of clause 7 present, and the
// errors. That the SQL selects exactly pip's due rows is the differential
// test's (sql_differential_test.cc).
#include "tools/pipctl/sql_retention.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"

namespace pipctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const pip::Engine& Default() {
  static const pip::Engine* engine =
      pip::Engine::Create(pip::PolicySource::Default())->release();
  return *engine;
}

constexpr char kMapping[] = R"json({
  "table": "records", "id_column": "id", "kind_column": "kind",
  "event_column": "event_at", "contract_ended_column": "ended_at",
  "holds": [{"column": "held", "type": "active"},
            {"column": "held_until", "type": "until"}]
})json";

SqlMapping Parse(absl::string_view json) {
  absl::StatusOr<SqlMapping> m = ParseSqlMapping(json);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? *m : SqlMapping();
}

absl::StatusOr<std::string> Compile(const SqlMapping& m, SqlDialect dialect,
                                    SqlForm form = SqlForm::kPredicate) {
  SqlOptions o;
  o.dialect = dialect;
  o.form = form;
  return CompileRetentionSql(Default(), m, o);
}

TEST(SqlQuoteTest, IdentifiersDoubleTheirQuotes) {
  EXPECT_EQ(QuoteSqlIdentifier("kind"), "\"kind\"");
  EXPECT_EQ(QuoteSqlIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteSqlIdentifier("select"), "\"select\"");
}

TEST(SqlQuoteTest, LiteralsAreEscapedForEachDialect) {
  EXPECT_EQ(QuoteSqlString(SqlDialect::kSqlite, "O'Brien"), "'O''Brien'");
  EXPECT_EQ(QuoteSqlString(SqlDialect::kSqlite, "a\\b"), "'a\\b'");
  EXPECT_EQ(QuoteSqlString(SqlDialect::kPostgres, "O'Brien"), "'O''Brien'");
  // With a backslash, an escape string: the same whatever
  // standard_conforming_strings says.
  EXPECT_EQ(QuoteSqlString(SqlDialect::kPostgres, "a\\'b"), "E'a\\\\''b'");
}

// Clause 7: every kind of the policy has its term in the predicate, with
// its clause, and the holds of clause 7 (保存期間の例外) are tested.
TEST(SqlRetentionTest, EveryKindOfClause7IsInThePredicate) {
  const pip::v1::Policy policy = Default().policy();
  for (SqlDialect dialect : {SqlDialect::kPostgres, SqlDialect::kSqlite}) {
    absl::StatusOr<std::string> sql = Compile(Parse(kMapping), dialect);
    ASSERT_TRUE(sql.ok()) << sql.status();
    for (const auto& kind : policy.retention().kinds()) {
      EXPECT_THAT(*sql, HasSubstr(absl::StrCat("\"kind\" = '", kind.id(), "'")));
      EXPECT_THAT(*sql, HasSubstr(absl::StrCat(kind.id(), " (clause ",
                                               kind.clause(), ")")));
    }
    // The contract kind reads when the contract ended, the others the event.
    EXPECT_THAT(*sql, HasSubstr("\"kind\" = 'contract_transaction' AND "
                                "\"ended_at\" >="));
    EXPECT_THAT(*sql, HasSubstr("\"kind\" = 'inquiry' AND \"event_at\" >="));
    EXPECT_THAT(*sql, HasSubstr("\"held_until\" IS NULL OR \"held_until\" <="));
    EXPECT_THAT(*sql, HasSubstr("法人税法施行規則 59"));
    EXPECT_THAT(*sql, HasSubstr(Default().policy_hash()));
  }
}

TEST(SqlRetentionTest, DefaultEvaluationTimeIsTheDatabaseClock) {
  absl::StatusOr<std::string> pg = Compile(Parse(kMapping), SqlDialect::kPostgres);
  ASSERT_TRUE(pg.ok());
  EXPECT_THAT(*pg, HasSubstr("now()"));
  EXPECT_THAT(*pg, HasSubstr("\"held\" IS FALSE"));
  absl::StatusOr<std::string> lite = Compile(Parse(kMapping), SqlDialect::kSqlite);
  ASSERT_TRUE(lite.ok());
  EXPECT_THAT(*lite, HasSubstr("strftime('%s', 'now')"));
  EXPECT_THAT(*lite, Not(HasSubstr("now()")));
}

// Clause 7 (3 years from the day after the inquiry): at a fixed time each
// threshold is a constant computed by pip.
TEST(SqlRetentionTest, FixedAsOfWritesPipsThresholds_Clause7) {
  SqlOptions o;
  o.dialect = SqlDialect::kPostgres;
  absl::Time t;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-05-11T00:00:00+09:00",
                              &t, &error));
  o.as_of = t;
  absl::StatusOr<std::string> sql = CompileRetentionSql(Default(), Parse(kMapping), o);
  ASSERT_TRUE(sql.ok()) << sql.status();
  // An inquiry of 2023-05-10 is kept to 2026-05-10 and due on 2026-05-11;
  // one of 2023-05-11 is not.
  EXPECT_THAT(*sql, HasSubstr("\"event_at\" < TIMESTAMPTZ '2023-05-11 00:00:00+09:00'"));
  EXPECT_THAT(*sql, Not(HasSubstr("now()")));
}

TEST(SqlRetentionTest, KindValuesAreMappedAndQuoted) {
  SqlMapping m = Parse(R"json({
    "table": "t", "kind_column": "k", "event_column": "e",
    "contract_ended_column": "e",
    "kinds": {"INQ": "inquiry", "inq'2": "inquiry",
              "c": "contract_transaction", "a": "accounting",
              "m": "marketing", "w": "web_access", "s": "training_seminar",
              "p": "provision_record", "q": "confirmation_record"}
  })json");
  absl::StatusOr<std::string> sql = Compile(m, SqlDialect::kSqlite);
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_THAT(*sql, HasSubstr("\"k\" IN ('INQ', 'inq''2')"));
  EXPECT_THAT(*sql, Not(HasSubstr("'inquiry'")));
}

TEST(SqlRetentionTest, ViewHasDueRetainUntilAndClause) {
  absl::StatusOr<std::string> sql =
      Compile(Parse(kMapping), SqlDialect::kPostgres, SqlForm::kView);
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_THAT(*sql, HasSubstr("CREATE VIEW \"records_retention\" AS"));
  EXPECT_THAT(*sql, HasSubstr("AS \"due\""));
  EXPECT_THAT(*sql, HasSubstr("AS \"retain_until\""));
  EXPECT_THAT(*sql, HasSubstr("THEN 'APPI 29(2)'"));
}

// A row pip does not understand is listed, never selected.
TEST(SqlRetentionTest, ProblemsQueryListsUnknownKinds) {
  absl::StatusOr<std::string> sql =
      Compile(Parse(kMapping), SqlDialect::kSqlite, SqlForm::kProblems);
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_THAT(*sql, HasSubstr("'unknown kind: never selected'"));
  EXPECT_THAT(*sql, HasSubstr("\"kind\" IS NULL OR NOT (\"kind\" IN ("));
}

TEST(SqlRetentionErrorTest, MappingErrorsNameTheField) {
  const auto error = [](absl::string_view json) {
    absl::StatusOr<SqlMapping> m = ParseSqlMapping(json);
    return m.ok() ? std::string("ok") : std::string(m.status().message());
  };
  EXPECT_THAT(error("{"), HasSubstr("not a JSON object"));
  EXPECT_THAT(error(R"({"kind_column": "k", "event_column": "e"})"),
              HasSubstr("table: required"));
  EXPECT_THAT(error(R"({"table": "t", "event_column": "e"})"),
              HasSubstr("kind_column: required"));
  EXPECT_THAT(error(R"({"table": 3, "kind_column": "k", "event_column": "e"})"),
              HasSubstr("table: must be a string"));
  EXPECT_THAT(error(R"({"table": "", "kind_column": "k", "event_column": "e"})"),
              HasSubstr("table: must not be empty"));
  EXPECT_THAT(error(R"({"tabel": "t", "table": "t", "kind_column": "k", "event_column": "e"})"),
              HasSubstr("tabel: unknown field"));
  EXPECT_THAT(error(R"({"table": "t", "kind_column": "k", "event_column": "e",
                        "holds": [{"column": "h", "type": "maybe"}]})"),
              HasSubstr("holds[0].type: unknown type 'maybe'"));
  EXPECT_THAT(error(R"({"table": "t", "kind_column": "k", "event_column": "e",
                        "holds": [{"column": "h"}]})"),
              HasSubstr("holds[0].type: required"));
}

TEST(SqlRetentionErrorTest, PolicyKindsMustAllBeMapped_Clause7) {
  // No value stands for training_seminar (among others).
  SqlMapping m = Parse(R"json({"table": "t", "kind_column": "k",
    "event_column": "e", "contract_ended_column": "e",
    "kinds": {"INQ": "inquiry"}})json");
  absl::StatusOr<std::string> sql = Compile(m, SqlDialect::kPostgres);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(),
              HasSubstr("kinds: no value stands for the policy's kind "
                        "'contract_transaction'"));
  m = Parse(R"json({"table": "t", "kind_column": "k", "event_column": "e",
    "contract_ended_column": "e", "kinds": {"INQ": "inquiri"}})json");
  sql = Compile(m, SqlDialect::kPostgres);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(), HasSubstr("kinds[\"INQ\"]"));
  EXPECT_THAT(sql.status().message(), HasSubstr("did you mean 'inquiry'"));
}

TEST(SqlRetentionErrorTest, ContractKindNeedsItsColumn_Clause7) {
  SqlMapping m = Parse(R"json({"table": "t", "kind_column": "k",
    "event_column": "e"})json");
  absl::StatusOr<std::string> sql = Compile(m, SqlDialect::kSqlite);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(),
              HasSubstr("contract_ended_column: required"));
  EXPECT_THAT(sql.status().message(), HasSubstr("contract_transaction"));
}

TEST(SqlRetentionErrorTest, ViewNeedsAnIdAndShortPostgresNames) {
  SqlMapping m = Parse(kMapping);
  m.id_column.clear();
  absl::StatusOr<std::string> sql =
      Compile(m, SqlDialect::kPostgres, SqlForm::kView);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(), HasSubstr("id_column: required"));
  m = Parse(kMapping);
  m.table = std::string(64, 't');
  sql = Compile(m, SqlDialect::kPostgres);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(), HasSubstr("table: 64 bytes"));
  // SQLite has no such limit.
  EXPECT_TRUE(Compile(m, SqlDialect::kSqlite).ok());
}

TEST(SqlRetentionErrorTest, UnknownDialectIsRefused) {
  EXPECT_TRUE(ParseSqlDialect("postgres").ok());
  EXPECT_TRUE(ParseSqlDialect("sqlite").ok());
  absl::StatusOr<SqlDialect> d = ParseSqlDialect("mysql");
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), HasSubstr("unknown dialect 'mysql'"));
}

TEST(SqlRetentionErrorTest, AsOfOutsidePipsYearsIsRefused) {
  SqlOptions o;
  o.as_of = absl::FromCivil(absl::CivilSecond(1899, 12, 31, 0, 0, 0),
                            absl::UTCTimeZone());
  absl::StatusOr<std::string> sql =
      CompileRetentionSql(Default(), Parse(kMapping), o);
  ASSERT_FALSE(sql.ok());
  EXPECT_THAT(sql.status().message(), HasSubstr("as_of: outside the years"));
}

}  // namespace
}  // namespace pipctl
