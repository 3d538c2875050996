#include "src/internal/message_checks.h"

#include <vector>

#include "absl/strings/str_cat.h"
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

std::string FirstInvalidUtf8Field(const Message& message,
                                  const std::string& path) {
  ReversePath found;
  const bool any = Walk(
      message, &found,
      [](const Message& m, const FieldDescriptor* field, int index,
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
        return !IsUtf8(value);
      });
  return any ? Join(path, found) : "";
}

}  // namespace internal
}  // namespace pip
