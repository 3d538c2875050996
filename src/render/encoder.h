// Encoders of decisions. A decision is described once, by a layout: a
// function template that calls its encoder's methods for each field, in the
// order of the fields in the .proto file (the order both protobuf's
// serializer and its JSON printer follow). The same layout then writes the
// decision as serialized protobuf (WireEncoder), as JSON (JsonEncoder), as
// a protobuf message (MessageEncoder), or
// measures it (WireSizer). Internal to pip.
//
// An encoder has these methods (`number` and `name` are the field's number
// and name in the .proto file):
//
//   void Bool(uint32_t number, absl::string_view name, bool value);
//   void Int32(uint32_t number, absl::string_view name, int32_t value);
//   template <typename E> void Enum(uint32_t number, absl::string_view name,
//                                   E value);
//   void String(uint32_t number, absl::string_view name,
//               absl::string_view value);
//   // A string that says what a finding is about: JSON leaves it out when
//   // empty (a reason prints the ids it is about and no others).
//   void Id(uint32_t number, absl::string_view name, absl::string_view value);
//   void Text(uint32_t number, absl::string_view name, const Text& value);
//   // A repeated field: Begin, one *Item per element, End.
//   void BeginList(uint32_t number, absl::string_view name);
//   void StringItem(uint32_t number, absl::string_view value);
//   template <typename Body> void MessageItem(uint32_t number, Body body);
//   void EndList();
//   // A singular message field, written by body(encoder).
//   template <typename Body> void Message(uint32_t number,
//                                         absl::string_view name, Body body);
//
// Each encoder decides what its format leaves out: proto3 binary omits
// default values; pip's JSON prints every field of a decision (false, 0,
// "" and [] included), except the empty ids of a reason.
#ifndef PIP_SRC_RENDER_ENCODER_H_
#define PIP_SRC_RENDER_ENCODER_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message.h"
#include "src/codec/json_codec.h"
#include "src/render/render.h"

namespace pip {
namespace engine_internal {

// The name of enum value `value` as the descriptor gives it, or "" for a
// value the enum does not declare; the table is built once per enum type.
template <typename E>
absl::string_view EnumName(E value) {
  struct Names {
    std::vector<absl::string_view> by_number;
  };
  static const Names* const names = [] {
    auto* n = new Names;
    const google::protobuf::EnumDescriptor* d =
        google::protobuf::GetEnumDescriptor<E>();
    int max = 0;
    for (int i = 0; i < d->value_count(); ++i) {
      max = std::max(max, d->value(i)->number());
    }
    n->by_number.resize(static_cast<size_t>(max) + 1);
    for (int i = 0; i < d->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* v = d->value(i);
      if (v->number() >= 0) {
        n->by_number[static_cast<size_t>(v->number())] = v->name();
      }
    }
    return n;
  }();
  const int i = static_cast<int>(value);
  return i >= 0 && i < static_cast<int>(names->by_number.size())
             ? names->by_number[static_cast<size_t>(i)]
             : absl::string_view();
}

namespace wire_internal {

using google::protobuf::io::CodedOutputStream;

inline constexpr uint32_t kVarint = 0;
inline constexpr uint32_t kLengthDelimited = 2;

// The size of the tag and length that precede a length-delimited field.
inline size_t LengthPrefixSize(uint32_t number, size_t size) {
  return CodedOutputStream::VarintSize32(number << 3) +
         CodedOutputStream::VarintSize64(size);
}

// An int32 or enum as protobuf writes one: sign-extended to 64 bits.
inline uint64_t SignExtended(int32_t value) {
  return static_cast<uint64_t>(static_cast<int64_t>(value));
}

inline size_t VarintFieldSize(uint32_t number, uint64_t value) {
  return CodedOutputStream::VarintSize32(number << 3) +
         CodedOutputStream::VarintSize64(value);
}

}  // namespace wire_internal

// Counts the bytes a layout writes as serialized protobuf: what WireEncoder
// needs to prefix a nested message with its length.
class WireSizer {
 public:
  size_t size() const { return size_; }

  void Bool(uint32_t number, absl::string_view, bool value) {
    if (value) size_ += wire_internal::VarintFieldSize(number, 1);
  }
  void Int32(uint32_t number, absl::string_view, int32_t value) {
    if (value != 0) {
      size_ += wire_internal::VarintFieldSize(
          number, wire_internal::SignExtended(value));
    }
  }
  template <typename E>
  void Enum(uint32_t number, absl::string_view name, E value) {
    Int32(number, name, static_cast<int32_t>(value));
  }
  void String(uint32_t number, absl::string_view, absl::string_view value) {
    if (!value.empty()) Bytes(number, value.size());
  }
  void Id(uint32_t number, absl::string_view name, absl::string_view value) {
    String(number, name, value);
  }
  void Text(uint32_t number, absl::string_view,
            const engine_internal::Text& t) {
    if (t.size() != 0) Bytes(number, t.size());
  }
  void BeginList(uint32_t, absl::string_view) {}
  void StringItem(uint32_t number, absl::string_view value) {
    Bytes(number, value.size());
  }
  template <typename Body>
  void MessageItem(uint32_t number, Body body) {
    WireSizer inner;
    body(inner);
    Bytes(number, inner.size());
  }
  void EndList() {}
  template <typename Body>
  void Message(uint32_t number, absl::string_view, Body body) {
    MessageItem(number, body);
  }

 private:
  void Bytes(uint32_t number, size_t n) {
    size_ += wire_internal::LengthPrefixSize(number, n) + n;
  }
  size_t size_ = 0;
};

// Appends a decision to a string exactly as protobuf serializes the message:
// fields in number order, proto3 defaults left out, every element of a
// repeated field written. The string grows in doublings from one cursor,
// so a decision costs one or two resizes rather than one a field, and is
// cut back to the bytes written when the encoder is destroyed.
class WireEncoder {
 public:
  explicit WireEncoder(std::string* out) : out_(out), used_(out->size()) {}
  WireEncoder(const WireEncoder&) = delete;
  WireEncoder& operator=(const WireEncoder&) = delete;
  ~WireEncoder() { out_->resize(used_); }

  void Bool(uint32_t number, absl::string_view, bool value) {
    if (value) Varint(number, 1);
  }
  void Int32(uint32_t number, absl::string_view, int32_t value) {
    if (value != 0) Varint(number, wire_internal::SignExtended(value));
  }
  template <typename E>
  void Enum(uint32_t number, absl::string_view name, E value) {
    Int32(number, name, static_cast<int32_t>(value));
  }
  void String(uint32_t number, absl::string_view, absl::string_view value) {
    if (!value.empty()) Bytes(number, value);
  }
  void Id(uint32_t number, absl::string_view name, absl::string_view value) {
    String(number, name, value);
  }
  void Text(uint32_t number, absl::string_view,
            const engine_internal::Text& t) {
    if (t.size() == 0) return;
    uint8_t* p = Prefix(number, t.size(), t.size());
    t.CopyTo(reinterpret_cast<char*>(p));
  }
  void BeginList(uint32_t, absl::string_view) {}
  // Written even when empty, as protobuf writes every element.
  void StringItem(uint32_t number, absl::string_view value) {
    Bytes(number, value);
  }
  template <typename Body>
  void MessageItem(uint32_t number, Body body) {
    WireSizer sizer;
    body(sizer);
    Prefix(number, sizer.size(), 0);
    body(*this);
  }
  void EndList() {}
  template <typename Body>
  void Message(uint32_t number, absl::string_view, Body body) {
    MessageItem(number, body);
  }

 private:
  using Stream = google::protobuf::io::CodedOutputStream;

  // Room for `size` more bytes at the cursor.
  uint8_t* Extend(size_t size) {
    if (ABSL_PREDICT_FALSE(out_->size() - used_ < size)) {
      out_->resize(std::max({used_ + size, 2 * out_->size(), kFirstBytes}));
    }
    uint8_t* at = reinterpret_cast<uint8_t*>(&(*out_)[used_]);
    used_ += size;
    return at;
  }
  void Varint(uint32_t number, uint64_t value) {
    uint8_t* p = Extend(wire_internal::VarintFieldSize(number, value));
    p = Stream::WriteVarint32ToArray((number << 3) | wire_internal::kVarint, p);
    Stream::WriteVarint64ToArray(value, p);
  }
  // Writes the tag and length of a length-delimited field of `length`
  // bytes, and makes room for `then` bytes after them, returned.
  uint8_t* Prefix(uint32_t number, size_t length, size_t then) {
    uint8_t* p = Extend(wire_internal::LengthPrefixSize(number, length) + then);
    p = Stream::WriteVarint32ToArray(
        (number << 3) | wire_internal::kLengthDelimited, p);
    return Stream::WriteVarint64ToArray(length, p);
  }
  void Bytes(uint32_t number, absl::string_view value) {
    uint8_t* p = Prefix(number, value.size(), value.size());
    if (!value.empty()) std::memcpy(p, value.data(), value.size());
  }

  // Room for a typical decision (one reason with both messages) at once.
  static constexpr size_t kFirstBytes = 512;

  std::string* const out_;
  size_t used_;
};

// The generated setters of the messages every decision holds, for
// MessageEncoder: pip.v1.Reason (each finding) and pip.v1.PolicyStamp.
// Reflection's SetString costs about 330 instructions a field and AddMessage
// about 570 a reason, several times the generated accessors. Each table
// maps a field number to its accessor; a number it does not map returns
// null or false and the field is set through reflection, so a field added
// to the .proto is still set, only more slowly (encoder_test checks that
// every string and enum field of both messages is mapped).
template <typename M>
struct GeneratedSetters;

template <>
struct GeneratedSetters<v1::Reason> {
  static std::string* String(v1::Reason& m, uint32_t number) {
    switch (number) {
      case v1::Reason::kClauseFieldNumber:
        return m.mutable_clause();
      case v1::Reason::kMessageJaFieldNumber:
        return m.mutable_message_ja();
      case v1::Reason::kMessageEnFieldNumber:
        return m.mutable_message_en();
      case v1::Reason::kCategoryFieldNumber:
        return m.mutable_category();
      case v1::Reason::kPurposeFieldNumber:
        return m.mutable_purpose();
      case v1::Reason::kRecipientFieldNumber:
        return m.mutable_recipient();
      case v1::Reason::kConsentIdFieldNumber:
        return m.mutable_consent_id();
      case v1::Reason::kRequestTypeFieldNumber:
        return m.mutable_request_type();
      case v1::Reason::kRequestIdFieldNumber:
        return m.mutable_request_id();
      case v1::Reason::kHoldTypeFieldNumber:
        return m.mutable_hold_type();
      case v1::Reason::kDocumentFieldNumber:
        return m.mutable_document();
      case v1::Reason::kHoldIdFieldNumber:
        return m.mutable_hold_id();
      case v1::Reason::kReviewGroundFieldNumber:
        return m.mutable_review_ground();
      case v1::Reason::kArticleFieldNumber:
        return m.mutable_article();
      case v1::Reason::kProvisionFieldNumber:
        return m.mutable_provision();
      case v1::Reason::kChannelFieldNumber:
        return m.mutable_channel();
      default:
        return nullptr;
    }
  }
  static bool Enum(v1::Reason& m, uint32_t number, int value) {
    if (number != v1::Reason::kCodeFieldNumber) return false;
    m.set_code(static_cast<v1::ReasonCode>(value));
    return true;
  }
};

template <>
struct GeneratedSetters<v1::PolicyStamp> {
  static std::string* String(v1::PolicyStamp& m, uint32_t number) {
    switch (number) {
      case v1::PolicyStamp::kVersionFieldNumber:
        return m.mutable_version();
      case v1::PolicyStamp::kHashFieldNumber:
        return m.mutable_hash();
      default:
        return nullptr;
    }
  }
  static bool Enum(v1::PolicyStamp&, uint32_t, int) { return false; }
};

class MessageEncoder;

// An encoder of message M (one of GeneratedSetters' messages) through its
// generated setters, and through `fallback`, a MessageEncoder of the same
// message, for what they do not map.
template <typename M>
class GeneratedEncoder {
 public:
  GeneratedEncoder(M* message, MessageEncoder* fallback)
      : message_(message), fallback_(fallback) {}

  void Bool(uint32_t number, absl::string_view name, bool value);
  void Int32(uint32_t number, absl::string_view name, int32_t value);
  template <typename E>
  void Enum(uint32_t number, absl::string_view name, E value);
  void String(uint32_t number, absl::string_view name,
              absl::string_view value) {
    if (value.empty()) return;
    if (std::string* s = GeneratedSetters<M>::String(*message_, number)) {
      s->assign(value.data(), value.size());
    } else {
      FallbackString(number, name, value);
    }
  }
  void Id(uint32_t number, absl::string_view name, absl::string_view value) {
    String(number, name, value);
  }
  void Text(uint32_t number, absl::string_view name,
            const engine_internal::Text& t);
  void BeginList(uint32_t, absl::string_view) {}
  void StringItem(uint32_t number, absl::string_view value);
  template <typename Body>
  void MessageItem(uint32_t number, Body body);
  void EndList() {}
  template <typename Body>
  void Message(uint32_t number, absl::string_view name, Body body);

 private:
  void FallbackString(uint32_t number, absl::string_view name,
                      absl::string_view value);

  M* const message_;
  MessageEncoder* const fallback_;
};

// Sets a decision's fields in a protobuf message through reflection, as
// the message the wire encoder's bytes parse into: proto3 defaults left
// unset, every element of a repeated field added. For the Engine's message
// functions, which would otherwise parse those bytes back.
//
// A layout names fields in the order of their numbers, which is the order
// the .proto files declare them in, so each field is found by stepping
// forward through the descriptor from the last one found (a lookup by
// number otherwise); and a nested message's descriptor and reflection come
// from its field and from a per-type cache, not from the message, whose
// accessors take a lock-free but costly once-flag on every call.
class MessageEncoder {
 public:
  // Sets fields of `message`, which should be empty.
  explicit MessageEncoder(google::protobuf::Message* message)
      : MessageEncoder(message, message->GetDescriptor(),
                       message->GetReflection()) {}

  // The same for `message`, a generated M: its descriptor and reflection
  // are looked up once, not on every call (the message's own accessors
  // take a once-flag and cost about 200 instructions each).
  template <typename M>
  static MessageEncoder Of(google::protobuf::Message* message) {
    static const google::protobuf::Descriptor* const descriptor =
        M::descriptor();
    static const google::protobuf::Reflection* const reflection =
        M::GetReflection();
    return MessageEncoder(message, descriptor, reflection);
  }

  void Bool(uint32_t number, absl::string_view, bool value) {
    if (value) reflection_->SetBool(message_, Field(number), true);
  }
  void Int32(uint32_t number, absl::string_view, int32_t value) {
    if (value != 0) reflection_->SetInt32(message_, Field(number), value);
  }
  template <typename E>
  void Enum(uint32_t number, absl::string_view, E value) {
    if (static_cast<int>(value) != 0) {
      reflection_->SetEnumValue(message_, Field(number),
                                static_cast<int>(value));
    }
  }
  void String(uint32_t number, absl::string_view, absl::string_view value) {
    if (!value.empty()) {
      reflection_->SetString(message_, Field(number), std::string(value));
    }
  }
  void Id(uint32_t number, absl::string_view name, absl::string_view value) {
    String(number, name, value);
  }
  void Text(uint32_t number, absl::string_view, const engine_internal::Text& t) {
    if (t.size() != 0) reflection_->SetString(message_, Field(number), t.ToString());
  }
  void BeginList(uint32_t, absl::string_view) {}
  void StringItem(uint32_t number, absl::string_view value) {
    reflection_->AddString(message_, Field(number), std::string(value));
  }
  template <typename Body>
  void MessageItem(uint32_t number, Body body) {
    const google::protobuf::FieldDescriptor* f = Field(number);
    Nested(f, reflection_->AddMessage(message_, f), body);
  }
  void EndList() {}
  template <typename Body>
  void Message(uint32_t number, absl::string_view, Body body) {
    const google::protobuf::FieldDescriptor* f = Field(number);
    Nested(f, reflection_->MutableMessage(message_, f), body);
  }

 private:
  // Runs `body` on `message`, the value of message field `f`: through the
  // generated setters when its type has them (GeneratedSetters).
  template <typename Body>
  static void Nested(const google::protobuf::FieldDescriptor* f,
                     google::protobuf::Message* message, Body body) {
    MessageEncoder inner = Inner(f, message);
    if (!TryGenerated<v1::Reason>(f, message, inner, body) &&
        !TryGenerated<v1::PolicyStamp>(f, message, inner, body)) {
      body(inner);
    }
  }
  template <typename M, typename Body>
  static bool TryGenerated(const google::protobuf::FieldDescriptor* f,
                           google::protobuf::Message* message,
                           MessageEncoder& inner, Body& body) {
    static const google::protobuf::Descriptor* const type = M::descriptor();
    if (f->message_type() != type) return false;
    M* typed = google::protobuf::DynamicCastToGenerated<M>(message);
    if (typed == nullptr) return false;
    GeneratedEncoder<M> e(typed, &inner);
    body(e);
    return true;
  }

  MessageEncoder(google::protobuf::Message* message,
                 const google::protobuf::Descriptor* descriptor,
                 const google::protobuf::Reflection* reflection)
      : message_(message), reflection_(reflection), descriptor_(descriptor) {}

  // The encoder of `message`, the value of message field `f`.
  static MessageEncoder Inner(const google::protobuf::FieldDescriptor* f,
                              google::protobuf::Message* message) {
    return MessageEncoder(message, f->message_type(),
                          ReflectionOf(f->message_type(), *message));
  }

  // The reflection of messages of type `type`, of which `message` is one:
  // remembered in a small table the first time (generated types have one
  // reflection for the life of the process).
  static const google::protobuf::Reflection* ReflectionOf(
      const google::protobuf::Descriptor* type,
      const google::protobuf::Message& message) {
    struct Entry {
      std::atomic<const google::protobuf::Descriptor*> type{nullptr};
      std::atomic<const google::protobuf::Reflection*> reflection{nullptr};
    };
    static constexpr size_t kEntries = 64;
    static Entry table[kEntries];
    for (const Entry& e : table) {
      const google::protobuf::Descriptor* t =
          e.type.load(std::memory_order_acquire);
      if (t == type) return e.reflection.load(std::memory_order_relaxed);
      if (t == nullptr) break;
    }
    // The first message of the type (or a full table): entries are written
    // once, one writer at a time, the reflection before the type that
    // publishes it.
    const google::protobuf::Reflection* r = message.GetReflection();
    static std::mutex* const writer = new std::mutex;
    std::lock_guard<std::mutex> lock(*writer);
    for (Entry& e : table) {
      const google::protobuf::Descriptor* t =
          e.type.load(std::memory_order_relaxed);
      if (t == type) return r;
      if (t == nullptr) {
        e.reflection.store(r, std::memory_order_relaxed);
        e.type.store(type, std::memory_order_release);
        return r;
      }
    }
    return r;
  }

  const google::protobuf::FieldDescriptor* Field(uint32_t number) {
    const int count = descriptor_->field_count();
    for (int i = next_; i < count; ++i) {
      const google::protobuf::FieldDescriptor* f = descriptor_->field(i);
      if (static_cast<uint32_t>(f->number()) == number) {
        // A repeated field is named once per element.
        next_ = f->is_repeated() ? i : i + 1;
        return f;
      }
    }
    return descriptor_->FindFieldByNumber(static_cast<int>(number));
  }

  google::protobuf::Message* const message_;
  const google::protobuf::Reflection* const reflection_;
  const google::protobuf::Descriptor* const descriptor_;
  // Where the next field is looked for in the descriptor.
  int next_ = 0;
};

template <typename M>
void GeneratedEncoder<M>::Bool(uint32_t number, absl::string_view name,
                               bool value) {
  fallback_->Bool(number, name, value);
}
template <typename M>
void GeneratedEncoder<M>::Int32(uint32_t number, absl::string_view name,
                                int32_t value) {
  fallback_->Int32(number, name, value);
}
template <typename M>
template <typename E>
void GeneratedEncoder<M>::Enum(uint32_t number, absl::string_view name,
                               E value) {
  const int v = static_cast<int>(value);
  if (v != 0 && !GeneratedSetters<M>::Enum(*message_, number, v)) {
    fallback_->Enum(number, name, value);
  }
}
template <typename M>
void GeneratedEncoder<M>::Text(uint32_t number, absl::string_view name,
                               const engine_internal::Text& t) {
  if (t.size() == 0) return;
  std::string* s = GeneratedSetters<M>::String(*message_, number);
  if (s == nullptr) {
    fallback_->Text(number, name, t);
    return;
  }
  s->resize(t.size());
  t.CopyTo(&(*s)[0]);
}
template <typename M>
void GeneratedEncoder<M>::StringItem(uint32_t number, absl::string_view value) {
  fallback_->StringItem(number, value);
}
template <typename M>
template <typename Body>
void GeneratedEncoder<M>::MessageItem(uint32_t number, Body body) {
  fallback_->MessageItem(number, body);
}
template <typename M>
template <typename Body>
void GeneratedEncoder<M>::Message(uint32_t number, absl::string_view name,
                                  Body body) {
  fallback_->Message(number, name, body);
}
template <typename M>
void GeneratedEncoder<M>::FallbackString(uint32_t number,
                                         absl::string_view name,
                                         absl::string_view value) {
  fallback_->String(number, name, value);
}

// Appends a decision as one JSON object: proto field names, enum names,
// every field printed (false, 0, "" and [] included) but the empty ids of a
// reason, strings escaped as protobuf's JSON printer escapes them.
class JsonEncoder {
 public:
  explicit JsonEncoder(std::string* out) : out_(out) { Open('{'); }
  JsonEncoder(const JsonEncoder&) = delete;
  JsonEncoder& operator=(const JsonEncoder&) = delete;

  // Closes the object. Returns false when some text was not valid UTF-8:
  // the output must then not be used.
  bool Finish() {
    Close('}');
    return ok_;
  }

  void Bool(uint32_t, absl::string_view name, bool value) {
    Key(name);
    out_->append(value ? "true" : "false");
  }
  // As a number, as protobuf prints an int32 (only 64-bit integers are
  // quoted).
  void Int32(uint32_t, absl::string_view name, int32_t value) {
    Key(name);
    char digits[absl::numbers_internal::kFastToBufferSize];
    out_->append(digits,
                 absl::numbers_internal::FastIntToBuffer(value, digits));
  }
  // By name; by number for a value the enum does not declare, as protobuf
  // prints one.
  template <typename E>
  void Enum(uint32_t number, absl::string_view name, E value) {
    const absl::string_view value_name = EnumName(value);
    if (value_name.empty()) {
      Int32(number, name, static_cast<int32_t>(value));
      return;
    }
    Key(name);
    out_->push_back('"');
    out_->append(value_name.data(), value_name.size());
    out_->push_back('"');
  }
  void String(uint32_t, absl::string_view name, absl::string_view value) {
    Key(name);
    Quoted(value);
  }
  void Id(uint32_t number, absl::string_view name, absl::string_view value) {
    if (!value.empty()) String(number, name, value);
  }
  void Text(uint32_t, absl::string_view name, const engine_internal::Text& t) {
    Key(name);
    out_->push_back('"');
    for (absl::string_view piece : t.pieces()) {
      ok_ &= AppendJsonStringBody(piece, out_);
    }
    out_->push_back('"');
  }
  void BeginList(uint32_t, absl::string_view name) {
    Key(name);
    Open('[');
  }
  void StringItem(uint32_t, absl::string_view value) {
    Separate();
    Quoted(value);
  }
  template <typename Body>
  void MessageItem(uint32_t, Body body) {
    Separate();
    Open('{');
    body(*this);
    Close('}');
  }
  void EndList() { Close(']'); }
  template <typename Body>
  void Message(uint32_t, absl::string_view name, Body body) {
    Key(name);
    Open('{');
    body(*this);
    Close('}');
  }

 private:
  // Decisions nest a few levels (decision, list, reason); the limit is far
  // above any layout's depth.
  static constexpr int kMaxDepth = 8;

  void Open(char c) {
    out_->push_back(c);
    first_[++depth_] = true;
  }
  void Close(char c) {
    out_->push_back(c);
    --depth_;
  }
  void Separate() {
    if (!first_[depth_]) out_->push_back(',');
    first_[depth_] = false;
  }
  void Key(absl::string_view name) {
    Separate();
    out_->push_back('"');
    out_->append(name.data(), name.size());
    out_->append("\":");
  }
  void Quoted(absl::string_view text) {
    out_->push_back('"');
    ok_ &= AppendJsonStringBody(text, out_);
    out_->push_back('"');
  }

  std::string* const out_;
  std::array<bool, kMaxDepth + 1> first_{};
  int depth_ = -1;
  bool ok_ = true;
};

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_ENCODER_H_
