// pipctl: pip's command line.
//
//   pipctl eval [options] [FILE...]     JSON lines in (pip.v1.EvalRequest),
//                                       one pip.v1.EvalResponse out per line
//   pipctl explain [options] [FILE...]  the same requests, explained in
//                                       Japanese and English
//   pipctl validate FILE...             every problem of each policy file
//   pipctl policy                       the embedded policy's text
//   pipctl diff OLD NEW                 what changed between two policies,
//                                       classified as APPI treats it
//   pipctl test [--policy F] FILE...    expected decisions (golden files)
//                                       run against a policy
//   pipctl render --lang L --format F   the published privacy notice, from
//                                       the policy's data
//   pipctl sql --dialect D --mapping F  the retention rules (clause 7) as
//                                       SQL over the company's table
//   pipctl keygen / sign / verify       signed policies (pip/trust.h)
//   pipctl audit-verify                 check a decision log (pip/audit.h)
//   pipctl demo | version | help [COMMAND]
//
// Flags are parsed by CLI11: `--flag=value` and `--flag value` both work,
// every command has `--help`, and `pipctl --version` prints the version.
//
// Exit codes, for every command:
//   0  done: every line answered (and none met --fail-on), the policy is
//      valid, the signature verifies, the log verifies
//   1  a finding: a line met --fail-on (by default, a line was an error),
//      a policy has problems, a signature is refused, a log was tampered,
//      a policy change needs the person's consent (diff; see --fail-on),
//      a case's answer is not the one expected (test)
//   2  pipctl could not run: bad usage, a policy that does not load, input
//      that cannot be read (a malformed golden file too), output that
//      cannot be written
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/version.h"
#include "tools/pipctl/demo.h"
#include "tools/pipctl/eval_stream.h"
#include "tools/pipctl/golden.h"
#include "tools/pipctl/json_text.h"
#include "tools/pipctl/notice.h"
#include "tools/pipctl/policy_diff.h"
#include "tools/pipctl/security.h"
#include "tools/pipctl/sql_retention.h"

namespace {

constexpr int kFinding = 1;
constexpr int kCannotRun = 2;

constexpr char kExitCodes[] =
    "exit codes: 0 done; 1 a finding (a line that meets --fail-on, a policy "
    "with problems, a refused signature, a tampered log, a policy change "
    "that meets diff's --fail-on, a test case that fails); 2 pipctl could "
    "not run (bad usage, a policy that does not load, unreadable or "
    "malformed input, unwritable output)";

// When `eval` and `explain` exit 1.
enum class FailOn { kError, kDeny, kNever };

// The options `eval` and `explain` share, and the input files.
struct StreamArgs {
  pipctl::EngineArgs engine;
  std::vector<std::string> inputs;
  std::string format = "json";
  std::string fail_on = "error";
};

void AddEngineOptions(CLI::App* command, StreamArgs* args) {
  pipctl::EngineArgs& e = args->engine;
  command->add_option("--policy", e.policy_file,
                      "the policy file (text format, or binary when it ends "
                      "in .binpb or .pb); default: the embedded policy")
      ->type_name("FILE");
  command->add_option("--trusted-key", e.trusted_key_files,
                      "require the policy to be signed by this Ed25519 "
                      "public key (PEM); repeatable")
      ->type_name("PUBLIC")
      ->allow_extra_args(false);
  command->add_option("--signature", e.signature_file,
                      "the policy's detached signature; default: POLICY.sig")
      ->type_name("SIG");
  command->add_option("--min-revision", e.min_revision,
                      "with --trusted-key: refuse a policy of a lower "
                      "revision")
      ->type_name("N");
  command->add_option("--revision-file", e.revision_file,
                      "with --trusted-key: keep the highest revision "
                      "accepted in FILE and refuse a lower one on every "
                      "later run (the rollback floor across restarts)")
      ->type_name("FILE");
  command->add_option("--audit", e.audit_file,
                      "append a record of every decision to FILE (JSON "
                      "lines, clause 5.4); a decision that cannot be "
                      "recorded is answered with an UNAVAILABLE error "
                      "instead")
      ->type_name("FILE");
  command->add_option("--audit-key-file", e.audit_key_file,
                      "the secret (at least 32 bytes, e.g. `openssl rand 32 "
                      "> KEY`) that pseudonymizes ids in the log; required "
                      "with --audit")
      ->type_name("KEY");
  command->add_option("--fail-on", args->fail_on,
                      "exit 1 when a line is an error (error, the default), "
                      "when a line is an error or a decision says no: "
                      "purpose_allowed or acquisition_check not allowed, "
                      "consent_check or request_validate not valid (deny), "
                      "or never (never)")
      ->check(CLI::IsMember({"error", "deny", "never"}))
      ->type_name("WHEN");
  command->add_option("FILE", args->inputs,
                      "files of JSON lines, read in order; '-' or none: "
                      "standard input");
}

// Opens one input ("-" is standard input) and runs `run` on it. Returns
// UnavailableError naming the input when it cannot be opened or read, or
// the output cannot be written.
absl::Status ForEachInput(
    const std::vector<std::string>& inputs,
    const std::function<absl::Status(std::istream&, const std::string&)>&
        run) {
  const std::vector<std::string> all =
      inputs.empty() ? std::vector<std::string>{"-"} : inputs;
  for (const std::string& input : all) {
    if (input == "-") {
      struct stat st;
      if (::fstat(0, &st) != 0) {
        return absl::UnavailableError(absl::StrCat(
            "cannot read standard input: ", std::strerror(errno)));
      }
      if (S_ISDIR(st.st_mode)) {
        return absl::UnavailableError(
            "cannot read standard input: it is a directory");
      }
      absl::Status s = run(std::cin, "standard input");
      if (!s.ok()) return s;
      continue;
    }
    struct stat st;
    if (::stat(input.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return absl::UnavailableError(
          absl::StrCat("cannot read '", input, "': it is a directory"));
    }
    std::ifstream file(input, std::ios::binary);
    if (!file) {
      return absl::UnavailableError(absl::StrCat(
          "cannot open '", input, "': ", std::strerror(errno)));
    }
    absl::Status s = run(file, absl::StrCat("'", input, "'"));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// `eval` and `explain`.
int RunStream(const char* command, const StreamArgs& args, bool explain) {
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      pipctl::BuildEngine(args.engine);
  if (!engine.ok()) {
    std::cerr << "pipctl " << command << ": " << engine.status().message()
              << "\n";
    return kCannotRun;
  }
  const FailOn fail_on = args.fail_on == "deny"    ? FailOn::kDeny
                         : args.fail_on == "never" ? FailOn::kNever
                                                   : FailOn::kError;
  pipctl::StreamOptions options;
  options.format = args.format == "pretty" ? pipctl::OutputFormat::kPretty
                                           : pipctl::OutputFormat::kJson;
  options.count_denials = fail_on == FailOn::kDeny;
  pipctl::LineCounts counts;
  const absl::Status status = ForEachInput(
      args.inputs, [&](std::istream& in, const std::string& name) {
        return explain ? pipctl::ExplainLines(**engine, in, name, std::cout,
                                              options, &counts)
                       : pipctl::EvalLines(**engine, in, name, std::cout,
                                           options, &counts);
      });
  if (!status.ok()) {
    std::cerr << "pipctl " << command << ": " << status.message() << "\n";
    return kCannotRun;
  }
  // The last check of the output: what is buffered reaches its file.
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "pipctl " << command << ": cannot write the output: "
              << std::strerror(errno) << "\n";
    return kCannotRun;
  }
  const bool errors = fail_on != FailOn::kNever && counts.errors > 0;
  const bool denied = fail_on == FailOn::kDeny && counts.denied > 0;
  if (errors || denied) {
    std::cerr << "pipctl " << command << ": " << counts.errors << " of "
              << counts.answered << " lines were errors";
    if (fail_on == FailOn::kDeny) {
      std::cerr << ", " << counts.denied << " decisions said no";
    }
    std::cerr << "\n";
    return kFinding;
  }
  return 0;
}

int Validate(const std::vector<std::string>& files) {
  int bad = 0;
  for (const std::string& file : files) {
    auto engine = pip::Engine::Create(pip::PolicySource::File(file));
    if (engine.ok()) {
      std::cout << file << ": OK (version " << (*engine)->policy_version()
                << ", sha256 " << (*engine)->policy_hash() << ")\n";
    } else {
      std::cout << engine.status().message() << "\n";
      ++bad;
    }
  }
  return bad == 0 ? 0 : kFinding;
}

// A policy for `diff` and `test`: "default" (diff) or an empty name (test)
// is the embedded one, anything else a file (binary when it ends in .binpb
// or .pb). The error names the file and every problem.
absl::StatusOr<std::unique_ptr<pip::Engine>> LoadPolicy(
    const std::string& name) {
  const bool embedded = name.empty() || name == "default";
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine = pip::Engine::Create(
      embedded ? pip::PolicySource::Default() : pip::PolicySource::File(name));
  if (!engine.ok()) {
    return absl::Status(
        engine.status().code(),
        absl::StrCat("cannot load the policy '", embedded ? "default" : name,
                     "': ", engine.status().message()));
  }
  return engine;
}

struct DiffArgs {
  std::string old_policy;
  std::string new_policy;
  std::string format = "text";
  std::string fail_on = "needs_consent";
};

// `diff`: exit 1 when a change meets --fail-on (by default, when a change
// needs the person's consent), 0 otherwise, 2 when a policy does not load.
int Diff(const DiffArgs& args) {
  absl::StatusOr<std::unique_ptr<pip::Engine>> old_engine =
      LoadPolicy(args.old_policy);
  absl::StatusOr<std::unique_ptr<pip::Engine>> new_engine =
      LoadPolicy(args.new_policy);
  bool loaded = true;
  for (const auto* engine : {&old_engine, &new_engine}) {
    if (!engine->ok()) {
      std::cerr << "pipctl diff: " << engine->status().message() << "\n";
      loaded = false;
    }
  }
  if (!loaded) return kCannotRun;
  const std::vector<pipctl::PolicyChange> changes =
      pipctl::DiffPolicies((*old_engine)->policy(), (*new_engine)->policy());
  const pipctl::PolicyIdentity old_id{args.old_policy,
                                      (*old_engine)->policy_version(),
                                      (*old_engine)->policy_hash()};
  const pipctl::PolicyIdentity new_id{args.new_policy,
                                      (*new_engine)->policy_version(),
                                      (*new_engine)->policy_hash()};
  if (args.format == "json") {
    std::cout << pipctl::FormatDiffJson(old_id, new_id, changes) << "\n";
  } else {
    std::cout << pipctl::FormatDiffText(old_id, new_id, changes);
  }
  bool finding = false;
  for (const pipctl::PolicyChange& c : changes) {
    if (args.fail_on == "any" ||
        (args.fail_on == "needs_consent" &&
         c.change_class == pipctl::ChangeClass::kNeedsConsent)) {
      finding = true;
    }
  }
  return finding ? kFinding : 0;
}

struct TestArgs {
  std::string policy_file;
  std::vector<std::string> files;
  std::string format = "text";
};

// The lines of `text`, each prefixed with `indent`.
std::string Indent(absl::string_view text, absl::string_view indent) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) continue;
    absl::StrAppend(&out, indent, line, "\n");
  }
  return out;
}

// `test`: exit 1 when a case fails, 2 when the policy does not load or a
// file cannot be read or is malformed (then no case is run).
int Test(const TestArgs& args) {
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      LoadPolicy(args.policy_file);
  if (!engine.ok()) {
    std::cerr << "pipctl test: " << engine.status().message() << "\n";
    return kCannotRun;
  }
  std::vector<pipctl::GoldenCase> cases;
  bool readable = true;
  for (const std::string& file : args.files) {
    struct stat st;
    if (::stat(file.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      std::cerr << "pipctl test: cannot read '" << file
                << "': it is a directory\n";
      readable = false;
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "pipctl test: cannot open '" << file
                << "': " << std::strerror(errno) << "\n";
      readable = false;
      continue;
    }
    absl::StatusOr<std::vector<pipctl::GoldenCase>> read =
        pipctl::ReadGoldenCases(in, file);
    if (!read.ok()) {
      std::cerr << "pipctl test: " << read.status().message() << "\n";
      readable = false;
      continue;
    }
    cases.insert(cases.end(), read->begin(), read->end());
  }
  if (!readable) return kCannotRun;

  size_t failed = 0;
  const bool json = args.format == "json";
  std::string out = json ? "{\"cases\":[" : "";
  for (size_t i = 0; i < cases.size(); ++i) {
    const pipctl::GoldenCase& c = cases[i];
    const pipctl::GoldenResult r = pipctl::RunGoldenCase(**engine, c);
    if (!r.pass) ++failed;
    if (json) {
      if (i > 0) out += ",";
      out += "{\"file\":";
      pipctl::AppendJsonString(&out, c.file);
      absl::StrAppend(&out, ",\"line\":", c.line, ",\"title\":");
      pipctl::AppendJsonString(&out, c.title);
      absl::StrAppend(&out, ",\"pass\":", r.pass ? "true" : "false");
      if (!r.pass) {
        out += ",\"diffs\":[";
        for (size_t d = 0; d < r.diffs.size(); ++d) {
          if (d > 0) out += ",";
          out += "{\"path\":";
          pipctl::AppendJsonString(&out, r.diffs[d].path);
          out += ",\"expected\":";
          pipctl::AppendJsonString(&out, r.diffs[d].expected);
          out += ",\"actual\":";
          pipctl::AppendJsonString(&out, r.diffs[d].actual);
          out += "}";
        }
        out += "],\"answer\":";
        pipctl::AppendJsonString(&out, r.answer);
        out += ",\"explanation\":";
        pipctl::AppendJsonString(&out, r.explanation);
      }
      out += "}";
      continue;
    }
    absl::StrAppend(&out, r.pass ? "PASS " : "FAIL ", c.file, ":", c.line,
                    c.title.empty() ? "" : "  ", c.title, "\n");
    if (r.pass) continue;
    for (const pipctl::FieldDiff& d : r.diffs) {
      absl::StrAppend(&out, "    ", d.path, ": expected ", d.expected,
                      ", got ", d.actual, "\n");
    }
    absl::StrAppend(&out, "    answer: ", r.answer, "\n",
                    Indent(r.explanation, "    | "));
  }
  if (json) {
    absl::StrAppend(&out, "],\"passed\":", cases.size() - failed,
                    ",\"failed\":", failed, "}\n");
  } else {
    absl::StrAppend(&out, "\n", cases.size(), " cases: ",
                    cases.size() - failed, " passed, ", failed, " failed\n");
  }
  std::cout << out;
  return failed == 0 ? 0 : kFinding;
}

struct RenderArgs {
  std::string policy_file = "default";
  std::string lang;
  std::string format;
  std::string output;
};

// Writes `text` to `path` whole or not at all: into a temporary file
// beside it, renamed over `path` once complete. The file is readable as
// the umask allows (a published notice). The error names `path`.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& text) {
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot write '", path, "': ", std::strerror(errno)));
  }
  const mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = ::fchmod(fd, 0666 & ~mask) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  int error = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok && std::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return absl::UnavailableError(absl::StrCat(
        "cannot write '", path, "': ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// `render`: the notice on standard output or in -o's file; exit 2 when the
// policy does not load or the file cannot be written (then it is left as
// it was).
int Render(const RenderArgs& args) {
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      LoadPolicy(args.policy_file);
  if (!engine.ok()) {
    std::cerr << "pipctl render: " << engine.status().message() << "\n";
    return kCannotRun;
  }
  const pipctl::Notice notice = pipctl::BuildNotice(
      (*engine)->policy(),
      args.lang == "en" ? pipctl::NoticeLang::kEn : pipctl::NoticeLang::kJa,
      (*engine)->policy_hash());
  // The notice follows the policy's data; where the clause text says
  // otherwise, the author is told, and the notice is written all the same.
  for (const std::string& d :
       pipctl::ClauseTextDisagreements((*engine)->policy())) {
    std::cerr << "pipctl render: warning: " << d << "\n";
  }
  const std::string text = args.format == "html"
                               ? pipctl::NoticeHtml(notice)
                               : pipctl::NoticeMarkdown(notice);
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    return 0;
  }
  const absl::Status written = WriteFileAtomically(args.output, text);
  if (!written.ok()) {
    std::cerr << "pipctl render: " << written.message() << "\n";
    return kCannotRun;
  }
  return 0;
}

struct SqlArgs {
  std::string dialect;
  std::string mapping;
  std::string policy = "default";
  std::string form = "predicate";
  std::string as_of;
  bool unknown_kinds = false;
};

// `sql`: the SQL on standard output; exit 2 for any error (a bad dialect,
// mapping or time, a policy that does not load).
int Sql(const SqlArgs& args) {
  const auto fail = [](absl::string_view message) {
    std::cerr << "pipctl sql: " << message << "\n";
    return kCannotRun;
  };
  absl::StatusOr<pipctl::SqlDialect> dialect =
      pipctl::ParseSqlDialect(args.dialect);
  if (!dialect.ok()) return fail(dialect.status().message());
  std::ifstream in(args.mapping, std::ios::binary);
  if (!in) {
    return fail(absl::StrCat("cannot open '", args.mapping,
                             "': ", std::strerror(errno)));
  }
  const std::string text((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  if (in.bad()) return fail(absl::StrCat("cannot read '", args.mapping, "'"));
  absl::StatusOr<pipctl::SqlMapping> mapping = pipctl::ParseSqlMapping(text);
  if (!mapping.ok()) {
    return fail(absl::StrCat(args.mapping, ": ", mapping.status().message()));
  }
  pipctl::SqlOptions options;
  options.dialect = *dialect;
  options.form = args.unknown_kinds   ? pipctl::SqlForm::kProblems
                 : args.form == "view" ? pipctl::SqlForm::kView
                                       : pipctl::SqlForm::kPredicate;
  if (!args.as_of.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, args.as_of, &t, &error)) {
      return fail(absl::StrCat("--as-of: not an RFC 3339 time ('", args.as_of,
                               "'), e.g. 2026-04-01T00:00:00+09:00"));
    }
    options.as_of = t;
  }
  absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
      LoadPolicy(args.policy);
  if (!engine.ok()) return fail(engine.status().message());
  absl::StatusOr<std::string> sql =
      pipctl::CompileRetentionSql(**engine, *mapping, options);
  if (!sql.ok()) {
    // A mapping's field is named with its file; as_of and the policy are not.
    const absl::string_view message = sql.status().message();
    return fail(absl::StartsWith(message, "mapping: ")
                    ? absl::StrCat(args.mapping, ": ", message)
                    : std::string(message));
  }
  std::cout << *sql;
  return 0;
}

int Version() {
  auto engine = pip::Engine::Create(pip::PolicySource::Default());
  if (!engine.ok()) {
    std::cerr << "pipctl version: " << engine.status().message() << "\n";
    return kCannotRun;
  }
  std::cout << "pip " << PIP_VERSION_STRING << ", embedded policy "
            << (*engine)->policy_version() << " (sha256 "
            << (*engine)->policy_hash() << ")\n";
  return 0;
}

// `code`, unless standard output could not be written: then exit 2.
int Finish(const char* command, int code) {
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "pipctl " << command << ": cannot write the output: "
              << std::strerror(errno) << "\n";
    return kCannotRun;
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  CLI::App app{
      "pipctl: decisions on the company's privacy policy (個人情報保護方針), "
      "each citing its clause or article.",
      "pipctl"};
  app.set_version_flag("--version", absl::StrCat("pip ", PIP_VERSION_STRING));
  app.require_subcommand(1);
  app.footer(kExitCodes);

  StreamArgs eval_args;
  CLI::App* eval = app.add_subcommand(
      "eval",
      "read pip.v1.EvalRequest JSON lines and write one pip.v1.EvalResponse "
      "line each, in order (a bad line gets an error line and the stream "
      "goes on)");
  AddEngineOptions(eval, &eval_args);
  eval->add_option("--format", eval_args.format,
                   "json: one line per answer (default); pretty: the same "
                   "JSON indented")
      ->check(CLI::IsMember({"json", "pretty"}))
      ->type_name("FORMAT");

  StreamArgs explain_args;
  CLI::App* explain = app.add_subcommand(
      "explain",
      "read the same lines and explain each decision in Japanese and "
      "English, with the text of the clauses it cites");
  AddEngineOptions(explain, &explain_args);

  std::vector<std::string> validate_files;
  CLI::App* validate = app.add_subcommand(
      "validate", "report every problem of each policy file; exit 1 if any "
                  "has one");
  validate->add_option("FILE", validate_files, "policy files")->required();

  CLI::App* policy = app.add_subcommand(
      "policy",
      "print the embedded policy (policies/default.textproto), to start "
      "editing a company's own from it");

  DiffArgs diff_args;
  CLI::App* diff = app.add_subcommand(
      "diff",
      "list what changed from policy OLD to policy NEW, matched by stable "
      "ids, each change with its clause and its class: needs_consent (a new "
      "purpose or a wider use: APPI 17(2), 18(1), 21, 27), "
      "weakens_protection, deletes_earlier (a shorter retention, clause 7), "
      "text_only, other; exit 1 when a change meets --fail-on");
  diff->add_option("OLD", diff_args.old_policy,
                   "the policy in force: a file (text format, or binary "
                   "when it ends in .binpb or .pb) or 'default' for the "
                   "embedded policy")
      ->required();
  diff->add_option("NEW", diff_args.new_policy,
                   "the policy to put in force instead, likewise")
      ->required();
  diff->add_option("--format", diff_args.format,
                   "text: the changes grouped by class, in Japanese and "
                   "English (default); json: one JSON object")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  diff->add_option("--fail-on", diff_args.fail_on,
                   "exit 1 when a change needs the person's consent "
                   "(needs_consent, the default), when anything changed "
                   "(any), or never (never)")
      ->check(CLI::IsMember({"needs_consent", "any", "never"}))
      ->type_name("WHEN");

  TestArgs test_args;
  CLI::App* test = app.add_subcommand(
      "test",
      "run the cases of golden FILEs (a '# title' line, a request line, an "
      "expected line: docs/policy-testing.md) against a policy; report each "
      "case, and for a failure the fields that differ and the decision "
      "explained; exit 1 when a case fails");
  test->add_option("--policy", test_args.policy_file,
                   "the policy file (text format, or binary when it ends "
                   "in .binpb or .pb); default: the embedded policy")
      ->type_name("FILE");
  test->add_option("--format", test_args.format,
                   "text: one PASS or FAIL line per case and a summary "
                   "(default); json: one JSON object")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  test->add_option("FILE", test_args.files, "golden files, read in order")
      ->required();

  RenderArgs render_args;
  CLI::App* render = app.add_subcommand(
      "render",
      "write the privacy notice the company publishes, from the policy: "
      "categories, channels, purposes with their conditions, measures, "
      "contractor rules, retention periods, request types, fee and "
      "deadline come from the policy's data, the rest from its clause "
      "texts (docs/notice.md)");
  render->add_option("--policy", render_args.policy_file,
                     "the policy file (text format, or binary when it ends "
                     "in .binpb or .pb) or 'default' for the embedded "
                     "policy (default)")
      ->type_name("FILE");
  render->add_option("--lang", render_args.lang,
                     "ja: the published Japanese text; en: its English "
                     "translation")
      ->check(CLI::IsMember({"ja", "en"}))
      ->type_name("LANG")
      ->required();
  render->add_option("--format", render_args.format,
                     "md: Markdown; html: one standalone HTML page (inline "
                     "CSS, no script)")
      ->check(CLI::IsMember({"md", "html"}))
      ->type_name("FORMAT")
      ->required();
  render->add_option("-o,--output", render_args.output,
                     "write to OUT, replaced whole or not at all; default: "
                     "standard output")
      ->type_name("OUT");

  SqlArgs sql_args;
  CLI::App* sql = app.add_subcommand(
      "sql",
      "write the retention rules of the policy (clause 7) as SQL over the "
      "company's table (docs/scale.md): a WHERE predicate true exactly for "
      "the rows retention_due calls due, or a view with due, retain_until "
      "and clause; a row pip does not understand is never selected");
  sql->add_option("--dialect", sql_args.dialect, "postgres or sqlite")
      ->type_name("DIALECT")
      ->required();
  sql->add_option("--mapping", sql_args.mapping,
                  "the table, its columns and kind values (JSON; "
                  "docs/scale.md)")
      ->type_name("FILE")
      ->required();
  sql->add_option("--policy", sql_args.policy,
                  "the policy file (text format, or binary when it ends in "
                  ".binpb or .pb) or 'default' (the default)")
      ->type_name("FILE");
  sql->add_option("--form", sql_args.form,
                  "predicate: a boolean expression for WHERE (default); "
                  "view: CREATE VIEW with due, retain_until, clause")
      ->check(CLI::IsMember({"predicate", "view"}))
      ->type_name("FORM");
  sql->add_option("--as-of", sql_args.as_of,
                  "evaluate at this RFC 3339 time, each kind's threshold a "
                  "constant computed by pip; default: the database's now()")
      ->type_name("TIME");
  sql->add_flag("--unknown-kinds", sql_args.unknown_kinds,
                "instead, a SELECT of the rows the predicate never selects "
                "because pip does not understand them (an unknown kind, no "
                "event, an event outside 1900-9999), each with why");

  std::string private_file, public_file;
  CLI::App* keygen = app.add_subcommand(
      "keygen", "make an Ed25519 key pair (PEM) for signing policies; "
                "PRIVATE is created with mode 0600, neither is overwritten");
  keygen->add_option("PRIVATE", private_file, "the private key to create")
      ->required();
  keygen->add_option("PUBLIC", public_file, "the public key to create")
      ->required();

  std::string sign_key, sign_policy, sign_signature;
  CLI::App* sign = app.add_subcommand(
      "sign", "validate POLICY and write its detached signature (base64)");
  sign->add_option("--key", sign_key, "the Ed25519 private key (PEM)")
      ->type_name("PRIVATE")
      ->required();
  sign->add_option("POLICY", sign_policy, "the policy file")->required();
  sign->add_option("SIG", sign_signature,
                   "where to write the signature; default: POLICY.sig");

  std::vector<std::string> verify_keys;
  std::string verify_policy, verify_signature;
  CLI::App* verify = app.add_subcommand(
      "verify", "check POLICY's signature and validity; exit 1 if refused");
  verify->add_option("--trusted-key", verify_keys,
                     "a trusted Ed25519 public key (PEM); repeatable")
      ->type_name("PUBLIC")
      ->allow_extra_args(false)
      ->required();
  verify->add_option("POLICY", verify_policy, "the policy file")->required();
  verify->add_option("SIG", verify_signature,
                     "its signature; default: POLICY.sig");

  std::string audit_key;
  std::vector<std::string> audit_files;
  CLI::App* audit_verify = app.add_subcommand(
      "audit-verify",
      "check a decision log, oldest file first (e.g. log.2 log.1 log); exit "
      "1 if a record was changed, removed, inserted or reordered");
  audit_verify
      ->add_option("--audit-key-file", audit_key,
                   "the log's secret key file")
      ->type_name("KEY")
      ->required();
  audit_verify->add_option("FILE", audit_files, "the log's files")
      ->required();

  CLI::App* demo = app.add_subcommand(
      "demo", "show a few decisions on the embedded policy");
  CLI::App* version = app.add_subcommand(
      "version", "print pip's version and the embedded policy's");

  std::string help_topic;
  CLI::App* help =
      app.add_subcommand("help", "print the usage of pipctl or of COMMAND");
  help->add_option("COMMAND", help_topic, "a command");

  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    command->footer(kExitCodes);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error prints why and exits 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : kCannotRun;
  }

  if (*eval) return RunStream("eval", eval_args, /*explain=*/false);
  if (*explain) return RunStream("explain", explain_args, /*explain=*/true);
  if (*validate) return Finish("validate", Validate(validate_files));
  if (*policy) {
    std::cout << pip::DefaultPolicyText();
    return Finish("policy", 0);
  }
  if (*diff) return Finish("diff", Diff(diff_args));
  if (*test) return Finish("test", Test(test_args));
  if (*render) return Finish("render", Render(render_args));
  if (*sql) return Finish("sql", Sql(sql_args));
  if (*keygen) return pipctl::KeygenCommand(private_file, public_file);
  if (*sign) {
    return Finish("sign",
                  pipctl::SignCommand(sign_key, sign_policy, sign_signature));
  }
  if (*verify) {
    return Finish("verify", pipctl::VerifyCommand(verify_keys, verify_policy,
                                                  verify_signature));
  }
  if (*audit_verify) {
    return Finish("audit-verify",
                  pipctl::AuditVerifyCommand(audit_key, audit_files));
  }
  if (*demo) return Finish("demo", pipctl::RunDemo(std::cout));
  if (*version) return Finish("version", Version());
  if (*help) {
    if (help_topic.empty()) {
      std::cout << app.help();
      return Finish("help", 0);
    }
    for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
      if (command->get_name() == help_topic) {
        std::cout << command->help("pipctl");
        return Finish("help", 0);
      }
    }
    std::cerr << "pipctl help: unknown command '" << help_topic << "'\n"
              << app.help();
    return kCannotRun;
  }
  return kCannotRun;
}
