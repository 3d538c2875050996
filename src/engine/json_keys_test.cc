// Tests of CheckUniqueJsonKeys (src/engine/json_keys.h): a field given twice
// in one JSON object is refused naming the key and where it is (DESIGN.md
// principle 4: what the caller sent is evaluated exactly, or refused).
#include "src/engine/json_keys.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pip {
namespace engine_internal {
namespace {

using ::testing::HasSubstr;

void ExpectDuplicate(const std::string& json, const std::string& message) {
  const absl::Status s = CheckUniqueJsonKeys(json);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
  EXPECT_THAT(std::string(s.message()), HasSubstr(message)) << json;
}

TEST(JsonKeysTest, DistinctKeysAreAccepted) {
  EXPECT_TRUE(CheckUniqueJsonKeys(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]})").ok());
  // Keys in string values are not keys.
  EXPECT_TRUE(CheckUniqueJsonKeys(R"({"a": "\"a\": 1", "b": "{\"a\":"})").ok());
  EXPECT_TRUE(CheckUniqueJsonKeys(R"({"ab": 1, "a_b_": 2})").ok());
}

TEST(JsonKeysTest, DuplicateKeysAreNamedWithTheirPlace) {
  ExpectDuplicate(R"({"a": 1, "a": 2})", "duplicate key 'a'; a field may appear once");
  ExpectDuplicate(R"({"x": {"a": 1, "b": 2, "a": 3}})", "duplicate key 'a' in x");
  ExpectDuplicate(R"({"x": [{"a": 1}, {"a": 1, "a": 2}]})", "duplicate key 'a' in x[1]");
  ExpectDuplicate(R"({"x": [[{"a": 1}], [{}, {"a": 1, "a": 2}]]})",
                  "duplicate key 'a' in x[1][1]");
  ExpectDuplicate(R"({"a_b": 1, "aB": 2})", "duplicate key 'aB' (the same field as 'a_b')");
  ExpectDuplicate(R"({"a": 1, "\u0061": 2})", "duplicate key 'a'");
  ExpectDuplicate(R"({"\ud83d\ude00": 1, "😀": 2})", "duplicate key '😀'");
  ExpectDuplicate(R"({"a\"b": 1, "a\u0022b": 2})", "duplicate key 'a\"b'");
}

// The check never reads out of bounds or fails on text that is not JSON: it
// leaves such text to the parser.
TEST(JsonKeysTest, MalformedTextIsLeftToTheParser) {
  for (const char* text :
       {"", "{", "}", "]]]]", "{\"a", "{\"a\\", "{\"a\\u12", "{\"\\ud800\\u",
        "[[[[[[[[[[[[", "{\"a\":1,", "\"", "{,,,}", "{\"a\" \"a\"}"}) {
    EXPECT_TRUE(CheckUniqueJsonKeys(text).ok()) << text;
  }
  std::string deep(100000, '[');
  EXPECT_TRUE(CheckUniqueJsonKeys(deep).ok());
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
