// The policy's id sets: the bitset of pip/handles.h, under the name
// the compiler and evaluators use.
#ifndef PIP_SRC_POLICY_ID_SET_H_
#define PIP_SRC_POLICY_ID_SET_H_

#include "pip/handles.h"

namespace pip {
namespace policy_internal {

using id_set_internal::IdSet;
using id_set_internal::kMaxIdsPerKind;

}  // namespace policy_internal
}  // namespace pip

#endif  // PIP_SRC_POLICY_ID_SET_H_
