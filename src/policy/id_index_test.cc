// IdIndex finds every id it holds and nothing else, whatever the id's length:
// ids up to 16 bytes are told apart by their head and tail words and length,
// longer ones by their bytes.
#include "src/policy/id_index.h"

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace pip {
namespace policy_internal {
namespace {

TEST(IdIndexTest, EmptyIndexFindsNothing) {
  const IdIndex index;
  EXPECT_EQ(index.size(), 0);
  EXPECT_EQ(index.Find(""), -1);
  EXPECT_EQ(index.Find("email"), -1);
}

TEST(IdIndexTest, FindsEachIdAtItsPosition) {
  const std::vector<std::string> storage = {
      "name", "email", "mobile_phone", "location", "health", "a", "ab",
      "abc", "family_structure", "overseas_third_party", "2.1", "2.10"};
  const IdIndex index(
      std::vector<absl::string_view>(storage.begin(), storage.end()));
  ASSERT_EQ(index.size(), static_cast<int>(storage.size()));
  for (size_t i = 0; i < storage.size(); ++i) {
    EXPECT_EQ(index.Find(storage[i]), static_cast<int>(i)) << storage[i];
    EXPECT_EQ(index.ids()[i], storage[i]);
  }
}

// Every length from 0 to 40 bytes, against near misses: one byte changed at
// each position, one byte longer or shorter.
TEST(IdIndexTest, NearMissesOfEveryLengthAreNotFound) {
  std::vector<std::string> storage;
  for (int n = 1; n <= 40; ++n) {
    std::string id;
    for (int j = 0; j < n; ++j) id.push_back(static_cast<char>('a' + j % 26));
    storage.push_back(id);
  }
  const IdIndex index(
      std::vector<absl::string_view>(storage.begin(), storage.end()));
  EXPECT_EQ(index.Find(""), -1);
  for (size_t i = 0; i < storage.size(); ++i) {
    const std::string& id = storage[i];
    EXPECT_EQ(index.Find(id), static_cast<int>(i));
    for (size_t j = 0; j < id.size(); ++j) {
      std::string miss = id;
      miss[j] = 'Z';
      EXPECT_EQ(index.Find(miss), -1) << miss;
    }
    EXPECT_EQ(index.Find(id + "Z"), -1);
    // A prefix of `id` is the id one shorter: found at its own position.
    EXPECT_EQ(index.Find(absl::string_view(id).substr(0, id.size() - 1)),
              static_cast<int>(i) - 1);
  }
}

// An id taken from a longer buffer is compared by its own bytes only.
TEST(IdIndexTest, IdsInsideLongerTextAreFound) {
  const std::vector<std::string> storage = {"email", "mobile_phone"};
  const IdIndex index(
      std::vector<absl::string_view>(storage.begin(), storage.end()));
  const std::string text = "xemailmobile_phonex";
  EXPECT_EQ(index.Find(absl::string_view(text).substr(1, 5)), 0);
  EXPECT_EQ(index.Find(absl::string_view(text).substr(6, 12)), 1);
  EXPECT_EQ(index.Find(absl::string_view(text).substr(0, 5)), -1);
}

}  // namespace
}  // namespace policy_internal
}  // namespace pip
