# Turns a policy text file into a C++ source that defines
# pip::policy_internal::kDefaultPolicyText. Run with -DINPUT= -DOUTPUT=.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT}. Do not edit.\n"
"#include <cstddef>\n"
"namespace pip {\nnamespace policy_internal {\n"
"extern const unsigned char kDefaultPolicyText[];\nextern const std::size_t kDefaultPolicyTextSize;\n"
"const unsigned char kDefaultPolicyText[] = {\n${bytes}0x00};\n"
"const std::size_t kDefaultPolicyTextSize = ${size};\n"
"}  // namespace policy_internal\n}  // namespace pip\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
