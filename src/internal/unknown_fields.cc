#include "src/internal/unknown_fields.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
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

}  // namespace internal
}  // namespace pip
