#include "src/internal/message_checks.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"

namespace pip {
namespace internal {

std::string FirstUnknownField(const google::protobuf::Message& message,
                              const std::string& path) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  const google::protobuf::UnknownFieldSet& unknown =
      reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    return absl::StrCat(path, path.empty() ? "" : ".", "<field number ",
                        unknown.field(0).number(), ">");
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() !=
        google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    const std::string prefix =
        absl::StrCat(path, path.empty() ? "" : ".", field->name());
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        std::string found =
            FirstUnknownField(reflection->GetRepeatedMessage(message, field, i),
                              absl::StrCat(prefix, "[", i, "]"));
        if (!found.empty()) return found;
      }
    } else {
      std::string found =
          FirstUnknownField(reflection->GetMessage(message, field), prefix);
      if (!found.empty()) return found;
    }
  }
  return "";
}

std::string FirstInvalidUtf8Field(const google::protobuf::Message& message,
                                  const std::string& path) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    const std::string name =
        absl::StrCat(path, path.empty() ? "" : ".", field->name());
    const int n = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < n; ++i) {
      const std::string at =
          field->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
      if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (!google::protobuf::internal::IsStructurallyValidUTF8(
                value.data(), static_cast<int>(value.size()))) {
          return at;
        }
      } else if (field->cpp_type() ==
                 google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        std::string found = FirstInvalidUtf8Field(
            field->is_repeated() ? reflection->GetRepeatedMessage(message, field, i)
                                 : reflection->GetMessage(message, field),
            at);
        if (!found.empty()) return found;
      }
    }
  }
  return "";
}

}  // namespace internal
}  // namespace pip
