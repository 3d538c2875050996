// Requests in the JSON contract of DESIGN.md, written as text by the tests
// of the evaluators. Test-only.
#ifndef PIP_TESTS_TESTING_JSON_REQUESTS_H_
#define PIP_TESTS_TESTING_JSON_REQUESTS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace testing {

// `s` in double quotes (no escaping: the tests' ids and times need none).
inline std::string Quoted(absl::string_view s) {
  return absl::StrCat("\"", s, "\"");
}

// A JSON array of the quoted `ids`.
inline std::string IdList(const std::vector<std::string>& ids) {
  return absl::StrCat(
      "[",
      absl::StrJoin(ids, ", ",
                    [](std::string* out, const std::string& id) {
                      absl::StrAppend(out, Quoted(id));
                    }),
      "]");
}

// One consent record, as JSON. The defaults are those of the contract
// example: k-9 of c-1, location, any purpose, internal use, granted
// 2025-04-01 10:00 JST, version 1.
struct ConsentSpec {
  std::string id = "k-9";
  std::string subject_id = "c-1";
  std::vector<std::string> categories = {"location"};
  std::vector<std::string> purposes = {};
  std::vector<std::string> recipients = {};
  std::string granted_at = "2025-04-01T10:00:00+09:00";  // empty: absent
  std::string withdrawn_at;                              // empty: null
  std::string expires_at;                                // empty: null
  int consent_version = 1;

  std::string Json() const {
    std::string j = absl::StrCat(
        "{\"id\": ", Quoted(id), ", \"subject_id\": ", Quoted(subject_id),
        ", \"categories\": ", IdList(categories),
        ", \"purposes\": ", IdList(purposes),
        ", \"recipients\": ", IdList(recipients));
    if (!granted_at.empty()) {
      absl::StrAppend(&j, ", \"granted_at\": ", Quoted(granted_at));
    }
    absl::StrAppend(&j, ", \"withdrawn_at\": ",
                    withdrawn_at.empty() ? "null" : Quoted(withdrawn_at));
    absl::StrAppend(&j, ", \"expires_at\": ",
                    expires_at.empty() ? "null" : Quoted(expires_at));
    absl::StrAppend(&j, ", \"consent_version\": ", consent_version, "}");
    return j;
  }
};

// A request of type `Request` parsed from `json` as the JSON contract reads
// it (proto field names; an unknown field is an error); a test fails on
// text that does not parse.
template <typename Request>
Request ParseJson(const std::string& json) {
  Request request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  EXPECT_OK(google::protobuf::util::JsonStringToMessage(json, &request,
                                                        options))
      << "\n" << json;
  return request;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_JSON_REQUESTS_H_
