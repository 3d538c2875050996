// Messages read straight from the protobuf wire format, without building
// protobuf messages, for any message type: a WireShape, derived once from a
// message's descriptor, says what the bytes may hold; WireMessage::Read
// checks the bytes against it, the whole tree at once, and WireView reads
// the values by field number. Every request pip decides is read this way,
// whatever surface it came by (src/engine/pipeline.cc). Internal to pip.
//
// The reader is stricter than protobuf where protobuf is ambiguous or lossy:
// it refuses a field the schema does not declare (protobuf keeps it aside,
// and pip would never evaluate it), a declared field given with another
// wire type (protobuf keeps that aside too), and a singular field or a oneof
// given twice (protobuf keeps the last, so that `purpose: "statistics"`
// followed by `purpose: "billing"` would be read as billing). Whatever it
// accepts, protobuf's parser accepts too and reads to the same values.
//
// Example:
//   static const WireShape& shape = WireShape::Of<v1::PurposeAllowedRequest>();
//   WireMessage request;
//   PIP_RETURN_IF_ERROR(WireMessage::Read(shape, bytes, &request));
//   absl::string_view purpose =
//       request.String(v1::PurposeAllowedRequest::kPurposeFieldNumber);
//   for (int i = 0; i < request.Count(kConsentsFieldNumber); ++i) {
//     WireView consent = request.MessageAt(kConsentsFieldNumber, i);
//     WireTime granted = consent.Time(v1::Consent::kGrantedAtFieldNumber);
//     ...
//   }
#ifndef PIP_SRC_CODEC_WIRE_VIEW_H_
#define PIP_SRC_CODEC_WIRE_VIEW_H_

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace pip {
namespace codec_internal {

// Messages nested in one read, the outermost counting as 1 (pip.v1 requests
// nest at most 5 deep; protobuf's own limit is 100). Bounds the messages
// the reader holds open (on its stack) whatever the input.
inline constexpr int kMaxWireDepth = 32;

// One value recorded by a read: a field of a message (its value, or where
// its repeated values are) or one value of a repeated field. Internal to
// WireView; public only so that its accessors can be inline.
struct WireSlot {
  // A scalar's value, widened to 64 bits as its accessor returns it; a
  // string's address; a message's first slot (an index into the read's
  // table); a repeated field's first value (an index into the table).
  uint64_t value;
  // A string's length in bytes.
  uint32_t size;
  // How many times the field was given: 0 or 1 for a singular field (at
  // most one member of a oneof has 1), the number of values of a repeated
  // field. For a oneof's slot, unused.
  uint32_t count;
};

// The shape of one message type, derived once from its descriptor: the
// field numbers it declares, each field's wire type, whether it repeats,
// whether it is a string (whose UTF-8 is checked), which fields form a
// oneof, and for a message-typed field the shape of that message.
//
// Shapes are built on first use and live as long as the process; they are
// immutable once built, and any number of threads may use one at once.
class WireShape {
 public:
  // How one field's values are read off the wire and widened into
  // WireSlot::value.
  enum class Kind : uint8_t {
    kInt32,     // int32, enum: sign-extended from the low 32 bits
    kSInt32,    // sint32: zigzag, then sign-extended
    kUInt32,    // uint32: the low 32 bits
    kInt64,     // int64, uint64: the 64 bits
    kSInt64,    // sint64: zigzag
    kBool,      // bool: 1 for any nonzero varint
    kFixed32,   // fixed32, float: the 32 bits
    kSFixed32,  // sfixed32: sign-extended
    kFixed64,   // fixed64, sfixed64, double: the 64 bits
    kString,    // string: UTF-8 is checked
    kBytes,     // bytes
    kMessage,   // a message
    kGroup,     // a proto2 group: refused on the wire
  };

  // One declared field.
  struct Field {
    const google::protobuf::FieldDescriptor* descriptor;
    uint32_t number;
    // Its index in the descriptor, which is its slot in a read message.
    uint32_t slot;
    // Its oneof's index in the descriptor (real oneofs only), or -1.
    int32_t oneof;
    // Its oneof's slot in a read message (after the fields'), if any.
    uint32_t oneof_slot;
    // The wire type of one value (2 for strings and messages).
    uint8_t wire_type;
    Kind kind;
    // google::protobuf::FieldDescriptor::CppType, which decides the
    // accessor that reads it.
    uint8_t cpp_type;
    bool repeated;
    // A repeated scalar of a numeric type, which may come packed (wire type
    // 2) as well as one value a field.
    bool packable;
    // A google.protobuf.Timestamp message, which WireView::Time reads.
    bool timestamp;
    // How the reader takes the field when its tag is one byte: a short,
    // specialized way for the common kinds of field (WireShape::Op), the
    // general one otherwise. Internal to the reader.
    uint8_t op;
    // For a message-typed field, the shape of that message.
    const WireShape* message;
  };

  // The shape of `descriptor`, built on first use (with the shape of every
  // message it refers to) and cached for the life of the process. The first
  // call for a type takes a lock; keep the reference (as Of<M>() does) to
  // read without one. Thread-safe. `descriptor` must not be null and must
  // outlive the process's use of the shape (generated descriptors do).
  static const WireShape& Of(const google::protobuf::Descriptor* descriptor);
  // The shape of the generated message type M, looked up once per type.
  template <typename M>
  static const WireShape& Of() {
    static const WireShape& shape = Of(M::descriptor());
    return shape;
  }

  WireShape(const WireShape&) = delete;
  WireShape& operator=(const WireShape&) = delete;

  const google::protobuf::Descriptor* descriptor() const { return descriptor_; }
  // The declared fields, in the descriptor's order.
  const std::vector<Field>& fields() const { return fields_; }
  // The field numbered `number`, or null when the message declares none.
  const Field* Find(uint32_t number) const {
    if (ABSL_PREDICT_TRUE(number < dense_size_)) return dense_[number];
    return FindSparse(number);
  }
  // The reader's ways of taking a field (Field::op). Internal to the reader.
  enum Op : uint8_t {
    kOpGeneral,    // any field: the general way
    kOpString,     // a singular string, in no oneof
    kOpBytes,      // a singular bytes field, in no oneof
    kOpStrings,    // a repeated string
    kOpBytesList,  // a repeated bytes field
    kOpVarint,     // a singular varint, in no oneof
    kOpMessage,    // a singular message, in no oneof
    kOpLeaf,       // the same, of a leaf shape (see leaf())
  };
  // Whether a message of this shape holds nothing but a few singular
  // varints in no oneof, numbered 1 to 15 (google.protobuf.Timestamp): the
  // reader reads such a message inline, without entering it.
  bool leaf() const { return leaf_; }

  // Slots a read message of this shape takes: one a field, one a oneof.
  uint32_t node_size() const { return node_size_; }
  int oneof_count() const { return oneof_count_; }

 private:
  friend class WireShapeBuilder;
  friend class WireReader;
  friend class WireView;
  friend class WireMessage;
  explicit WireShape(const google::protobuf::Descriptor* descriptor);

  const Field* FindSparse(uint32_t number) const;

  const google::protobuf::Descriptor* descriptor_;
  std::vector<Field> fields_;
  // Fields by number, for numbers up to a bound (null: not declared).
  std::vector<const Field*> by_number_;
  // Fields by their one-byte tag (fields 1 to 15, each with its own wire
  // type); null for any other byte.
  const Field* by_tag_[128] = {};
  // by_number_, as the reader looks it up.
  const Field* const* dense_ = nullptr;
  uint32_t dense_size_ = 0;
  // Fields numbered past that bound, sorted by number.
  std::vector<const Field*> sparse_;
  // Slots of the repeated fields, in order.
  std::vector<uint32_t> repeated_slots_;
  uint32_t node_size_ = 0;
  int oneof_count_ = 0;
  bool leaf_ = false;
  // A message of this shape with no field given: the view of an absent
  // message.
  std::vector<WireSlot> empty_node_;
};

// A google.protobuf.Timestamp field as read: whether it was given, and its
// seconds and nanos as given (their ranges are not checked here).
struct WireTime {
  bool present = false;
  int64_t seconds = 0;
  int32_t nanos = 0;
};

// Sets of google::protobuf::FieldDescriptor::CppType, as bits: the field
// types each accessor of WireView reads.
namespace wire_types {
using FD = google::protobuf::FieldDescriptor;
constexpr uint32_t Bit(FD::CppType t) { return uint32_t{1} << t; }
inline constexpr uint32_t kBool = Bit(FD::CPPTYPE_BOOL);
inline constexpr uint32_t kInt32 =
    Bit(FD::CPPTYPE_INT32) | Bit(FD::CPPTYPE_ENUM);
inline constexpr uint32_t kInt64 = Bit(FD::CPPTYPE_INT64);
inline constexpr uint32_t kUInt32 = Bit(FD::CPPTYPE_UINT32);
inline constexpr uint32_t kUInt64 = Bit(FD::CPPTYPE_UINT64);
inline constexpr uint32_t kFloat = Bit(FD::CPPTYPE_FLOAT);
inline constexpr uint32_t kDouble = Bit(FD::CPPTYPE_DOUBLE);
inline constexpr uint32_t kString = Bit(FD::CPPTYPE_STRING);
inline constexpr uint32_t kMessage = Bit(FD::CPPTYPE_MESSAGE);
}  // namespace wire_types

// A message read from the protobuf wire format, or a message inside one:
// values are views into the bytes read, which must outlive the view and
// everything taken from it, as must the WireMessage that read them. A view
// is three pointers; copy it freely.
//
// Accessors take a field number (use the generated constants, e.g.
// v1::PurposeAllowedRequest::kPurposeFieldNumber). A field absent from the
// bytes reads as its proto3 default (0, false, "", an empty message); proto2
// default values are not applied. Calling an accessor with a number the
// message does not declare, of another type than the field's (Int32 for a
// string), singular for a repeated field or the other way round, or with an
// index out of range, is a programming error: it asserts in debug builds
// and reads the default value otherwise.
//
// Thread-safety: immutable; any number of threads may read one view.
class WireView {
 public:
  // A view of no message: it has no fields (every accessor asserts), and
  // descriptor() is null.
  WireView();

  const WireShape& shape() const { return *shape_; }

  // Whether a singular field was given in the bytes (even as its default
  // value, which protobuf's serializer writes only for a message or a proto3
  // `optional` field); for a repeated field, whether it has any value.
  bool Has(int number) const {
    const WireShape::Field* f = shape_->Find(static_cast<uint32_t>(number));
    if (ABSL_PREDICT_FALSE(f == nullptr)) {
      Misuse();
      return false;
    }
    return node_[f->slot].count != 0;
  }
  // The number of values of a repeated field (0 or 1 for a singular one).
  int Count(int number) const {
    const WireShape::Field* f = shape_->Find(static_cast<uint32_t>(number));
    if (ABSL_PREDICT_FALSE(f == nullptr)) {
      Misuse();
      return 0;
    }
    return static_cast<int>(node_[f->slot].count);
  }

  // Singular fields. Int32 reads int32, sint32, sfixed32 and enum fields
  // (an enum as its number, known to the schema or not); Int64 reads int64,
  // sint64 and sfixed64; UInt32 reads uint32 and fixed32; UInt64 reads
  // uint64 and fixed64; String reads string and bytes.
  bool Bool(int number) const { return Scalar(number, wire_types::kBool) != 0; }
  int32_t Int32(int number) const {
    return static_cast<int32_t>(Scalar(number, wire_types::kInt32));
  }
  int64_t Int64(int number) const {
    return static_cast<int64_t>(Scalar(number, wire_types::kInt64));
  }
  uint32_t UInt32(int number) const {
    return static_cast<uint32_t>(Scalar(number, wire_types::kUInt32));
  }
  uint64_t UInt64(int number) const {
    return Scalar(number, wire_types::kUInt64);
  }
  float Float(int number) const {
    return BitsToFloat(
        static_cast<uint32_t>(Scalar(number, wire_types::kFloat)));
  }
  double Double(int number) const {
    return BitsToDouble(Scalar(number, wire_types::kDouble));
  }
  absl::string_view String(int number) const {
    return ToString(Singular(number, wire_types::kString));
  }
  // A message field; an empty view of the field's message when absent.
  WireView Message(int number) const;
  // A google.protobuf.Timestamp field.
  WireTime Time(int number) const;

  // Value `i` (0 <= i < Count(number)) of a repeated field, in the order of
  // the bytes (for a repeated scalar, packed values in their order).
  bool BoolAt(int number, int i) const {
    return Item(number, i, wire_types::kBool).value != 0;
  }
  int32_t Int32At(int number, int i) const {
    return static_cast<int32_t>(Item(number, i, wire_types::kInt32).value);
  }
  int64_t Int64At(int number, int i) const {
    return static_cast<int64_t>(Item(number, i, wire_types::kInt64).value);
  }
  uint32_t UInt32At(int number, int i) const {
    return static_cast<uint32_t>(Item(number, i, wire_types::kUInt32).value);
  }
  uint64_t UInt64At(int number, int i) const {
    return Item(number, i, wire_types::kUInt64).value;
  }
  float FloatAt(int number, int i) const {
    return BitsToFloat(
        static_cast<uint32_t>(Item(number, i, wire_types::kFloat).value));
  }
  double DoubleAt(int number, int i) const {
    return BitsToDouble(Item(number, i, wire_types::kDouble).value);
  }
  absl::string_view StringAt(int number, int i) const {
    return ToString(Item(number, i, wire_types::kString));
  }
  WireView MessageAt(int number, int i) const;
  WireTime TimeAt(int number, int i) const;

  // The number of the member of oneof `oneof` (its index among the
  // message's oneofs, as in Descriptor::oneof_decl) that the bytes gave, or
  // 0 when they gave none. For pip.v1.EvalRequest, OneofCase() says which
  // request it holds.
  int OneofCase(int oneof = 0) const;

 private:
  friend class WireMessage;
  friend class WireReader;

  WireView(const WireShape* shape, const WireSlot* node, const WireSlot* table)
      : shape_(shape), node_(node), table_(table) {}

  // The view of the message whose slots start at table_[first].
  WireView Child(const WireShape* shape, uint64_t first) const {
    return WireView(shape, table_ + first, table_);
  }

  // The field numbered `number` when it is of a type in `types` and repeats
  // (or not) as `repeated` says; null, after asserting, otherwise.
  const WireShape::Field* Typed(int number, uint32_t types,
                                bool repeated) const {
    const WireShape::Field* f = shape_->Find(static_cast<uint32_t>(number));
    if (ABSL_PREDICT_FALSE(
            f == nullptr || f->repeated != repeated ||
            (wire_types::Bit(
                 static_cast<wire_types::FD::CppType>(f->cpp_type)) &
             types) == 0)) {
      Misuse();
      return nullptr;
    }
    return f;
  }
  const WireSlot& Singular(int number, uint32_t types) const {
    const WireShape::Field* f = Typed(number, types, /*repeated=*/false);
    return f == nullptr ? kNoSlot : node_[f->slot];
  }
  uint64_t Scalar(int number, uint32_t types) const {
    return Singular(number, types).value;
  }
  const WireSlot& Item(int number, int i, uint32_t types) const {
    const WireShape::Field* f = Typed(number, types, /*repeated=*/true);
    if (f == nullptr) return kNoSlot;
    const WireSlot& s = node_[f->slot];
    if (ABSL_PREDICT_FALSE(i < 0 || static_cast<uint32_t>(i) >= s.count)) {
      Misuse();
      return kNoSlot;
    }
    return table_[s.value + static_cast<uint32_t>(i)];
  }
  WireTime TimeOf(const WireShape::Field* f, const WireSlot& slot) const;

  static absl::string_view ToString(const WireSlot& s) {
    return absl::string_view(
        reinterpret_cast<const char*>(static_cast<uintptr_t>(s.value)), s.size);
  }
  static float BitsToFloat(uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  static double BitsToDouble(uint64_t bits) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  // A programming error of the caller: asserts (the accessor then reads
  // the default value).
  static void Misuse() {
    assert(false && "WireView accessor does not match the field");
  }

  // What an accessor reads on a programming error: the default value.
  static constexpr WireSlot kNoSlot{};

  const WireShape* shape_;
  // This message's slots: one a field, in the descriptor's order, then one
  // a oneof.
  const WireSlot* node_;
  // The read's whole table, which slots index into.
  const WireSlot* table_;
};

// An array of trivially copyable T that holds N elements inline and grows
// on the heap (in doublings, kept for the next use), and that leaves what
// it appends uninitialized. The storage of WireMessage and its reader.
template <typename T, size_t N>
class WireBuffer {
 public:
  WireBuffer() = default;
  WireBuffer(const WireBuffer&) = delete;
  WireBuffer& operator=(const WireBuffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  // Keeps the first n <= size() elements.
  void Truncate(size_t n) { size_ = n; }
  // Appends n uninitialized elements; the index of the first.
  size_t Append(size_t n) {
    if (ABSL_PREDICT_FALSE(capacity_ - size_ < n)) Grow(n);
    const size_t at = size_;
    size_ += n;
    return at;
  }
  // Appends n zeroed elements; the index of the first. A few are zeroed
  // with inline stores rather than a call.
  size_t AppendZeroed(size_t n) {
    constexpr size_t kFew = 4;
    constexpr size_t kSome = 12;
    const size_t at = size_;
    if (ABSL_PREDICT_TRUE(n <= kFew && capacity_ - size_ >= kFew)) {
      // Zeroes kFew, of which those past n stay outside the array.
      for (size_t i = 0; i < kFew; ++i) data_[at + i] = T{};
    } else if (ABSL_PREDICT_TRUE(n <= kSome && capacity_ - size_ >= kSome)) {
      for (size_t i = 0; i < kSome; ++i) data_[at + i] = T{};
    } else {
      if (capacity_ - size_ < n) Grow(n);
      std::memset(static_cast<void*>(data_ + at), 0, n * sizeof(T));
    }
    size_ += n;
    return at;
  }
  void Push(const T& value) {
    if (ABSL_PREDICT_FALSE(size_ == capacity_)) Grow(1);
    data_[size_++] = value;
  }

 private:
  ABSL_ATTRIBUTE_NOINLINE void Grow(size_t n) {
    const size_t capacity = std::max(capacity_ * 2, size_ + n);
    std::unique_ptr<T[]> bigger(new T[capacity]);
    std::memcpy(bigger.get(), data_, size_ * sizeof(T));
    heap_ = std::move(bigger);
    data_ = heap_.get();
    capacity_ = capacity;
  }

  T* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = N;
  std::unique_ptr<T[]> heap_;
  T inline_[N];
};

// A message read whole from bytes: the owner of the table its views index
// into, and the view of the outermost message. It neither copies nor moves
// (its views point into it); one object may Read again and again, which
// invalidates the views taken before.
//
// A typical request (a few strings, a few nested messages) fits in the
// object; a larger one spills to the heap, in proportion to its bytes.
class WireMessage : public WireView {
 public:
  WireMessage() = default;
  WireMessage(const WireMessage&) = delete;
  WireMessage& operator=(const WireMessage&) = delete;

  // Reads `bytes` as a message of `shape`, every nested message included,
  // into `*out`, whose views then point into `bytes`. Work and memory are
  // linear in the size of `bytes`.
  //
  // Returns InvalidArgumentError, naming the field by its path of proto
  // field names ("consents[1].granted_at: ...", "purpose: ..."), for:
  //   - a field number the message does not declare ("a field unknown to
  //     pip.v1.Consent (number 10)"): a field a newer caller relies on must
  //     never be dropped silently;
  //   - a declared field given with another wire type than its own, or as a
  //     group (proto2 groups are not read);
  //   - a singular field given twice, or two members of one oneof ("given
  //     twice");
  //   - a string field that is not valid UTF-8 (as protobuf judges it);
  //   - truncated or malformed bytes: a varint past the end or of more than
  //     10 bytes, a tag of more than 32 bits, a length past the end, field
  //     number 0, wire type 6 or 7, packed fixed-size values whose length is
  //     not a multiple of their size;
  //   - messages nested deeper than kMaxWireDepth;
  //   - more than 2^31 - 1 bytes (protobuf's own limit).
  // Accepts everything else protobuf accepts for the shape: fields in any
  // order, non-minimal varints, tags and lengths (as protobuf bounds them),
  // a bool as any varint, an int32 as a sign-extended 10-byte varint or as
  // a longer value truncated to 32 bits, empty strings and messages, packed
  // and unpacked repeated scalars (mixed, too). A map field reads as its
  // repeated entries (key = 1, value = 2); a key given in two entries is
  // not detected. Extensions are unknown fields.
  //
  // On error, `*out` reads as an empty message of `shape`. Thread-safe for
  // distinct `out`s.
  static absl::Status Read(const WireShape& shape, absl::string_view bytes,
                           WireMessage* out);

 private:
  friend class WireReader;
  // Room for a request with a few nested messages and repeated values.
  static constexpr size_t kInlineSlots = 64;
  WireBuffer<WireSlot, kInlineSlots> table_storage_;
};

// Inline: resolution reads every request's times through these.
inline WireTime WireView::TimeOf(const WireShape::Field* f,
                                 const WireSlot& slot) const {
  if (ABSL_PREDICT_FALSE(!f->timestamp)) {
    Misuse();
    return WireTime();
  }
  WireTime t;
  if (slot.count == 0) return t;
  const WireSlot* fields = table_ + slot.value;
  t.present = true;
  t.seconds = static_cast<int64_t>(fields[0].value);
  t.nanos = static_cast<int32_t>(fields[1].value);
  return t;
}

inline WireTime WireView::Time(int number) const {
  const WireShape::Field* f = Typed(number, wire_types::kMessage, false);
  if (f == nullptr) return WireTime();
  return TimeOf(f, node_[f->slot]);
}

inline WireTime WireView::TimeAt(int number, int i) const {
  const WireShape::Field* f = Typed(number, wire_types::kMessage, true);
  if (f == nullptr) return WireTime();
  const WireSlot& s = node_[f->slot];
  if (ABSL_PREDICT_FALSE(i < 0 || static_cast<uint32_t>(i) >= s.count)) {
    Misuse();
    return WireTime();
  }
  return TimeOf(f, table_[s.value + static_cast<uint32_t>(i)]);
}

}  // namespace codec_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_WIRE_VIEW_H_
