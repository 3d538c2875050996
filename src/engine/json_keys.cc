#include "src/engine/json_keys.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pip {
namespace engine_internal {
namespace {

// One open object or array. Its place is kept as a key or index, and the
// path is only spelled out for an error, so deep nesting stays linear.
struct Frame {
  bool object = false;
  // The key that holds this frame in its parent object, if any.
  std::string key;
  // Object: keys seen so far, as written and as the field they name.
  std::vector<std::pair<std::string, std::string>> keys;
  bool expect_key = true;
  // Array: index of the current element.
  int index = 0;
};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Reads four hex digits at json[i..i+4); false if they are not there.
bool Hex4(absl::string_view json, size_t i, uint32_t* cp) {
  if (i + 4 > json.size()) return false;
  *cp = 0;
  for (size_t k = i; k < i + 4; ++k) {
    const char c = json[k];
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
    *cp = *cp * 16 + static_cast<uint32_t>(
                         absl::ascii_isdigit(static_cast<unsigned char>(c))
                             ? c - '0'
                             : absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10);
  }
  return true;
}

// Reads the string starting at the quote json[*i], unescaped, and leaves *i
// past its closing quote (or at the end of an unterminated string).
std::string ReadString(absl::string_view json, size_t* i) {
  std::string out;
  size_t k = *i + 1;
  while (k < json.size() && json[k] != '"') {
    if (json[k] != '\\' || k + 1 >= json.size()) {
      out.push_back(json[k++]);
      continue;
    }
    const char e = json[k + 1];
    k += 2;
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp;
        if (!Hex4(json, k, &cp)) break;
        k += 4;
        uint32_t low;
        if (cp >= 0xD800 && cp < 0xDC00 && k + 1 < json.size() &&
            json[k] == '\\' && json[k + 1] == 'u' && Hex4(json, k + 2, &low) &&
            low >= 0xDC00 && low < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          k += 6;
        }
        AppendUtf8(cp, &out);
        break;
      }
      default: out.push_back(e); break;
    }
  }
  *i = k < json.size() ? k + 1 : k;
  return out;
}

// The field a key names: the JSON parser takes a field's proto name
// ("subject_id") and its lowerCamel JSON name ("subjectId") alike.
std::string FieldOf(absl::string_view key) {
  std::string out;
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c);
    upper = false;
  }
  return out;
}

// "consent_check.consents[1]": where the innermost frame sits.
std::string PathOf(const std::vector<Frame>& stack) {
  std::string path;
  for (size_t i = 1; i < stack.size(); ++i) {
    if (stack[i - 1].object) {
      absl::StrAppend(&path, path.empty() ? "" : ".", stack[i].key);
    } else {
      absl::StrAppend(&path, "[", stack[i - 1].index, "]");
    }
  }
  return path;
}

}  // namespace

absl::Status CheckUniqueJsonKeys(absl::string_view json) {
  std::vector<Frame> stack;
  std::string last_key;
  size_t i = 0;
  while (i < json.size()) {
    const char c = json[i];
    Frame* top = stack.empty() ? nullptr : &stack.back();
    switch (c) {
      case '"': {
        std::string s = ReadString(json, &i);
        if (top == nullptr || !top->object || !top->expect_key) continue;
        top->expect_key = false;
        std::string field = FieldOf(s);
        for (const auto& [written, seen] : top->keys) {
          if (seen != field) continue;
          const std::string path = PathOf(stack);
          const std::string where =
              path.empty() ? "" : absl::StrCat(" in ", path);
          return absl::InvalidArgumentError(absl::StrCat(
              "invalid JSON request: duplicate key '", s, "'", where,
              written == s ? ""
                           : absl::StrCat(" (the same field as '", written, "')"),
              "; a field may appear once"));
        }
        top->keys.emplace_back(s, std::move(field));
        last_key = std::move(s);
        continue;
      }
      case '{':
      case '[': {
        Frame f;
        f.object = c == '{';
        if (top != nullptr && top->object) f.key = last_key;
        stack.push_back(std::move(f));
        break;
      }
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      case ',':
        if (top != nullptr) {
          if (top->object) {
            top->expect_key = true;
          } else {
            ++top->index;
          }
        }
        break;
      default:
        break;
    }
    ++i;
  }
  return absl::OkStatus();
}

}  // namespace engine_internal
}  // namespace pip
