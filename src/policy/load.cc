#include "src/policy/load.h"

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "src/internal/contract_name.h"
#include "src/internal/protobuf_log.h"

namespace pip {
namespace policy_internal {
namespace {

class ProblemCollector : public google::protobuf::io::ErrorCollector {
 public:
  ProblemCollector(absl::string_view file, std::vector<PolicyProblem>* out)
      : file_(file), out_(out) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    PolicyProblem p;
    p.file = file_;
    p.line = line + 1;
    p.column = column + 1;
    p.message = internal::ContractName(message);
    out_->push_back(std::move(p));
  }

 private:
  std::string file_;
  std::vector<PolicyProblem>* out_;
};

absl::Status ProblemsToStatus(const std::vector<PolicyProblem>& problems) {
  // Past kMaxPolicyProblems the last line counts the problems not listed.
  const std::string count =
      static_cast<int>(problems.size()) > kMaxPolicyProblems
          ? absl::StrCat("more than ", kMaxPolicyProblems, " problems")
          : absl::StrCat(problems.size(), " problem",
                         problems.size() == 1 ? "" : "s");
  return absl::InvalidArgumentError(
      absl::StrCat("policy is invalid (", count, "):\n",
                   FormatProblems(problems)));
}

PolicyProblem TooLarge(absl::string_view file, size_t size) {
  PolicyProblem p;
  p.file = std::string(file);
  p.message = absl::StrCat("policy is ", size, " bytes; the limit is ",
                           kMaxPolicyBytes, " (kMaxPolicyBytes)");
  return p;
}

}  // namespace

std::vector<PolicyProblem> ParseAndValidateText(absl::string_view text,
                                                absl::string_view file,
                                                v1::Policy* policy) {
  std::vector<PolicyProblem> problems;
  if (text.size() > kMaxPolicyBytes) {
    problems.push_back(TooLarge(file, text.size()));
    return problems;
  }
  // A policy that validates needs no source locations, and recording them
  // costs a sixth of a load: the text is parsed again with them only to
  // place the problems of one that does not (validation runs once).
  ProblemCollector collector(file, &problems);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  policy->Clear();
  if (!parser.Parse(&input, policy)) {
    if (problems.empty()) {
      PolicyProblem p;
      p.file = std::string(file);
      p.message = "not a valid text-format pip.v1.Policy";
      problems.push_back(std::move(p));
    }
    return problems;
  }
  problems = Validate(*policy, nullptr, file);
  if (problems.empty()) return problems;
  google::protobuf::TextFormat::Parser locating;
  google::protobuf::TextFormat::ParseInfoTree locations;
  locating.WriteLocationsTo(&locations);
  google::protobuf::io::ArrayInputStream again(text.data(),
                                               static_cast<int>(text.size()));
  v1::Policy unused;
  if (locating.Parse(&again, &unused)) Relocate(locations, &problems);
  return problems;
}

absl::StatusOr<v1::Policy> LoadText(absl::string_view text,
                                    absl::string_view file) {
  v1::Policy policy;
  std::vector<PolicyProblem> problems =
      ParseAndValidateText(text, file, &policy);
  if (!problems.empty()) return ProblemsToStatus(problems);
  return policy;
}

absl::StatusOr<v1::Policy> LoadBinary(absl::string_view bytes) {
  if (bytes.size() > kMaxPolicyBytes) {
    return ProblemsToStatus({TooLarge("", bytes.size())});
  }
  v1::Policy policy;
  internal::ProtobufLogCapture protobuf_log;
  if (!policy.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    // Protobuf says why only in its log (a string that is not UTF-8).
    return absl::InvalidArgumentError(absl::StrCat(
        "policy bytes are not a valid serialized pip.v1.Policy (",
        protobuf_log.lines().empty() ? "truncated or corrupt"
                                     : protobuf_log.lines(),
        ")"));
  }
  std::vector<PolicyProblem> problems = Validate(policy, nullptr, "");
  if (!problems.empty()) return ProblemsToStatus(problems);
  return policy;
}

absl::StatusOr<std::string> ReadPolicyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open policy file '", path,
                                            "'"));
  }
  std::string bytes;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    bytes.append(buffer, static_cast<size_t>(in.gcount()));
    if (bytes.size() > kMaxPolicyBytes) {
      return ProblemsToStatus({TooLarge(path, bytes.size())});
    }
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("error reading '", path, "'"));
  }
  return bytes;
}

absl::StatusOr<v1::Policy> LoadBytes(absl::string_view bytes,
                                     absl::string_view file) {
  if (absl::EndsWith(file, ".binpb") || absl::EndsWith(file, ".pb")) {
    return LoadBinary(bytes);
  }
  return LoadText(bytes, file);
}

absl::StatusOr<v1::Policy> LoadFile(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadPolicyFile(path);
  if (!bytes.ok()) return bytes.status();
  return LoadBytes(*bytes, path);
}

}  // namespace policy_internal

std::string PolicyProblem::ToString() const {
  std::string out;
  if (!file.empty()) absl::StrAppend(&out, file, ":");
  if (line > 0) absl::StrAppend(&out, line, ":", column, ":");
  if (!out.empty()) out += " ";
  if (!field.empty()) absl::StrAppend(&out, field, ": ");
  absl::StrAppend(&out, message);
  if (!clause.empty()) absl::StrAppend(&out, " (clause ", clause, ")");
  return out;
}

std::string FormatProblems(const std::vector<PolicyProblem>& problems) {
  return absl::StrJoin(problems, "\n",
                       [](std::string* out, const PolicyProblem& p) {
                         out->append(p.ToString());
                       });
}

std::vector<PolicyProblem> ValidatePolicyText(absl::string_view text,
                                              absl::string_view file) {
  v1::Policy policy;
  return policy_internal::ParseAndValidateText(text, file, &policy);
}

std::vector<PolicyProblem> ValidatePolicy(const v1::Policy& policy) {
  return policy_internal::Validate(policy, nullptr, "");
}

}  // namespace pip
