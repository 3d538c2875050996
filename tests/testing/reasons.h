// Reading the findings of a decision in tests. Test-only.
#ifndef PIP_TESTS_TESTING_REASONS_H_
#define PIP_TESTS_TESTING_REASONS_H_

#include <vector>

#include "google/protobuf/repeated_field.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace testing {

// The codes of `reasons`, in order.
inline std::vector<v1::ReasonCode> Codes(
    const google::protobuf::RepeatedPtrField<v1::Reason>& reasons) {
  std::vector<v1::ReasonCode> codes;
  for (const v1::Reason& r : reasons) codes.push_back(r.code());
  return codes;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_REASONS_H_
