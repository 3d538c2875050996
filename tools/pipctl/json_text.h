// JSON text for the reports of `pipctl diff` and `pipctl test`.
#ifndef PIP_TOOLS_PIPCTL_JSON_TEXT_H_
#define PIP_TOOLS_PIPCTL_JSON_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace pipctl {

// Appends `s` as a JSON string: quoted, with '"', '\\' and the control
// characters escaped; other bytes (UTF-8 included) as they are.
void AppendJsonString(std::string* out, absl::string_view s);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_JSON_TEXT_H_
