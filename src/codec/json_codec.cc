#include "src/codec/json_codec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/limits.h"
#include "src/eval/civil_period.h"
#include "src/internal/contract_name.h"

namespace pip {
namespace engine_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The range of google.protobuf.Timestamp: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;
constexpr int32_t kMaxNanos = 999999999;

// What a quoted key or value in an error message may show of the input.
constexpr size_t kMaxQuotedBytes = 64;

bool IsTimestamp(const Descriptor* descriptor) {
  return descriptor == google::protobuf::Timestamp::descriptor();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Byte classes, looked up once a byte on the hot loops of strings.
struct ByteTable {
  uint8_t of[256];
};

// Reading: 1 for a byte that stands for itself inside a JSON string (ASCII
// past the control characters, but the quote and the backslash).
constexpr ByteTable MakeStringPlain() {
  ByteTable t{};
  for (int c = 0x20; c < 0x80; ++c) {
    t.of[c] = c != '"' && c != '\\';
  }
  return t;
}
constexpr ByteTable kStringPlain = MakeStringPlain();

// Printing, as protobuf escapes: 0 a byte printed as it is; 1 an ASCII byte
// printed escaped; 2 the first byte of a sequence whose code point may be
// escaped (EscapedAboveAscii); 3 any other byte of a multibyte sequence.
constexpr ByteTable MakePrintClass() {
  ByteTable t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' ||
        c == 0x7F) {
      t.of[c] = 1;
    } else if (c < 0x80) {
      t.of[c] = 0;
    } else if (c == 0xC2 || c == 0xD8 || c == 0xDB || c == 0xDC ||
               c == 0xE1 || c == 0xE2 || c == 0xEF || c == 0xF0 || c == 0xF3) {
      t.of[c] = 2;
    } else {
      t.of[c] = 3;
    }
  }
  return t;
}
constexpr ByteTable kPrintClass = MakePrintClass();

// The length of the well-formed UTF-8 sequence at p (shortest form, no
// surrogates, at most U+10FFFF), or 0.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline size_t Utf8Length(const char* p,
                                                      const char* end) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(p[i]); };
  const auto in = [](unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
  };
  const unsigned char c = b(0);
  const size_t left = static_cast<size_t>(end - p);
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return left >= 2 && in(b(1), 0x80, 0xBF) ? 2 : 0;
  if (c < 0xF0) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return left >= 3 && in(b(1), lo, hi) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  }
  if (c < 0xF5) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return left >= 4 && in(b(1), lo, hi) && in(b(2), 0x80, 0xBF) &&
                   in(b(3), 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

// The code point of the well-formed sequence of `len` bytes at p.
uint32_t DecodeUtf8(const char* p, size_t len) {
  const auto b = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(p[i]));
  };
  switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) |
             ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

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

// 'text' for an error message: at most kMaxQuotedBytes, cut on a character
// boundary. `text` is valid UTF-8 (a decoded key or value).
std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return absl::StrCat("'", text, "'");
  size_t cut = kMaxQuotedBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat("'", text.substr(0, cut), "...'");
}

// Reads `digits` decimal digits at text[*i] within [lo, hi].
bool ReadFixed(absl::string_view text, size_t* i, int digits, int lo, int hi,
               int* value) {
  if (*i + static_cast<size_t>(digits) > text.size()) return false;
  int v = 0;
  for (int k = 0; k < digits; ++k) {
    const char c = text[*i + static_cast<size_t>(k)];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *i += static_cast<size_t>(digits);
  *value = v;
  return v >= lo && v <= hi;
}

bool Expect(absl::string_view text, size_t* i, char c) {
  if (*i >= text.size() || text[*i] != c) return false;
  ++*i;
  return true;
}

// RFC 3339 as protobuf's JSON parser reads a Timestamp:
// YYYY-MM-DDTHH:MM:SS[.d{1,9}](Z|+HH:MM|-HH:MM), upper-case T and Z, a real
// calendar day, no leap second, and the instant within the Timestamp range.
bool ParseRfc3339(absl::string_view text, int64_t* seconds, int32_t* nanos) {
  size_t i = 0;
  int year, month, day, hour, minute, second;
  if (!ReadFixed(text, &i, 4, 1, 9999, &year) || !Expect(text, &i, '-') ||
      !ReadFixed(text, &i, 2, 1, 12, &month) || !Expect(text, &i, '-') ||
      !ReadFixed(text, &i, 2, 1, 31, &day) || !Expect(text, &i, 'T') ||
      !ReadFixed(text, &i, 2, 0, 23, &hour) || !Expect(text, &i, ':') ||
      !ReadFixed(text, &i, 2, 0, 59, &minute) || !Expect(text, &i, ':') ||
      !ReadFixed(text, &i, 2, 0, 59, &second)) {
    return false;
  }
  int32_t n = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    while (i < text.size() && IsDigit(text[i])) {
      if (++digits > 9) return false;
      n = n * 10 + (text[i++] - '0');
    }
    if (digits == 0) return false;
    for (int k = digits; k < 9; ++k) n *= 10;
  }
  int64_t offset = 0;
  if (i < text.size() && text[i] == 'Z') {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int64_t sign = text[i] == '+' ? 1 : -1;
    ++i;
    int oh, om;
    if (!ReadFixed(text, &i, 2, 0, 23, &oh) || !Expect(text, &i, ':') ||
        !ReadFixed(text, &i, 2, 0, 59, &om)) {
      return false;
    }
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return false;
  }
  if (i != text.size()) return false;
  if (day > eval_internal::DaysInMonth(year, month)) return false;  // Feb 30
  const int64_t s =
      eval_internal::DaysSinceUnixEpoch(
          eval_internal::YearMonthDay{year, month, day}) *
          eval_internal::kSecondsPerDay +
      hour * 3600 + minute * 60 + second - offset;
  if (s < kMinTimestampSeconds || s > kMaxTimestampSeconds) return false;
  *seconds = s;
  *nanos = n;
  return true;
}

// A JSON number token: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
struct Number {
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;  // magnitude does not fit in 64 bits
  bool integral = true;   // no fraction, no exponent
};

// Scans a number at *p (at most up to end); false if it is not one.
bool ScanNumber(const char** p, const char* end, Number* number) {
  const char* q = *p;
  if (q < end && *q == '-') {
    number->negative = true;
    ++q;
  }
  if (q == end || !IsDigit(*q)) return false;
  if (*q == '0') {
    ++q;
    if (q < end && IsDigit(*q)) return false;  // a leading zero
  } else {
    while (q < end && IsDigit(*q)) {
      const uint64_t d = static_cast<uint64_t>(*q - '0');
      if (number->magnitude >
          (std::numeric_limits<uint64_t>::max() - d) / 10) {
        number->overflow = true;
      } else {
        number->magnitude = number->magnitude * 10 + d;
      }
      ++q;
    }
  }
  if (q < end && *q == '.') {
    number->integral = false;
    ++q;
    if (q == end || !IsDigit(*q)) return false;
    while (q < end && IsDigit(*q)) ++q;
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    number->integral = false;
    ++q;
    if (q < end && (*q == '+' || *q == '-')) ++q;
    if (q == end || !IsDigit(*q)) return false;
    while (q < end && IsDigit(*q)) ++q;
  }
  *p = q;
  return true;
}

// Whether the integer of `number` fits `field`'s type.
bool InRange(const Number& number, FieldDescriptor::CppType type) {
  if (number.overflow) return false;
  const uint64_t m = number.magnitude;
  switch (type) {
    case FieldDescriptor::CPPTYPE_INT32:
      return number.negative ? m <= uint64_t{1} << 31 : m < uint64_t{1} << 31;
    case FieldDescriptor::CPPTYPE_INT64:
      return number.negative ? m <= uint64_t{1} << 63 : m < uint64_t{1} << 63;
    case FieldDescriptor::CPPTYPE_UINT32:
      return !number.negative || m == 0 ? m <= 0xFFFFFFFFu : false;
    default:  // CPPTYPE_UINT64
      return !number.negative || m == 0;
  }
}

// Where the parser puts what it reads: a protobuf message, through
// reflection (MessageTarget), or the message's serialized bytes
// (WireTarget), which pip's wire reader then reads without a message ever
// being built. The parser checks the input the same way for both; a target
// only stores values. An Object is where one JSON object's fields go.
class MessageTarget {
 public:
  using Object = Message*;

  static const Descriptor* DescriptorOf(Object object) {
    return object->GetDescriptor();
  }
  // `text` views the input or `*scratch`, which may be taken.
  static void String(Object m, const FieldDescriptor* f, bool repeated,
                     absl::string_view text, std::string* scratch) {
    std::string value =
        text.data() == scratch->data() ? std::move(*scratch) : std::string(text);
    const Reflection* r = m->GetReflection();
    if (repeated) {
      r->AddString(m, f, std::move(value));
    } else {
      r->SetString(m, f, std::move(value));
    }
  }
  static void Bool(Object m, const FieldDescriptor* f, bool repeated, bool v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
  }
  static void Int32(Object m, const FieldDescriptor* f, bool repeated,
                    int32_t v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddInt32(m, f, v) : r->SetInt32(m, f, v);
  }
  static void Int64(Object m, const FieldDescriptor* f, bool repeated,
                    int64_t v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
  }
  static void UInt32(Object m, const FieldDescriptor* f, bool repeated,
                     uint32_t v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddUInt32(m, f, v) : r->SetUInt32(m, f, v);
  }
  static void UInt64(Object m, const FieldDescriptor* f, bool repeated,
                     uint64_t v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
  }
  static void Enum(Object m, const FieldDescriptor* f, bool repeated,
                   int v) {
    const Reflection* r = m->GetReflection();
    repeated ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
  }
  static void Timestamp(Object m, const FieldDescriptor* f, bool repeated,
                        int64_t seconds, int32_t nanos) {
    Message* sub = Child(m, f, repeated);
    // pip's messages are generated classes; reflection serves any other.
    if (auto* ts = google::protobuf::DynamicCastToGenerated<
            google::protobuf::Timestamp>(sub)) {
      ts->set_seconds(seconds);
      ts->set_nanos(nanos);
      return;
    }
    const Descriptor* type = sub->GetDescriptor();
    const Reflection* r = sub->GetReflection();
    r->SetInt64(sub, type->field(0), seconds);
    r->SetInt32(sub, type->field(1), nanos);
  }
  // The object of a message field's value, and the end of its object.
  static Object Child(Object m, const FieldDescriptor* f, bool repeated) {
    const Reflection* r = m->GetReflection();
    return repeated ? r->AddMessage(m, f) : r->MutableMessage(m, f);
  }
  static void EndChild(Object, Object) {}
};

// Appends the message as protobuf serializes it, but for the order of its
// fields (the order of the JSON) and repeated scalars (one tag a value, not
// packed): both forms protobuf's parser and pip's wire reader read to the
// same values. A singular field without presence is left out when it holds
// its default value, as protobuf leaves it out.
class WireTarget {
 public:
  // The message's descriptor; its bytes go to the end of `out_`.
  struct Object {
    const Descriptor* descriptor;
    // Where the message's bytes start in out_ (after its tag).
    size_t start;
  };

  explicit WireTarget(std::string* out) : out_(out) {}

  static const Descriptor* DescriptorOf(const Object& object) {
    return object.descriptor;
  }
  void String(const Object&, const FieldDescriptor* f, bool repeated,
              absl::string_view text, std::string*) {
    if (!repeated && text.empty() && !f->has_presence()) return;
    Tag(f, kLengthDelimited);
    Varint(text.size());
    out_->append(text.data(), text.size());
  }
  void Bool(const Object&, const FieldDescriptor* f, bool repeated, bool v) {
    VarintField(f, repeated, v ? 1 : 0);
  }
  void Int32(const Object&, const FieldDescriptor* f, bool repeated,
             int32_t v) {
    // Sign-extended, as protobuf writes a negative int32.
    VarintField(f, repeated, static_cast<uint64_t>(static_cast<int64_t>(v)));
  }
  void Int64(const Object&, const FieldDescriptor* f, bool repeated,
             int64_t v) {
    VarintField(f, repeated, static_cast<uint64_t>(v));
  }
  void UInt32(const Object&, const FieldDescriptor* f, bool repeated,
              uint32_t v) {
    VarintField(f, repeated, v);
  }
  void UInt64(const Object&, const FieldDescriptor* f, bool repeated,
              uint64_t v) {
    VarintField(f, repeated, v);
  }
  void Enum(const Object& o, const FieldDescriptor* f, bool repeated, int v) {
    Int32(o, f, repeated, v);
  }
  // google.protobuf.Timestamp: seconds = 1, nanos = 2.
  void Timestamp(const Object& o, const FieldDescriptor* f, bool repeated,
                 int64_t seconds, int32_t nanos) {
    const Object ts = Child(o, f, repeated);
    if (seconds != 0) {
      Tag(1, kVarint);
      Varint(static_cast<uint64_t>(seconds));
    }
    if (nanos != 0) {
      Tag(2, kVarint);
      Varint(static_cast<uint64_t>(static_cast<int64_t>(nanos)));
    }
    EndChild(o, ts);
  }
  // Writes the field's tag; the message's length is put before its bytes
  // when it ends.
  Object Child(const Object&, const FieldDescriptor* f, bool) {
    Tag(f, kLengthDelimited);
    return Object{f->message_type(), out_->size()};
  }
  void EndChild(const Object&, const Object& child) {
    uint8_t length[10];
    const size_t n = EncodeVarint(out_->size() - child.start, length);
    out_->insert(child.start, reinterpret_cast<const char*>(length), n);
  }

 private:
  static constexpr uint32_t kVarint = 0;
  static constexpr uint32_t kLengthDelimited = 2;

  static size_t EncodeVarint(uint64_t v, uint8_t* p) {
    size_t n = 0;
    while (v >= 0x80) {
      p[n++] = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    p[n++] = static_cast<uint8_t>(v);
    return n;
  }
  void Varint(uint64_t v) {
    uint8_t bytes[10];
    out_->append(reinterpret_cast<const char*>(bytes), EncodeVarint(v, bytes));
  }
  void Tag(uint32_t number, uint32_t wire_type) {
    Varint((uint64_t{number} << 3) | wire_type);
  }
  void Tag(const FieldDescriptor* f, uint32_t wire_type) {
    Tag(static_cast<uint32_t>(f->number()), wire_type);
  }
  void VarintField(const FieldDescriptor* f, bool repeated, uint64_t v) {
    if (!repeated && v == 0 && !f->has_presence()) return;
    Tag(f, kVarint);
    Varint(v);
  }

  std::string* const out_;
};

template <typename Target>
class Parser {
 public:
  using Object = typename Target::Object;

  Parser(absl::string_view json, Target target)
      : begin_(json.data()),
        p_(json.data()),
        end_(json.data() + json.size()),
        target_(std::move(target)) {}

  absl::Status Parse(const Object& message) {
    SkipSpace();
    if (p_ == end_) {
      Fail("the request is empty; expected a JSON object");
    } else if (*p_ != '{') {
      FailType("a JSON object");
    } else if (ParseObject(message, 1)) {
      SkipSpace();
      if (p_ == end_) return absl::OkStatus();
      FailSyntax("the end of the input after the JSON object");
    }
    return absl::InvalidArgumentError(ErrorMessage());
  }

 private:
  void SkipSpace() {
    while (p_ < end_ &&
           (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) {
      ++p_;
    }
  }

  size_t Offset() const { return static_cast<size_t>(p_ - begin_); }

  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  // What is at p_, for "expected X, got Y".
  std::string Found() const {
    if (p_ == end_) return "the end of the input";
    const absl::string_view rest(p_, static_cast<size_t>(end_ - p_));
    switch (*p_) {
      case '"': return "a string";
      case '{': return "an object";
      case '[': return "an array";
      default: break;
    }
    if (absl::StartsWith(rest, "true") || absl::StartsWith(rest, "false")) {
      return "a boolean";
    }
    if (absl::StartsWith(rest, "null")) return "null";
    if (*p_ == '-' || IsDigit(*p_)) return "a number";
    const unsigned char c = static_cast<unsigned char>(*p_);
    if (c > 0x20 && c < 0x7F) return absl::StrCat("'", absl::string_view(p_, 1), "'");
    return absl::StrCat("byte 0x", absl::Hex(c, absl::kZeroPad2));
  }

  bool FailType(absl::string_view expected) {
    return Fail(absl::StrCat("expected ", expected, ", got ", Found()));
  }

  bool FailSyntax(absl::string_view expected) {
    return Fail(absl::StrCat("expected ", expected, ", got ", Found(),
                             " at byte ", Offset()));
  }

  // Reads `word` (true, false, null) at p_.
  bool Literal(absl::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        absl::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // Reads the string at p_ (a '"'). *out views the input when the string
  // has no escape, else `scratch`.
  bool ReadString(std::string* scratch, absl::string_view* out) {
    ++p_;
    const char* run = p_;
    bool copied = false;
    while (true) {
      while (p_ < end_ && kStringPlain.of[static_cast<unsigned char>(*p_)]) {
        ++p_;
      }
      if (p_ == end_) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        if (copied) {
          scratch->append(run, p_);
          *out = *scratch;
        } else {
          *out = absl::string_view(run, static_cast<size_t>(p_ - run));
        }
        ++p_;
        return true;
      }
      if (c >= 0x80) {
        const size_t len = Utf8Length(p_, end_);
        if (len == 0) {
          return Fail(absl::StrCat("a string is not valid UTF-8 at byte ",
                                   Offset()));
        }
        p_ += len;
        continue;
      }
      if (c < 0x20) {
        return Fail(absl::StrCat("control character 0x",
                                 absl::Hex(c, absl::kZeroPad2),
                                 " in a string must be escaped, at byte ",
                                 Offset()));
      }
      if (!copied) {
        scratch->clear();
        copied = true;
      }
      scratch->append(run, p_);
      if (!ReadEscape(scratch)) return false;
      run = p_;
    }
  }

  bool ReadHex4(uint32_t* value) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = p_[k];
      uint32_t d;
      if (IsDigit(c)) {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      v = v * 16 + d;
    }
    p_ += 4;
    *value = v;
    return true;
  }

  // Reads the escape at p_ (a backslash) into `out`.
  bool ReadEscape(std::string* out) {
    const size_t at = Offset();
    ++p_;
    if (p_ == end_) return Fail("unterminated string");
    const char e = *p_++;
    switch (e) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': break;
      default:
        return Fail(absl::StrCat("invalid escape in a string at byte ", at));
    }
    uint32_t cp;
    if (!ReadHex4(&cp)) {
      return Fail(absl::StrCat("invalid \\u escape at byte ", at));
    }
    if (cp >= 0xDC00 && cp < 0xE000) {
      return Fail(absl::StrCat("unpaired surrogate \\u escape at byte ", at));
    }
    if (cp >= 0xD800 && cp < 0xDC00) {
      uint32_t low;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u' ||
          (p_ += 2, !ReadHex4(&low)) || low < 0xDC00 || low >= 0xE000) {
        return Fail(
            absl::StrCat("unpaired surrogate \\u escape at byte ", at));
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  static const FieldDescriptor* FindField(const Descriptor* descriptor,
                                          absl::string_view key,
                                          bool* by_json_name) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (field->name() == key) {
        *by_json_name = false;
        return field;
      }
      if (field->json_name() == key) {
        *by_json_name = true;
        return field;
      }
    }
    return nullptr;
  }

  bool CheckDepth(int depth) {
    if (depth <= kMaxJsonDepth) return true;
    return Fail(absl::StrCat("objects and arrays nest more than ",
                             kMaxJsonDepth, " deep (kMaxJsonDepth)"));
  }

  // Reads the object at p_ (a '{') into `message`.
  bool ParseObject(const Object& message, int depth) {
    if (!CheckDepth(depth)) return false;
    ++p_;
    const Descriptor* descriptor = Target::DescriptorOf(message);
    // Per field: 0 not seen, 1 seen by its proto name, 2 by its JSON name.
    absl::InlinedVector<uint8_t, 32> seen(
        static_cast<size_t>(descriptor->field_count()), 0);
    // Per oneof: the member given a value (not null), if any.
    absl::InlinedVector<const FieldDescriptor*, 2> given(
        static_cast<size_t>(descriptor->oneof_decl_count()), nullptr);
    SkipSpace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string scratch;
    while (true) {
      SkipSpace();
      if (p_ == end_ || *p_ != '"') return FailSyntax("a key (a string)");
      absl::string_view key;
      if (!ReadString(&scratch, &key)) return false;
      bool by_json_name = false;
      const FieldDescriptor* field = FindField(descriptor, key, &by_json_name);
      if (field == nullptr) return Fail(absl::StrCat("unknown field ", Quote(key)));
      uint8_t& mark = seen[static_cast<size_t>(field->index())];
      if (mark != 0) {
        duplicate_ = true;
        const std::string& first =
            mark == 2 ? field->json_name() : field->name();
        duplicate_key_ = std::string(key);
        error_ = first == key ? "" : absl::StrCat(" (the same field as '", first, "')");
        return false;
      }
      mark = by_json_name ? 2 : 1;
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return FailSyntax("':' after a key");
      ++p_;
      SkipSpace();
      const google::protobuf::OneofDescriptor* oneof =
          field->containing_oneof();
      if (oneof != nullptr && p_ < end_ && *p_ != 'n') {
        const FieldDescriptor*& member =
            given[static_cast<size_t>(oneof->index())];
        if (member != nullptr) {
          return Fail(absl::StrCat("'", key, "' and '", member->name(),
                                   "' are both given; only one of them may "
                                   "be"));
        }
        member = field;
      }
      if (!ParseField(message, field, depth)) {
        path_.emplace_back(key);
        return false;
      }
      SkipSpace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return true;
      }
      return FailSyntax("',' or '}'");
    }
  }

  bool ParseField(const Object& message, const FieldDescriptor* field,
                  int depth) {
    if (p_ < end_ && *p_ == 'n') {
      if (!Literal("null")) return FailSyntax("a value");
      // A list given as null is refused rather than read as empty: an empty
      // list can mean "any" (a consent's scope), so reading null as one would
      // widen what the request says. A singular field given as null is
      // absent, as protobuf reads it.
      if (field->is_repeated()) {
        return Fail("null is not a list; give [] for an empty one");
      }
      return true;
    }
    if (field->is_map()) return Unsupported(field);
    if (!field->is_repeated()) {
      return ParseValue(message, field, depth, false);
    }
    if (p_ == end_ || *p_ != '[') return FailType("an array");
    if (!CheckDepth(depth + 1)) return false;
    ++p_;
    SkipSpace();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (int i = 0;; ++i) {
      SkipSpace();
      const bool ok =
          p_ < end_ && *p_ == 'n'
              ? Fail("null is not allowed in a list")
              : ParseValue(message, field, depth + 1, true);
      if (!ok) {
        path_.push_back(absl::StrCat("[", i, "]"));
        return false;
      }
      SkipSpace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        continue;
      }
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        return true;
      }
      return FailSyntax("',' or ']'");
    }
  }

  bool Unsupported(const FieldDescriptor* field) {
    return Fail(absl::StrCat("field ",
                             internal::ContractName(field->full_name()),
                             " has a type pip's JSON codec does not read"));
  }

  // Reads one value of `field` (an element when `repeated`).
  bool ParseValue(const Object& message, const FieldDescriptor* field,
                  int depth, bool repeated) {
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        if (field->type() == FieldDescriptor::TYPE_BYTES) {
          return Unsupported(field);
        }
        if (p_ == end_ || *p_ != '"') return FailType("a string");
        absl::string_view text;
        if (!ReadString(&value_scratch_, &text)) return false;
        target_.String(message, field, repeated, text, &value_scratch_);
        return true;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool value;
        if (Literal("true")) {
          value = true;
        } else if (Literal("false")) {
          value = false;
        } else {
          return FailType("true or false");
        }
        target_.Bool(message, field, repeated, value);
        return true;
      }
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
        return ParseInteger(message, field, repeated);
      case FieldDescriptor::CPPTYPE_ENUM:
        return ParseEnum(message, field, repeated);
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Descriptor* type = field->message_type();
        if (IsTimestamp(type)) {
          return ParseTimestamp(message, field, repeated);
        }
        if (type->file()->name().rfind("google/protobuf/", 0) == 0) {
          return Unsupported(field);
        }
        if (p_ == end_ || *p_ != '{') return FailType("an object");
        const Object sub = target_.Child(message, field, repeated);
        if (!ParseObject(sub, depth + 1)) return false;
        target_.EndChild(message, sub);
        return true;
      }
      default:
        return Unsupported(field);
    }
  }

  bool ParseInteger(const Object& message, const FieldDescriptor* field,
                    bool repeated) {
    const FieldDescriptor::CppType type = field->cpp_type();
    const bool wide = type == FieldDescriptor::CPPTYPE_INT64 ||
                      type == FieldDescriptor::CPPTYPE_UINT64;
    const char* start = p_;
    Number number;
    if (p_ < end_ && *p_ == '"' && wide) {
      std::string scratch;
      absl::string_view text;
      if (!ReadString(&scratch, &text)) return false;
      const char* q = text.data();
      if (!ScanNumber(&q, text.data() + text.size(), &number) ||
          q != text.data() + text.size() || !number.integral) {
        return Fail(absl::StrCat("expected an integer, got the string ",
                                 Quote(text)));
      }
    } else {
      if (p_ == end_ || (*p_ != '-' && !IsDigit(*p_))) {
        return FailType(wide ? "an integer (a number or a decimal string)"
                             : "an integer");
      }
      if (!ScanNumber(&p_, end_, &number)) return FailSyntax("a number");
      if (!number.integral) {
        return Fail(absl::StrCat(
            "expected an integer, got ",
            Quote(absl::string_view(start, static_cast<size_t>(p_ - start)))));
      }
    }
    if (!InRange(number, type)) {
      return Fail(absl::StrCat(
          Quote(absl::string_view(start, static_cast<size_t>(p_ - start))),
          " is out of range for ", field->cpp_type_name()));
    }
    const uint64_t m = number.magnitude;
    switch (type) {
      case FieldDescriptor::CPPTYPE_INT32: {
        const int32_t v = number.negative
                              ? static_cast<int32_t>(0u - static_cast<uint32_t>(m))
                              : static_cast<int32_t>(m);
        target_.Int32(message, field, repeated, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        const int64_t v = number.negative ? static_cast<int64_t>(0u - m)
                                          : static_cast<int64_t>(m);
        target_.Int64(message, field, repeated, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
        target_.UInt32(message, field, repeated, static_cast<uint32_t>(m));
        break;
      default:
        target_.UInt64(message, field, repeated, m);
        break;
    }
    return true;
  }

  bool ParseEnum(const Object& message, const FieldDescriptor* field,
                 bool repeated) {
    const google::protobuf::EnumValueDescriptor* value = nullptr;
    if (p_ < end_ && *p_ == '"') {
      std::string scratch;
      absl::string_view name;
      if (!ReadString(&scratch, &name)) return false;
      value = field->enum_type()->FindValueByName(std::string(name));
      if (value == nullptr) {
        return Fail(absl::StrCat("unknown ", field->enum_type()->name(),
                                 " value ", Quote(name)));
      }
    } else if (p_ < end_ && (*p_ == '-' || IsDigit(*p_))) {
      const char* start = p_;
      Number number;
      if (!ScanNumber(&p_, end_, &number)) return FailSyntax("a number");
      const absl::string_view text(start, static_cast<size_t>(p_ - start));
      if (number.integral && InRange(number, FieldDescriptor::CPPTYPE_INT32)) {
        const int32_t n =
            number.negative
                ? static_cast<int32_t>(0u - static_cast<uint32_t>(number.magnitude))
                : static_cast<int32_t>(number.magnitude);
        value = field->enum_type()->FindValueByNumber(n);
      }
      if (value == nullptr) {
        return Fail(absl::StrCat("unknown ", field->enum_type()->name(),
                                 " value ", Quote(text)));
      }
    } else {
      return FailType("an enum value name");
    }
    target_.Enum(message, field, repeated, value->number());
    return true;
  }

  bool ParseTimestamp(const Object& message, const FieldDescriptor* field,
                      bool repeated) {
    if (p_ == end_ || *p_ != '"') {
      return FailType("a time as an RFC 3339 string");
    }
    std::string scratch;
    absl::string_view text;
    if (!ReadString(&scratch, &text)) return false;
    int64_t seconds;
    int32_t nanos;
    if (!ParseRfc3339(text, &seconds, &nanos)) {
      return Fail(absl::StrCat(
          "invalid time ", Quote(text),
          ": expected RFC 3339 like 2026-03-01T12:00:00+09:00, years "
          "0001-9999"));
    }
    target_.Timestamp(message, field, repeated, seconds, nanos);
    return true;
  }

  std::string ErrorMessage() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) {
      if (!path.empty() && (*it)[0] != '[') path.push_back('.');
      path.append(*it);
    }
    if (duplicate_) {
      return absl::StrCat("duplicate key ", Quote(duplicate_key_),
                          path.empty() ? "" : absl::StrCat(" in ", path),
                          error_, "; a field may appear once");
    }
    if (path.empty()) return error_;
    return absl::StrCat("(", path, "): ", error_);
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  // The error: its message, and the keys and indexes that lead to it,
  // innermost first (added while the recursion unwinds).
  std::string error_;
  std::vector<std::string> path_;
  bool duplicate_ = false;
  std::string duplicate_key_;
  Target target_;
  // Holds a string value that had escapes.
  std::string value_scratch_;
};

// --- Printing ----------------------------------------------------------------

constexpr char kHexDigits[] = "0123456789abcdef";

void AppendUnicodeEscape(uint32_t unit, std::string* out) {
  const char escape[6] = {'\\', 'u', kHexDigits[(unit >> 12) & 0xF],
                          kHexDigits[(unit >> 8) & 0xF],
                          kHexDigits[(unit >> 4) & 0xF], kHexDigits[unit & 0xF]};
  out->append(escape, 6);
}

// The code points above U+007F that protobuf's JSON printer writes as \u
// escapes: C1 controls and invisible format characters.
bool EscapedAboveAscii(uint32_t cp) {
  return (cp <= 0x9F) || cp == 0xAD || (cp >= 0x600 && cp <= 0x603) ||
         cp == 0x6DD || cp == 0x70F || cp == 0x17B4 || cp == 0x17B5 ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206A && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

// Whether `c` leads a three-byte sequence (E3 to EC: most kana and kanji)
// whose second byte may be any continuation byte and whose code point
// protobuf never escapes.
bool IsPlainThreeByteLead(unsigned char c) {
  return static_cast<unsigned>(c - 0xE3) <= 0xEC - 0xE3;
}

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Whether the 8 bytes at p are all ASCII that protobuf prints as it is
// (kPrintClass 0), tested together: ids and English text are mostly such
// runs.
bool AllPrintedAsIs(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHighs = 0x8080808080808080u;
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  // Nonzero when some byte of v is below n (n <= 0x80).
  const auto any_below = [](uint64_t v, uint64_t n) {
    return (v - kOnes * n) & ~v & kHighs;
  };
  const auto any_equal = [&](uint64_t v, unsigned char c) {
    return any_below(v ^ (kOnes * c), 1);
  };
  return ((w & kHighs) | any_below(w, 0x20) | any_equal(w, '"') |
          any_equal(w, '\\') | any_equal(w, '<') | any_equal(w, '>') |
          any_equal(w, 0x7F)) == 0;
}

}  // namespace

bool AppendJsonStringBody(absl::string_view text, std::string* out) {
  if (text.empty()) return true;  // most ids of a reason are unset
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* run = p;
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    const uint8_t kind = kPrintClass.of[c];
    if (kind == 0) {
      ++p;
      while (end - p >= 8 && AllPrintedAsIs(p)) p += 8;
      continue;
    }
    if (kind >= 2) {
      if (IsPlainThreeByteLead(c)) {
        // Kana and kanji: a tight loop while the sequences are such; a
        // malformed one is left to Utf8Length below.
        const char* const first = p;
        while (end - p >= 3 &&
               IsPlainThreeByteLead(static_cast<unsigned char>(*p)) &&
               IsContinuation(p[1]) && IsContinuation(p[2])) {
          p += 3;
        }
        if (p != first) continue;
      }
      const size_t len = Utf8Length(p, end);
      if (len == 0) return false;
      const uint32_t cp = kind == 2 ? DecodeUtf8(p, len) : 0;
      if (kind == 3 || !EscapedAboveAscii(cp)) {
        p += len;
        continue;
      }
      out->append(run, static_cast<size_t>(p - run));
      if (cp >= 0x10000) {
        AppendUnicodeEscape(0xD800 + ((cp - 0x10000) >> 10), out);
        AppendUnicodeEscape(0xDC00 + ((cp - 0x10000) & 0x3FF), out);
      } else {
        AppendUnicodeEscape(cp, out);
      }
      p += len;
      run = p;
      continue;
    }
    out->append(run, static_cast<size_t>(p - run));
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      default: AppendUnicodeEscape(c, out); break;
    }
    ++p;
    run = p;
  }
  out->append(run, static_cast<size_t>(p - run));
  return true;
}

namespace {

// Appends `text` as a JSON string, escaped as protobuf escapes it. False if
// `text` is not valid UTF-8.
bool AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  if (!AppendJsonStringBody(text, out)) return false;
  out->push_back('"');
  return true;
}

void AppendDigits(int value, int width, std::string* out) {
  char buf[10];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

// As protobuf prints a Timestamp: UTC with Z, 0, 3, 6 or 9 fraction digits.
bool AppendTimestamp(const Message& timestamp, std::string* out) {
  const Descriptor* type = timestamp.GetDescriptor();
  const Reflection* r = timestamp.GetReflection();
  const int64_t seconds = r->GetInt64(timestamp, type->field(0));
  const int32_t nanos = r->GetInt32(timestamp, type->field(1));
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds ||
      nanos < 0 || nanos > kMaxNanos) {
    return false;
  }
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  out->push_back('"');
  AppendDigits(static_cast<int>(civil.year()), 4, out);
  out->push_back('-');
  AppendDigits(civil.month(), 2, out);
  out->push_back('-');
  AppendDigits(civil.day(), 2, out);
  out->push_back('T');
  AppendDigits(civil.hour(), 2, out);
  out->push_back(':');
  AppendDigits(civil.minute(), 2, out);
  out->push_back(':');
  AppendDigits(civil.second(), 2, out);
  if (nanos != 0) {
    out->push_back('.');
    if (nanos % 1000000 == 0) {
      AppendDigits(nanos / 1000000, 3, out);
    } else if (nanos % 1000 == 0) {
      AppendDigits(nanos / 1000, 6, out);
    } else {
      AppendDigits(nanos, 9, out);
    }
  }
  out->append("Z\"");
  return true;
}

class Printer {
 public:
  Printer(std::string* out, JsonFields fields) : out_(out), fields_(fields) {}

  absl::Status Print(const Message& message) {
    if (PrintMessage(message)) return absl::OkStatus();
    return absl::InternalError(absl::StrCat("cannot print JSON: ", error_));
  }

 private:
  bool Fail(const FieldDescriptor* field, absl::string_view why) {
    error_ =
        absl::StrCat(internal::ContractName(field->full_name()), ": ", why);
    return false;
  }

  void Key(const FieldDescriptor* field, bool* first) {
    if (!*first) out_->push_back(',');
    *first = false;
    out_->push_back('"');
    out_->append(field->name());
    out_->append("\":");
  }

  bool PrintMessage(const Message& message) {
    const Descriptor* descriptor = message.GetDescriptor();
    const Reflection* reflection = message.GetReflection();
    out_->push_back('{');
    bool first = true;
    const bool all = fields_ == JsonFields::kAll;
    // Printing defaults, protobuf's printer places set Timestamp fields
    // after every other field, in field number order.
    absl::InlinedVector<const FieldDescriptor*, 4> timestamps;
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (field->is_map()) return Fail(field, "maps are not printed");
      if (field->is_repeated()) {
        if (!all && reflection->FieldSize(message, field) == 0) continue;
        Key(field, &first);
        out_->push_back('[');
        const int n = reflection->FieldSize(message, field);
        for (int k = 0; k < n; ++k) {
          if (k > 0) out_->push_back(',');
          if (!PrintValue(message, reflection, field, k)) return false;
        }
        out_->push_back(']');
        continue;
      }
      // HasField: a message or oneof member present, or a proto3 scalar
      // that is not its default.
      if (!all || field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
          field->containing_oneof() != nullptr) {
        if (!reflection->HasField(message, field)) continue;
        if (all && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
            IsTimestamp(field->message_type())) {
          timestamps.push_back(field);
          continue;
        }
      }
      Key(field, &first);
      if (!PrintValue(message, reflection, field, -1)) return false;
    }
    std::sort(timestamps.begin(), timestamps.end(),
              [](const FieldDescriptor* a, const FieldDescriptor* b) {
                return a->number() < b->number();
              });
    for (const FieldDescriptor* field : timestamps) {
      Key(field, &first);
      if (!PrintValue(message, reflection, field, -1)) return false;
    }
    out_->push_back('}');
    return true;
  }

  // Prints the value of `field`, element `index` of it when index >= 0.
  bool PrintValue(const Message& message, const Reflection* r,
                  const FieldDescriptor* field, int index) {
    const bool rep = index >= 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        if (field->type() == FieldDescriptor::TYPE_BYTES) {
          return Fail(field, "bytes are not printed");
        }
        const std::string& text =
            rep ? r->GetRepeatedStringReference(message, field, index, &scratch_)
                : r->GetStringReference(message, field, &scratch_);
        if (!AppendJsonString(text, out_)) {
          return Fail(field, "not valid UTF-8");
        }
        return true;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        out_->append((rep ? r->GetRepeatedBool(message, field, index)
                          : r->GetBool(message, field))
                         ? "true"
                         : "false");
        return true;
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(out_, rep ? r->GetRepeatedInt32(message, field, index)
                                  : r->GetInt32(message, field));
        return true;
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(out_, rep ? r->GetRepeatedUInt32(message, field, index)
                                  : r->GetUInt32(message, field));
        return true;
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(out_, "\"",
                        rep ? r->GetRepeatedInt64(message, field, index)
                            : r->GetInt64(message, field),
                        "\"");
        return true;
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(out_, "\"",
                        rep ? r->GetRepeatedUInt64(message, field, index)
                            : r->GetUInt64(message, field),
                        "\"");
        return true;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = rep ? r->GetRepeatedEnumValue(message, field, index)
                               : r->GetEnumValue(message, field);
        const google::protobuf::EnumValueDescriptor* value =
            field->enum_type()->FindValueByNumber(number);
        if (value == nullptr) {
          absl::StrAppend(out_, number);
        } else {
          out_->push_back('"');
          out_->append(value->name());
          out_->push_back('"');
        }
        return true;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& sub = rep ? r->GetRepeatedMessage(message, field, index)
                                 : r->GetMessage(message, field);
        if (IsTimestamp(field->message_type())) {
          if (!AppendTimestamp(sub, out_)) {
            return Fail(field, "Timestamp out of range");
          }
          return true;
        }
        if (field->message_type()->file()->name().rfind("google/protobuf/", 0) ==
            0) {
          return Fail(field, "well-known type not printed");
        }
        return PrintMessage(sub);
      }
      default:
        return Fail(field, "field type not printed");
    }
  }

  std::string* const out_;
  const JsonFields fields_;
  std::string scratch_;
  std::string error_;
};

}  // namespace

absl::Status ParseJsonMessage(absl::string_view json, Message* message) {
  return Parser<MessageTarget>(json, MessageTarget()).Parse(message);
}

absl::Status ParseJsonToWire(absl::string_view json,
                             const google::protobuf::Descriptor* descriptor,
                             std::string* wire) {
  const size_t start = wire->size();
  const absl::Status parsed =
      Parser<WireTarget>(json, WireTarget(wire))
          .Parse(WireTarget::Object{descriptor, start});
  if (!parsed.ok()) wire->resize(start);
  return parsed;
}

absl::Status AppendJsonMessage(const Message& message, std::string* out,
                               JsonFields fields) {
  return Printer(out, fields).Print(message);
}

}  // namespace engine_internal
}  // namespace pip
