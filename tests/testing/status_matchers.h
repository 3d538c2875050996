// gMock matchers of absl::Status and absl::StatusOr<T>, and the OK macros
// that Abseil 20220623 does not ship. Test-only.
//
//   EXPECT_THAT(engine.PurposeAllowed(r), IsOk());
//   EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
//   EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
//                           HasSubstr("categories[1]")));
//   EXPECT_OK(status);  ASSERT_OK(statusor);
//   ASSERT_OK_AND_ASSIGN(v1::PurposeAllowedDecision d, engine.PurposeAllowed(r));
//
// Both matchers take a Status or a StatusOr<T> alike (and protobuf's
// util::Status); a mismatch prints the status (code and message).
#ifndef PIP_TESTS_TESTING_STATUS_MATCHERS_H_
#define PIP_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/base/config.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/stubs/common.h"
#include "gtest/gtest.h"
#if GOOGLE_PROTOBUF_VERSION < 4022000
#include "google/protobuf/stubs/status.h"
#endif

namespace pip {
namespace testing {
namespace status_internal {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
#if GOOGLE_PROTOBUF_VERSION < 4022000
// Protobuf before 22 has a Status of its own (google::protobuf::util, as
// JsonStringToMessage returns it); its codes are absl's.
inline absl::Status GetStatus(const google::protobuf::util::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.code()),
                      std::string(status.message().data(),
                                  status.message().size()));
}
#endif

class IsOkMatcher {
 public:
  template <typename T>
  bool MatchAndExplain(const T& value,
                       ::testing::MatchResultListener* listener) const {
    const absl::Status& status = GetStatus(value);  // may be a temporary
    *listener << "which has status " << status;
    return status.ok();
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "is not OK"; }
};

class StatusIsMatcher {
 public:
  // `any_message`: the message matcher is `_`, which the description omits.
  StatusIsMatcher(absl::StatusCode code,
                  ::testing::Matcher<const std::string&> message,
                  bool any_message)
      : code_(code), message_(std::move(message)), any_message_(any_message) {}

  template <typename T>
  bool MatchAndExplain(const T& value,
                       ::testing::MatchResultListener* listener) const {
    const absl::Status& status = GetStatus(value);
    *listener << "which has status " << status;
    if (status.code() != code_) return false;
    const std::string message(status.message());
    ::testing::StringMatchResultListener inner;
    if (message_.MatchAndExplain(message, &inner)) return true;
    *listener << ", whose message does not match";
    if (!inner.str().empty()) *listener << " (" << inner.str() << ")";
    return false;
  }

  void DescribeTo(std::ostream* os) const {
    *os << "has status code " << code_;
    if (!any_message_) {
      *os << " and a message that ";
      message_.DescribeTo(os);
    }
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "does not have status code " << code_;
    if (!any_message_) {
      *os << ", or has a message that ";
      message_.DescribeNegationTo(os);
    }
  }

 private:
  absl::StatusCode code_;
  ::testing::Matcher<const std::string&> message_;
  bool any_message_;
};

}  // namespace status_internal

// Matches an OK absl::Status, or an absl::StatusOr<T> that holds a value.
inline ::testing::PolymorphicMatcher<status_internal::IsOkMatcher> IsOk() {
  return ::testing::MakePolymorphicMatcher(status_internal::IsOkMatcher());
}

// Matches a Status (or the status of a StatusOr<T>) of `code` whose message
// matches `message_matcher` (a gMock matcher of std::string, or a string the
// message must equal).
template <typename MessageMatcher>
::testing::PolymorphicMatcher<status_internal::StatusIsMatcher> StatusIs(
    absl::StatusCode code, MessageMatcher&& message_matcher) {
  return ::testing::MakePolymorphicMatcher(status_internal::StatusIsMatcher(
      code,
      ::testing::MatcherCast<const std::string&>(
          std::forward<MessageMatcher>(message_matcher)),
      /*any_message=*/false));
}

// Matches a Status (or the status of a StatusOr<T>) of `code`, whatever its
// message.
inline ::testing::PolymorphicMatcher<status_internal::StatusIsMatcher>
StatusIs(absl::StatusCode code) {
  return ::testing::MakePolymorphicMatcher(status_internal::StatusIsMatcher(
      code, ::testing::A<const std::string&>(), /*any_message=*/true));
}

}  // namespace testing
}  // namespace pip

#if defined(ABSL_LTS_RELEASE_VERSION) && ABSL_LTS_RELEASE_VERSION <= 20220623
namespace absl {
// How gTest prints a StatusOr<T> (later Abseil releases define it): its
// status, and its value when it has one. Without it a failed assertion on a
// StatusOr prints the object's bytes.
template <typename T>
void PrintTo(const StatusOr<T>& status_or, std::ostream* os) {
  if (status_or.ok()) {
    *os << "OK: " << ::testing::PrintToString(*status_or);
  } else {
    *os << status_or.status();
  }
}
}  // namespace absl
#endif

namespace pip {
namespace testing {

// The value of `status_or`, or a default T after failing the test (not
// fatally) with its status: for tests that go on reading a decision.
template <typename T>
T ValueOrFail(absl::StatusOr<T> status_or) {
  EXPECT_TRUE(status_or.ok()) << status_or.status();
  return status_or.ok() ? *std::move(status_or) : T();
}

}  // namespace testing
}  // namespace pip

#define PIP_TESTING_CONCAT_IMPL_(a, b) a##b
#define PIP_TESTING_CONCAT_(a, b) PIP_TESTING_CONCAT_IMPL_(a, b)

// Fails the test (EXPECT) or the test and returns (ASSERT) unless `expr`, a
// Status or StatusOr<T>, is OK; the failure prints the status.
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::pip::testing::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::pip::testing::IsOk())

// Evaluates `rexpr`, a StatusOr<T>; fails the test and returns unless it
// holds a value, which it then moves into `lhs` (a declaration, such as
// `auto d`, or an lvalue). Expands to more than one statement.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                   \
  PIP_TESTING_ASSERT_OK_AND_ASSIGN_IMPL_(                                  \
      PIP_TESTING_CONCAT_(pip_testing_status_or_, __LINE__), lhs, rexpr)
#define PIP_TESTING_ASSERT_OK_AND_ASSIGN_IMPL_(status_or, lhs, rexpr) \
  auto status_or = (rexpr);                                           \
  ASSERT_THAT(status_or.status(), ::pip::testing::IsOk());            \
  lhs = *std::move(status_or)

#endif  // PIP_TESTS_TESTING_STATUS_MATCHERS_H_
