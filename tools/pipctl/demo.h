// `pipctl demo`: a handful of real-looking decisions on the embedded policy.
#ifndef PIP_TOOLS_PIPCTL_DEMO_H_
#define PIP_TOOLS_PIPCTL_DEMO_H_

#include <ostream>

namespace pipctl {

// Prints each scenario, its request and the decision explained. Returns the
// process exit code: 0, or 1 if the embedded policy or a request failed.
int RunDemo(std::ostream& out);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_DEMO_H_
