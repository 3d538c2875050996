// Tests of policy validation (pip/policy.h, src/policy/validate.cc) and of
// loading policies into an engine.
//
// Every file in tests/testdata/bad/ is a copy of tests/testdata/minimal.textproto
// with one defect (multi_problem.textproto has several). Its leading comment
// states what validation must report:
//
//   # expect: <substring of some problem's message>       (one or more)
//   # expect-field: <exact field path of some problem>    (zero or more)
//   # expect-line: <1-based line of some problem>         (optional)
//   # expect-problems: <exact number of problems>         (optional)
//
// A file without an expect-problems line must yield exactly as many problems
// as it has expect-field lines, or exactly one when it has none (a syntax
// error stops the parser at the first fault).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;
using ::pip::testing::ReadFile;
using ::pip::testing::SourcePath;
using ::pip::testing::StatusIs;
using ::testing::HasSubstr;

std::string MinimalText() {
  return ReadFile(SourcePath("tests/testdata/minimal.textproto"));
}

// What a bad file's header says validation must report.
struct Expectations {
  std::vector<std::string> messages;
  std::vector<std::string> fields;
  std::vector<int> lines;
  int problems = -1;  // -1: not stated
};

Expectations ParseExpectations(absl::string_view text) {
  Expectations e;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StartsWith(line, "#")) break;  // the header ends at the body
    absl::string_view rest;
    if (absl::StartsWith(line, "# expect: ")) {
      e.messages.emplace_back(absl::StripPrefix(line, "# expect: "));
    } else if (absl::StartsWith(line, "# expect-field: ")) {
      e.fields.emplace_back(absl::StripPrefix(line, "# expect-field: "));
    } else if (absl::StartsWith(line, "# expect-line: ")) {
      int n = 0;
      EXPECT_TRUE(absl::SimpleAtoi(absl::StripPrefix(line, "# expect-line: "), &n))
          << line;
      e.lines.push_back(n);
    } else if (absl::StartsWith(line, "# expect-problems: ")) {
      EXPECT_TRUE(absl::SimpleAtoi(
          absl::StripPrefix(line, "# expect-problems: "), &e.problems))
          << line;
    }
  }
  return e;
}

// The 1-based line of the value at `field_path` ("a.b[2].c") in `text`,
// found independently of the library with protobuf's own location tree.
// Returns 0 when some step of the path does not appear in the text (an
// element of a list written as `[a, b]` has no location of its own beyond
// the first), and -1 when the path does not name fields of pip.v1.Policy or
// the text does not parse.
int LineOfFieldPath(absl::string_view text, absl::string_view field_path) {
  v1::Policy policy;
  TextFormat::ParseInfoTree root;
  TextFormat::Parser parser;
  parser.WriteLocationsTo(&root);
  if (!parser.ParseFromString(std::string(text), &policy)) return -1;
  const Descriptor* descriptor = v1::Policy::descriptor();
  const TextFormat::ParseInfoTree* tree = &root;
  int line = -1;
  for (absl::string_view step : absl::StrSplit(field_path, '.')) {
    if (descriptor == nullptr) return -1;  // a step below a scalar
    int index = -1;
    std::string name(step);
    const size_t bracket = step.find('[');
    if (bracket != absl::string_view::npos) {
      name = std::string(step.substr(0, bracket));
      absl::string_view digits = step.substr(bracket + 1);
      if (!absl::ConsumeSuffix(&digits, "]") ||
          !absl::SimpleAtoi(digits, &index)) {
        return -1;
      }
    }
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) return -1;
    if (field->is_repeated() != (index >= 0)) {
      // A repeated field named without an index means the list as a whole:
      // its first element.
      if (!field->is_repeated()) return -1;
      index = 0;
    }
    if (tree == nullptr) return 0;
    const TextFormat::ParseLocation loc = tree->GetLocation(field, index);
    if (loc.line < 0) return 0;
    line = loc.line + 1;
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      tree = tree->GetTreeForNested(field, index);
      descriptor = field->message_type();
    } else {
      tree = nullptr;
      descriptor = nullptr;
    }
  }
  return line;
}

std::vector<std::string> BadPolicyFiles() {
  std::vector<std::string> files;
  const fs::path dir = SourcePath("tests/testdata/bad");
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".textproto") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string TestNameOf(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string Describe(const std::vector<PolicyProblem>& problems) {
  return problems.empty() ? "(no problems)" : FormatProblems(problems);
}

// --- Every bad file --------------------------------------------------------

class BadPolicyTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadPolicyTest, ReportsTheExpectedProblemsWithLocations) {
  const std::string& path = GetParam();
  const std::string text = ReadFile(path);
  const Expectations expect = ParseExpectations(text);
  ASSERT_FALSE(expect.messages.empty())
      << path << " has no '# expect:' line, so it tests nothing";

  const std::vector<PolicyProblem> problems = ValidatePolicyText(text, path);
  ASSERT_FALSE(problems.empty()) << path << " validated with no problem";
  const std::string all = Describe(problems);

  for (const std::string& want : expect.messages) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                            [&](const PolicyProblem& p) {
                              return absl::StrContains(p.message, want);
                            }))
        << "no problem message contains \"" << want << "\"; got:\n" << all;
  }
  for (const std::string& want : expect.fields) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                            [&](const PolicyProblem& p) {
                              return p.field == want;
                            }))
        << "no problem is about field \"" << want << "\"; got:\n" << all;
  }
  for (int want : expect.lines) {
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(),
                            [&](const PolicyProblem& p) {
                              return p.line == want;
                            }))
        << "no problem is located on line " << want << "; got:\n" << all;
  }
  const int want_count =
      expect.problems >= 0
          ? expect.problems
          : std::max<int>(1, static_cast<int>(expect.fields.size()));
  EXPECT_EQ(static_cast<int>(problems.size()), want_count)
      << "one defect should give one problem, not a cascade; got:\n" << all;

  for (const PolicyProblem& p : problems) {
    SCOPED_TRACE(p.ToString());
    EXPECT_EQ(p.file, path);
    EXPECT_FALSE(p.message.empty());
    if (p.field.empty()) {
      // A syntax error: the parser always knows where it stopped.
      EXPECT_GT(p.line, 0);
      EXPECT_GT(p.column, 0);
      continue;
    }
    const int line = LineOfFieldPath(text, p.field);
    ASSERT_GE(line, 0) << "field path '" << p.field
                       << "' does not name fields of pip.v1.Policy";
    if (line > 0) {
      // The value is in the text: the problem must point at it.
      EXPECT_EQ(p.line, line) << "field '" << p.field << "' is on line "
                              << line;
      EXPECT_GT(p.column, 0);
    }
    EXPECT_GE(p.line, 0);
  }
}

TEST_P(BadPolicyTest, EngineRefusesItWithInvalidArgument) {
  const std::string& path = GetParam();
  const std::string text = ReadFile(path);
  const Expectations expect = ParseExpectations(text);

  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, path));
  ASSERT_FALSE(engine.ok()) << path << " built an engine";
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
  // The status lists every problem, so each expected message is in it.
  for (const std::string& want : expect.messages) {
    EXPECT_THAT(std::string(engine.status().message()), HasSubstr(want));
  }

  // Loading the same file from disk fails the same way and names the file.
  absl::StatusOr<std::unique_ptr<Engine>> from_file =
      Engine::Create(PolicySource::File(path));
  ASSERT_FALSE(from_file.ok());
  EXPECT_EQ(from_file.status().code(), absl::StatusCode::kInvalidArgument)
      << from_file.status();
  EXPECT_THAT(std::string(from_file.status().message()), HasSubstr(path));
}

INSTANTIATE_TEST_SUITE_P(AllBadFiles, BadPolicyTest,
                         ::testing::ValuesIn(BadPolicyFiles()), TestNameOf);

TEST(BadPolicyFilesTest, CoverEveryProblemClass) {
  std::set<std::string> stems;
  for (const std::string& f : BadPolicyFiles()) {
    stems.insert(fs::path(f).stem().string());
  }
  for (const char* want :
       {"syntax_error", "unknown_field", "duplicate_category_id",
        "dangling_category_group", "missing_clause", "nonpositive_period",
        "two_component_period", "contradictory_purpose_restriction",
        "exempt_without_blocks_all", "two_default_recipients",
        "no_default_recipient", "negative_fee",
        "uppercase_id", "condition_without_requirement", "february_30",
        "unknown_required_document", "missing_version", "multi_problem",
        "unknown_complaint_owner", "bad_incident_rule_date",
        "unknown_document_article", "category_without_retention",
        "retention_unknown_category", "statutory_floor_unknown_kind",
        "statutory_floor_bad_period", "statutory_floor_without_article",
        "february_29", "month_end_with_day", "statutory_floor_kind_twice",
        "retention_category_twice", "bidi_override_in_label",
        "control_character_in_label", "legal_ground_without_article",
        "provision_record_without_rule", "acquisition_unknown_record_kind"}) {
    EXPECT_TRUE(stems.count(want))
        << "tests/testdata/bad/" << want << ".textproto is missing";
  }
}

// A bad file with its defect removed again is the minimal policy: each file
// is the base plus the one defect its header names, not some other fault.
TEST(BadPolicyFilesTest, MinimalBaseIsValidSoEachDefectIsTheOnlyFault) {
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(MinimalText(), "minimal.textproto");
  EXPECT_TRUE(problems.empty()) << Describe(problems);
}

// --- Valid policies --------------------------------------------------------

// A fiscal year that ends on the last day of February (28th, or 29th in a
// leap year) is expressed by the month and fiscal_year_ends_at_month_end.
TEST(ValidatePolicyTextTest, Clause7_FebruaryMonthEndFiscalYearIsValid) {
  std::string text = MinimalText();
  const std::string anchor = "retention {\n  clause: \"7\"\n";
  const size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + anchor.size(),
              "  fiscal_year_end_month: 2\n"
              "  fiscal_year_ends_at_month_end: true\n");
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(text, "february_month_end.textproto");
  EXPECT_TRUE(problems.empty()) << Describe(problems);
}

TEST(ValidatePolicyTextTest, EmbeddedDefaultPolicyHasNoProblems) {
  ASSERT_FALSE(DefaultPolicyText().empty());
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(DefaultPolicyText(), "<embedded default>");
  EXPECT_TRUE(problems.empty()) << Describe(problems);
}

// 6.3, 5.1: the review interval of contractor checks is required once
// clause 6 lists anything, and must be a period; each problem names the
// field and the clause of the interval. The periodic check must be an item
// of 6.3, and the recipient relied on through consent abroad must need a
// named consent (APPI 28(1)).
TEST(ValidatePolicyTextTest, Clause6_ContractorReviewIntervalAndRecipients) {
  const std::string base(DefaultPolicyText());
  const auto with = [&](absl::string_view from, absl::string_view to) {
    std::string text = base;
    const size_t at = text.find(std::string(from));
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), std::string(to));
    return ValidatePolicyText(text, "contractors.textproto");
  };
  const auto has = [](const std::vector<PolicyProblem>& problems,
                      absl::string_view field, absl::string_view clause,
                      absl::string_view words) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const PolicyProblem& p) {
                         return p.field == field && p.clause == clause &&
                                absl::StrContains(p.message, words);
                       });
  };
  std::vector<PolicyProblem> problems =
      with("  review_interval { years: 1 }\n", "");
  EXPECT_TRUE(has(problems, "contractor_management.review_interval", "5.1",
                  "review interval"))
      << Describe(problems);
  problems = with("review_interval { years: 1 }",
                  "review_interval { years: 1 months: 6 }");
  EXPECT_TRUE(has(problems, "contractor_management.review_interval", "5.1",
                  "exactly one positive component"))
      << Describe(problems);
  problems = with("periodic_check: \"periodic_security_check\"",
                  "periodic_check: \"periodic_check\"");
  EXPECT_TRUE(has(problems, "contractor_management.periodic_check", "5.1",
                  "unknown supervision item 'periodic_check'"))
      << Describe(problems);
  problems = with("consent_recipient: \"overseas_contractor\"",
                  "consent_recipient: \"contractor\"");
  EXPECT_TRUE(has(problems, "contractor_management.overseas.consent_recipient",
                  "APPI 28", "requires_named_consent"))
      << Describe(problems);
}

TEST(ValidatePolicyTextTest, EmbeddedDefaultIsTheCheckedInFile) {
  EXPECT_EQ(DefaultPolicyText(),
            ReadFile(SourcePath("policies/default.textproto")))
      << "the embedded policy is stale: rebuild";
}

TEST(ValidatePolicyTextTest, MinimalPolicyValidatesAndBuildsAnEngine) {
  const std::string text = MinimalText();
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(text, "minimal.textproto");
  EXPECT_TRUE(problems.empty()) << Describe(problems);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, "minimal.textproto"));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_version(), "2026-01-01");
}

// --- Reporting -------------------------------------------------------------

TEST(ValidatePolicyTextTest, ReportsEveryProblemOfAFileAtOnce) {
  const std::string path = SourcePath("tests/testdata/bad/multi_problem.textproto");
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(ReadFile(path), path);
  ASSERT_GE(problems.size(), 3u) << Describe(problems);
  std::set<std::string> fields;
  for (const PolicyProblem& p : problems) fields.insert(p.field);
  EXPECT_EQ(fields.size(), problems.size())
      << "each defect is a distinct problem:\n" << Describe(problems);
  // "in order of position"
  EXPECT_TRUE(std::is_sorted(problems.begin(), problems.end(),
                             [](const PolicyProblem& a, const PolicyProblem& b) {
                               return a.line < b.line;
                             }))
      << Describe(problems);
}

TEST(PolicyProblemTest, ToStringHasFileLineColumnFieldMessageAndClause) {
  PolicyProblem p;
  p.file = "policies/company.textproto";
  p.line = 12;
  p.column = 5;
  p.field = "categories[3].clause";
  p.clause = "2.4";
  p.message = "clause '2.9' is not in the policy's clause table";
  EXPECT_EQ(p.ToString(),
            "policies/company.textproto:12:5: categories[3].clause: clause "
            "'2.9' is not in the policy's clause table (clause 2.4)");
}

TEST(PolicyProblemTest, ToStringOmitsWhatIsUnknown) {
  PolicyProblem p;
  p.field = "version";
  p.message = "is required";
  EXPECT_EQ(p.ToString(), "version: is required");
}

TEST(PolicyProblemTest, ProblemsFromTextCarryFileLineAndColumn) {
  const std::string path =
      SourcePath("tests/testdata/bad/negative_fee.textproto");
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(ReadFile(path), "company.textproto");
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  const PolicyProblem& p = problems[0];
  ASSERT_GT(p.line, 0);
  ASSERT_GT(p.column, 0);
  const std::string s = p.ToString();
  EXPECT_TRUE(absl::StartsWith(
      s, absl::StrCat("company.textproto:", p.line, ":", p.column, ": ")))
      << s;
  EXPECT_THAT(s, HasSubstr("requests.types[0].fee_jpy: "));
  EXPECT_THAT(s, HasSubstr("(clause 8)"));
}

TEST(FormatProblemsTest, OneProblemPerLine) {
  PolicyProblem a;
  a.message = "first";
  PolicyProblem b;
  b.message = "second";
  EXPECT_EQ(FormatProblems({a, b}), "first\nsecond");
}

// --- Binary and size limits ------------------------------------------------

v1::Policy ParsedDefault() {
  v1::Policy policy;
  EXPECT_TRUE(TextFormat::ParseFromString(std::string(DefaultPolicyText()),
                                          &policy));
  return policy;
}

TEST(LoadBinaryTest, SerializedDefaultPolicyLoads) {
  const v1::Policy policy = ParsedDefault();
  const std::string bytes = policy.SerializeAsString();
  ASSERT_FALSE(bytes.empty());
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Binary(bytes));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_version(), policy.version());

  absl::StatusOr<std::unique_ptr<Engine>> from_text =
      Engine::Create(PolicySource::Default());
  ASSERT_TRUE(from_text.ok()) << from_text.status();
  EXPECT_EQ((*engine)->policy_hash(), (*from_text)->policy_hash())
      << "the same policy must have the same content hash however it loads";
}

TEST(LoadBinaryTest, TruncatedBytesAreInvalidArgument) {
  const std::string bytes = ParsedDefault().SerializeAsString();
  const std::string half = bytes.substr(0, bytes.size() / 2);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Binary(half));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
}

TEST(LoadBinaryTest, GarbageBytesAreInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(
      PolicySource::Binary(std::string("\xff\xff\xff\xff\xff", 5)));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
}

TEST(SizeLimitTest, OversizedTextIsRefusedNamingTheLimit) {
  const std::string big(kMaxPolicyBytes + 1, '#');
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(big, "big.textproto");
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_THAT(problems[0].message, HasSubstr("kMaxPolicyBytes"));

  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(big, "big.textproto"));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("kMaxPolicyBytes"));
}

TEST(SizeLimitTest, OversizedBinaryIsRefusedNamingTheLimit) {
  const std::string big(kMaxPolicyBytes + 1, '\0');
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Binary(big));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("kMaxPolicyBytes"));
}

v1::Policy ParsedMinimal() {
  v1::Policy policy;
  EXPECT_TRUE(TextFormat::ParseFromString(MinimalText(), &policy));
  return policy;
}

// --- Checking stays linear in the size of the policy ------------------------

// A list longer than kMaxPolicyListEntries is one problem naming the list,
// found before any other check (every later check is linear in the lists).
TEST(PolicyLimitsTest, ListOverTheLimitIsOneProblemNamingIt) {
  std::string text = MinimalText();
  for (int i = 0; i <= kMaxPolicyListEntries; ++i) {
    absl::StrAppend(&text, "clauses { number: \"z.", i,
                    "\" title_ja: \"付記\" }\n");
  }
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(text, "long.textproto");
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].field, "clauses");
  EXPECT_THAT(problems[0].message,
              HasSubstr(absl::StrCat(" entries; the limit is ",
                                     kMaxPolicyListEntries,
                                     " (kMaxPolicyListEntries)")));
  EXPECT_GT(problems[0].line, 0) << "located in the text";
}

TEST(PolicyLimitsTest, StringOverTheLimitIsRefused) {
  v1::Policy policy = ParsedMinimal();
  policy.mutable_clauses(0)->set_text_ja(
      std::string(kMaxPolicyTextBytes + 1, 'a'));
  const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].field, "clauses[0].text_ja");
  EXPECT_THAT(problems[0].message, HasSubstr("(kMaxPolicyTextBytes)"));
}

// A line break stays allowed in a clause's text; other controls do not.
TEST(PolicyLimitsTest, LineBreaksAndTabsAreTextOtherControlsAreNot) {
  v1::Policy policy = ParsedMinimal();
  policy.mutable_clauses(0)->set_text_ja("一行目\n\t二行目");
  EXPECT_TRUE(ValidatePolicy(policy).empty());
  for (const char* bad : {"a\rb", "a\0b", "a\x7f" "b", "a\xc2\x85" "b"}) {
    policy.mutable_clauses(0)->set_text_ja(std::string(bad, 4));
    const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
    ASSERT_EQ(problems.size(), 1u) << Describe(problems);
    EXPECT_THAT(problems[0].message, HasSubstr("a control character"));
  }
}

// A policy of problems: the first kMaxPolicyProblems are listed in the
// order of the text, the rest counted on one last line, so the message of a
// 16 MiB policy of problems stays a few kilobytes; suggestions are made for
// the first kMaxPolicySuggestions only.
TEST(PolicyLimitsTest, ManyProblemsAreListedUpToTheLimitAndCounted) {
  constexpr int kBad = 3000;
  std::string text = MinimalText();
  const std::string name = R"(categories { id: "name" group: "2.1" clause: "2.1" )";
  const size_t at = text.find(name);
  ASSERT_NE(at, std::string::npos);
  std::string conditions;
  for (int i = 0; i < kBad; ++i) {
    // 2.2 is not in the minimal policy's clause table; 2.1 is close to it.
    conditions += R"(conditions { clause: "2.2" consent {} } )";
  }
  text.insert(at + name.size(), conditions);
  const std::vector<PolicyProblem> problems =
      ValidatePolicyText(text, "many.textproto");
  ASSERT_EQ(problems.size(), static_cast<size_t>(kMaxPolicyProblems + 1));
  for (int i = 0; i < kMaxPolicyProblems; ++i) {
    EXPECT_GT(problems[i].line, 0) << i << ": every listed one is located";
    if (i > 0) EXPECT_GE(problems[i].line, problems[i - 1].line);
  }
  EXPECT_EQ(problems.back().field, "");
  EXPECT_THAT(problems.back().message,
              HasSubstr(absl::StrCat("and ", kBad - kMaxPolicyProblems,
                                     " more problems")));
  int suggested = 0;
  for (const PolicyProblem& p : problems) {
    if (absl::StrContains(p.message, "did you mean")) ++suggested;
  }
  EXPECT_LE(suggested, kMaxPolicySuggestions);

  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, "many.textproto"));
  EXPECT_THAT(engine.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("more than 100 problems"));
  EXPECT_LT(engine.status().message().size(), 64u << 10)
      << "bounded by the listed problems, not by the file";
}

// --- Validating a message --------------------------------------------------

TEST(ValidatePolicyTest, ClauseMissingFromTheTableIsReportedWithoutLines) {
  v1::Policy policy = ParsedMinimal();
  ASSERT_GT(policy.categories_size(), 0);
  ASSERT_TRUE(ValidatePolicy(policy).empty());
  policy.mutable_categories(0)->set_clause("2.9");

  const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].field, "categories[0].clause");
  EXPECT_THAT(problems[0].message,
              HasSubstr("not in the policy's clause table"));
  EXPECT_EQ(problems[0].line, 0) << "a message has no text to point into";
  EXPECT_EQ(problems[0].column, 0);

  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
}

// Documents and review grounds are policy ids a company adds (8.2, 8.3);
// like every kind of id, at most kMaxIdsPerKind of each, so that a request
// naming one always fits the sets the evaluators keep.
TEST(ValidatePolicyTest, TooManyDocumentsOrReviewGroundsAreRefused) {
  for (const bool documents : {true, false}) {
    v1::Policy policy = ParsedMinimal();
    ASSERT_TRUE(ValidatePolicy(policy).empty());
    const v1::RequestDocument doc = policy.requests().documents(0);
    // One more than the limit, whatever the minimal policy already has.
    for (int i = 0; i <= 256; ++i) {
      if (documents) {
        v1::RequestDocument* d = policy.mutable_requests()->add_documents();
        *d = doc;
        d->set_id(absl::StrCat("doc_", i));
      } else {
        v1::ReviewGround* g = policy.mutable_requests()->add_review_grounds();
        g->set_id(absl::StrCat("ground_", i));
        g->set_clause(doc.clause());
        g->set_text_ja("確認事項");
        g->set_text_en("A ground");
      }
    }
    const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
    EXPECT_THAT(Describe(problems),
                HasSubstr(documents ? "documents; a policy may define at most 256"
                                    : "review grounds; a policy may define at "
                                      "most 256"));
    EXPECT_THAT(Engine::Create(PolicySource::Message(policy)),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(ValidatePolicyTest, DefaultPolicyMessageCitingClause2_9IsRefused) {
  v1::Policy policy = ParsedDefault();
  ASSERT_TRUE(ValidatePolicy(policy).empty());
  policy.mutable_categories(3)->set_clause("2.9");
  const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].field, "categories[3].clause");
  EXPECT_THAT(problems[0].message,
              HasSubstr("clause '2.9' is not in the policy's clause table"));
}

// APPI 27(1), 29: the cases of the Act and the record rule are checked like
// every list of the policy, each problem naming its field.
TEST(ValidatePolicyTest, Appi27_1_And29_ThirdPartyProvisionIsChecked) {
  struct Case {
    const char* name;
    void (*mutate)(v1::Policy*);
    const char* field;
    const char* message;
  };
  const Case cases[] = {
      {"duplicate ground id",
       [](v1::Policy* p) {
         auto* t = p->mutable_third_party_provision();
         *t->add_legal_grounds() = t->legal_grounds(0);
       },
       "third_party_provision.legal_grounds[4].id", "duplicate id"},
      {"ground without article",
       [](v1::Policy* p) {
         p->mutable_third_party_provision()
             ->mutable_legal_grounds(1)
             ->clear_article();
       },
       "third_party_provision.legal_grounds[1].article", "article is required"},
      {"article not in the clause table",
       [](v1::Policy* p) {
         p->mutable_third_party_provision()
             ->mutable_legal_grounds(0)
             ->set_article("APPI 27(1)(ix)");
       },
       "third_party_provision.legal_grounds[0].article",
       "not in the policy's clause table"},
      {"record kept under an unknown retention kind",
       [](v1::Policy* p) {
         p->mutable_third_party_provision()
             ->mutable_record()
             ->set_retention_kind("provision_records");
       },
       "third_party_provision.record.retention_kind",
       "unknown retention kind 'provision_records'"},
      {"no years to keep",
       [](v1::Policy* p) {
         p->mutable_third_party_provision()->mutable_record()->set_keep_years(0);
       },
       "third_party_provision.record.keep_years", "must be 1-1000"},
      {"no record rule while a recipient needs records",
       [](v1::Policy* p) { p->mutable_third_party_provision()->clear_record(); },
       "third_party_provision.record", "record rule (APPI 29) is required"},
      {"the default recipient marked as a provision to record",
       [](v1::Policy* p) {
         p->mutable_recipients(0)->set_provision_record_required(true);
       },
       "recipients[0].provision_record_required", "contradictory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Policy policy = ParsedDefault();
    ASSERT_TRUE(ValidatePolicy(policy).empty());
    ASSERT_TRUE(policy.recipients(0).is_default());
    c.mutate(&policy);
    const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
    ASSERT_EQ(problems.size(), 1u) << Describe(problems);
    EXPECT_EQ(problems[0].field, c.field);
    EXPECT_THAT(problems[0].message, HasSubstr(c.message));
    EXPECT_THAT(Engine::Create(PolicySource::Message(policy)),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

// 7, 8.1: the law a kind's period rests on is an article of the clause
// table, like every article the policy cites: an erasure is deferred to it.
TEST(ValidatePolicyTest, Clause7_StatutoryArticleOfAKindIsInTheClauseTable) {
  v1::Policy policy = ParsedDefault();
  ASSERT_TRUE(ValidatePolicy(policy).empty());
  int accounting = -1;
  for (int i = 0; i < policy.retention().kinds_size(); ++i) {
    if (policy.retention().kinds(i).id() == "accounting") accounting = i;
  }
  ASSERT_GE(accounting, 0);
  EXPECT_EQ(policy.retention().kinds(accounting).statutory_article(),
            "法人税法施行規則 59");
  policy.mutable_retention()->mutable_kinds(accounting)->set_statutory_article(
      "法人税法施行規則 95");
  const std::vector<PolicyProblem> problems = ValidatePolicy(policy);
  ASSERT_EQ(problems.size(), 1u) << Describe(problems);
  EXPECT_EQ(problems[0].field,
            absl::StrCat("retention.kinds[", accounting, "].statutory_article"));
  EXPECT_THAT(problems[0].message,
              HasSubstr("not in the policy's clause table"));
}

// --- The public id contract (DESIGN.md, "Vocabulary of the default policy") --

template <typename List>
std::map<std::string, std::string> IdsToGroups(const List& items) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) out[item.id()] = item.group();
  return out;
}

template <typename List>
std::set<std::string> IdsOf(const List& items) {
  std::set<std::string> out;
  for (const auto& item : items) out.insert(item.id());
  return out;
}

TEST(DefaultVocabularyTest, EveryCategoryIdOfTheDesignExistsInItsGroup) {
  const v1::Policy policy = ParsedDefault();
  const auto categories = IdsToGroups(policy.categories());
  const std::vector<std::pair<std::string, std::vector<std::string>>> want = {
      {"2.1", {"name", "birth_date", "age", "gender", "nationality",
               "occupation", "affiliation"}},
      {"2.2", {"home_address", "work_address", "landline_phone",
               "mobile_phone", "fax", "email", "sns_account"}},
      {"2.3", {"inquiry_content", "consultation_history", "contract",
               "transaction_history", "service_usage", "payment",
               "survey_answer", "review"}},
      {"2.4", {"ip_address", "mac_address", "browser_info", "os_info",
               "cookie", "access_log", "behavior_history", "location"}},
      {"2.5", {"recording", "photo_video", "health", "family_structure"}},
  };
  for (const auto& [group, ids] : want) {
    for (const std::string& id : ids) {
      auto it = categories.find(id);
      ASSERT_TRUE(it != categories.end()) << "category '" << id << "' missing";
      EXPECT_EQ(it->second, group) << "category '" << id << "'";
    }
  }
}

TEST(DefaultVocabularyTest, EveryPurposeIdOfTheDesignExistsInItsGroup) {
  const v1::Policy policy = ParsedDefault();
  const auto purposes = IdsToGroups(policy.purposes());
  const std::vector<std::pair<std::string, std::vector<std::string>>> want = {
      {"4.1", {"service_contact", "contract_management", "billing",
               "service_improvement", "customer_support", "after_follow_up"}},
      {"4.2", {"campaign_notice", "event_invitation", "industry_info",
               "direct_mail", "sales_follow_up", "market_research"}},
      {"4.3", {"web_analytics", "usage_analysis", "satisfaction_measurement",
               "statistics", "new_service_research"}},
      {"4.4", {"identity_verification", "fraud_prevention", "system_security",
               "legal_obligation", "dispute_resolution"}},
  };
  for (const auto& [group, ids] : want) {
    for (const std::string& id : ids) {
      auto it = purposes.find(id);
      ASSERT_TRUE(it != purposes.end()) << "purpose '" << id << "' missing";
      EXPECT_EQ(it->second, group) << "purpose '" << id << "'";
    }
  }
}

TEST(DefaultVocabularyTest, RecipientsWithInternalAsTheDefault) {
  const v1::Policy policy = ParsedDefault();
  const std::set<std::string> ids = IdsOf(policy.recipients());
  for (const char* id :
       {"internal", "contractor", "third_party", "overseas_third_party",
        "overseas_contractor", "overseas_contractor_equivalent_measures"}) {
    EXPECT_TRUE(ids.count(id)) << "recipient '" << id << "' missing";
  }
  std::vector<std::string> defaults;
  for (const auto& r : policy.recipients()) {
    if (r.is_default()) defaults.push_back(r.id());
  }
  EXPECT_THAT(defaults, ::testing::ElementsAre("internal"));
}

TEST(DefaultVocabularyTest, ChannelsRetentionKindsAndRequestTypes) {
  const v1::Policy policy = ParsedDefault();
  const std::set<std::string> channels = IdsOf(policy.acquisition_channels());
  for (const char* id : {"website", "phone_email", "in_person", "paper",
                         "third_party", "public_source"}) {
    EXPECT_TRUE(channels.count(id)) << "acquisition channel '" << id << "'";
  }
  const std::set<std::string> kinds = IdsOf(policy.retention().kinds());
  for (const char* id : {"inquiry", "contract_transaction", "accounting",
                         "marketing", "web_access", "training_seminar",
                         "provision_record", "confirmation_record"}) {
    EXPECT_TRUE(kinds.count(id)) << "retention kind '" << id << "'";
  }
  const std::set<std::string> types = IdsOf(policy.requests().types());
  for (const char* id : {"purpose_notification", "disclosure", "correction",
                         "suspension", "third_party_stop",
                         "provision_record_disclosure"}) {
    EXPECT_TRUE(types.count(id)) << "request type '" << id << "'";
  }
}

}  // namespace
}  // namespace pip
