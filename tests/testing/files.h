// Files of the source tree, for the tests (which are compiled with
// PIP_SOURCE_DIR, tests/CMakeLists.txt). Test-only.
#ifndef PIP_TESTS_TESTING_FILES_H_
#define PIP_TESTS_TESTING_FILES_H_

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ios>
#include <sstream>
#include <string>
#include <vector>

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

// The bytes of the file at `path`, or "" when it does not exist (a log file
// not written yet).
inline std::string ReadIfPresent(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A fresh directory named `prefix` plus a random suffix under $TMPDIR (or
// /tmp), removed when the test program ends.
inline std::string TempDir(absl::string_view prefix = "pip_test") {
  struct Dirs {
    std::vector<std::string> paths;
    ~Dirs() {
      for (const auto& p : paths) std::filesystem::remove_all(p);
    }
  };
  static Dirs dirs;
  const char* base = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(base != nullptr ? base : "/tmp", "/",
                                     prefix, "_XXXXXX");
  EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
  dirs.paths.push_back(pattern);
  return pattern;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_FILES_H_
