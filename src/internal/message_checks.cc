#include "src/internal/message_checks.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"

namespace pip {
namespace internal {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Where a walk stopped, innermost first: filled only on the way out of a
// walk that found something, so a message that passes costs no string.
using ReversePath = std::vector<std::string>;

std::string Join(const std::string& prefix, const ReversePath& reverse) {
  std::string path = prefix;
  for (auto it = reverse.rbegin(); it != reverse.rend(); ++it) {
    if (!path.empty() && (*it)[0] != '[') path.push_back('.');
    path.append(*it);
  }
  return path;
}

// Calls `visit(message, field, index)` for every set field of `message`
// (index -1 for a singular field), then recurses into every message field.
// `visit` returns true when it found what the walk looks for, after pushing
// the last step of the path (or nothing, for the message itself); the walk
// then stops, pushing the steps that led there.
template <typename Visit>
bool Walk(const Message& message, ReversePath* path, Visit visit) {
  if (visit(message, nullptr, -1, path)) return true;
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool repeated = field->is_repeated();
    const int n = repeated ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < n; ++i) {
      const int index = repeated ? i : -1;
      bool found = visit(message, field, index, path);
      if (!found && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& sub =
            repeated ? reflection->GetRepeatedMessage(message, field, i)
                     : reflection->GetMessage(message, field);
        found = Walk(sub, path, visit);
      }
      if (found) {
        if (repeated) path->push_back(absl::StrCat("[", i, "]"));
        path->push_back(field->name());
        return true;
      }
    }
  }
  return false;
}

}  // namespace

std::string FirstUnknownField(const Message& message,
                              const std::string& path) {
  ReversePath found;
  const bool any = Walk(
      message, &found,
      [](const Message& m, const FieldDescriptor* field, int /*index*/,
         ReversePath* at) {
        if (field != nullptr) return false;
        const google::protobuf::UnknownFieldSet& unknown =
            m.GetReflection()->GetUnknownFields(m);
        if (unknown.empty()) return false;
        at->push_back(
            absl::StrCat("<field number ", unknown.field(0).number(), ">"));
        return true;
      });
  return any ? Join(path, found) : "";
}

namespace {

// The code point of the UTF-8 sequence at text[*i] (valid UTF-8), advancing
// *i past it.
uint32_t NextCodePoint(absl::string_view text, size_t* i) {
  const unsigned char lead = static_cast<unsigned char>(text[*i]);
  int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  uint32_t cp = length == 1   ? lead
                : length == 2 ? lead & 0x1F
                : length == 3 ? lead & 0x0F
                              : lead & 0x07;
  for (int k = 1; k < length && *i + k < text.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[*i + k]) & 0x3F);
  }
  *i += static_cast<size_t>(length);
  return cp;
}

// What is wrong with `value` as a string of a policy, or "".
std::string ScreenPolicyString(absl::string_view value, size_t max_bytes) {
  if (value.size() > max_bytes) {
    return absl::StrCat(value.size(), " bytes; the limit is ", max_bytes,
                        " (kMaxPolicyTextBytes)");
  }
  if (!IsUtf8(value)) return "not valid UTF-8";
  for (size_t i = 0; i < value.size();) {
    const size_t at = i;
    const uint32_t cp = NextCodePoint(value, &i);
    const bool control = (cp < 0x20 && cp != '\t' && cp != '\n') ||
                         (cp >= 0x7F && cp <= 0x9F);
    const bool bidi = cp == 0x061C || cp == 0x200E || cp == 0x200F ||
                      (cp >= 0x202A && cp <= 0x202E) ||
                      (cp >= 0x2066 && cp <= 0x2069);
    if (control || bidi) {
      return absl::StrFormat("%s (U+%04X) at byte %u",
                             control ? "a control character"
                                     : "a bidirectional formatting character",
                             cp, at);
    }
  }
  return "";
}

}  // namespace

std::string FirstUnscreenedString(const Message& message, size_t max_bytes,
                                  std::string* problem) {
  ReversePath found;
  const bool any = Walk(
      message, &found,
      [&](const Message& m, const FieldDescriptor* field, int index,
          ReversePath* /*at*/) {
        if (field == nullptr ||
            field->type() != FieldDescriptor::TYPE_STRING) {
          return false;
        }
        std::string scratch;
        const Reflection* r = m.GetReflection();
        const std::string& value =
            index >= 0
                ? r->GetRepeatedStringReference(m, field, index, &scratch)
                : r->GetStringReference(m, field, &scratch);
        *problem = ScreenPolicyString(value, max_bytes);
        return !problem->empty();
      });
  return any ? Join("", found) : "";
}

std::string FirstOversizedList(const Message& message, int limit, int* size) {
  ReversePath found;
  const bool any = Walk(
      message, &found,
      [&](const Message& m, const FieldDescriptor* field, int index,
          ReversePath* /*at*/) {
        // Each list once, at its first entry.
        if (field == nullptr || !field->is_repeated() || index != 0) {
          return false;
        }
        *size = m.GetReflection()->FieldSize(m, field);
        return *size > limit;
      });
  if (!any) return "";
  // The walk names the first entry ("rules[0]"); the list is what is too
  // long.
  std::string path = Join("", found);
  const size_t bracket = path.rfind('[');
  if (bracket != std::string::npos) path.erase(bracket);
  return path;
}

}  // namespace internal
}  // namespace pip
