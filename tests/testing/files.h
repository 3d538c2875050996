// Files of the source tree, for the tests (which are compiled with
// PIP_SOURCE_DIR, tests/CMakeLists.txt). Test-only.
#ifndef PIP_TESTS_TESTING_FILES_H_
#define PIP_TESTS_TESTING_FILES_H_

#include <fstream>
#include <ios>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace pip {
namespace testing {

// `relative` (to the top of the source tree) as a path.
inline std::string SourcePath(absl::string_view relative) {
  return absl::StrCat(PIP_SOURCE_DIR, "/", relative);
}

// The bytes of the file at `path`; a test fails if it cannot be opened.
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_FILES_H_
