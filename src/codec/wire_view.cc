#include "src/codec/wire_view.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/base/internal/endian.h"
#include "absl/container/flat_hash_map.h"
#include "absl/numeric/bits.h"
#include "absl/strings/str_cat.h"
#include "src/internal/contract_name.h"
#include "src/internal/message_checks.h"

namespace pip {
namespace codec_internal {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;
constexpr uint32_t kStartGroup = 3;
constexpr uint32_t kFixed32 = 5;

// Field numbers up to this one are found by indexing a table; larger ones
// (rare, and up to 2^29 - 1) by binary search.
constexpr uint32_t kMaxDenseNumber = 1024;

}  // namespace

// Builds shapes into the process's cache. Every method runs under the
// cache's lock.
class WireShapeBuilder {
 public:
  using Cache =
      absl::flat_hash_map<const Descriptor*, std::unique_ptr<WireShape>>;

  // The shape of `descriptor`, from `cache` or built into it with every
  // shape it refers to. A message that refers to itself (directly or not)
  // finds its own shape in the cache while it is being built.
  // Every shape it builds is added to `built`, for Finish.
  static const WireShape* Build(const Descriptor* descriptor, Cache* cache,
                                std::vector<WireShape*>* built) {
    auto it = cache->find(descriptor);
    if (it != cache->end()) return it->second.get();
    WireShape* shape = new WireShape(descriptor);
    cache->emplace(descriptor, std::unique_ptr<WireShape>(shape));
    built->push_back(shape);

    const int n = descriptor->field_count();
    // Reserved so that the pointers of by_number_ and sparse_ stay put.
    shape->fields_.reserve(static_cast<size_t>(n));
    uint32_t max_number = 0;
    for (int i = 0; i < n; ++i) {
      const FieldDescriptor* fd = descriptor->field(i);
      WireShape::Field f{};
      f.descriptor = fd;
      f.number = static_cast<uint32_t>(fd->number());
      f.slot = static_cast<uint32_t>(i);
      f.oneof = fd->real_containing_oneof() != nullptr
                    ? fd->real_containing_oneof()->index()
                    : -1;
      f.cpp_type = static_cast<uint8_t>(fd->cpp_type());
      f.op = WireShape::kOpGeneral;
      f.repeated = fd->is_repeated();
      f.packable = fd->is_packable();
      SetKind(fd, &f);
      if (fd->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        f.message = Build(fd->message_type(), cache, built);
        f.timestamp = IsTimestamp(fd->message_type());
      }
      max_number = std::max(max_number, f.number);
      shape->fields_.push_back(f);
    }

    shape->by_number_.assign(std::min(max_number, kMaxDenseNumber) + 1,
                             nullptr);
    for (const WireShape::Field& f : shape->fields_) {
      if (f.number < shape->by_number_.size()) {
        shape->by_number_[f.number] = &f;
      } else {
        shape->sparse_.push_back(&f);
      }
      if (f.repeated) shape->repeated_slots_.push_back(f.slot);
      // A group's tag is left to the long way, which refuses it.
      if (f.number < 16 && f.kind != WireShape::Kind::kGroup) {
        shape->by_tag_[f.number << 3 | f.wire_type] = &f;
      }
    }
    shape->dense_ = shape->by_number_.data();
    shape->dense_size_ = static_cast<uint32_t>(shape->by_number_.size());
    std::sort(shape->sparse_.begin(), shape->sparse_.end(),
              [](const WireShape::Field* a, const WireShape::Field* b) {
                return a->number < b->number;
              });
    shape->oneof_count_ = descriptor->real_oneof_decl_count();
    for (WireShape::Field& f : shape->fields_) {
      if (f.oneof >= 0) f.oneof_slot = static_cast<uint32_t>(n + f.oneof);
    }
    shape->node_size_ = static_cast<uint32_t>(n + shape->oneof_count_);
    shape->empty_node_.assign(std::max<size_t>(shape->node_size_, 1),
                              WireSlot{});
    return shape;
  }

  // Completes the shapes Build built, once every shape they refer to is
  // built: which are leaves, then how the reader takes each field.
  static void Finish(const std::vector<WireShape*>& built) {
    using Kind = WireShape::Kind;
    for (WireShape* shape : built) {
      bool leaf = shape->oneof_count_ == 0 && shape->node_size_ <= 4;
      for (const WireShape::Field& f : shape->fields_) {
        leaf = leaf && !f.repeated && f.wire_type == kVarint &&
               f.number < 16 && f.kind != Kind::kGroup;
      }
      shape->leaf_ = leaf;
    }
    for (WireShape* shape : built) {
      for (WireShape::Field& f : shape->fields_) f.op = OpOf(f);
    }
  }

  // The shape of no message, for a default-constructed view.
  static const WireShape& None() {
    static const WireShape* const none = [] {
      WireShape* shape = new WireShape(nullptr);
      shape->by_number_.assign(1, nullptr);
      shape->dense_ = shape->by_number_.data();
      shape->dense_size_ = 1;
      shape->empty_node_.assign(1, WireSlot{});
      return shape;
    }();
    return *none;
  }

 private:
  static uint8_t OpOf(const WireShape::Field& f) {
    using Kind = WireShape::Kind;
    if (f.repeated) {
      if (f.kind == Kind::kString) return WireShape::kOpStrings;
      if (f.kind == Kind::kBytes) return WireShape::kOpBytesList;
      return WireShape::kOpGeneral;
    }
    if (f.oneof >= 0) return WireShape::kOpGeneral;
    switch (f.kind) {
      case Kind::kString:
        return WireShape::kOpString;
      case Kind::kBytes:
        return WireShape::kOpBytes;
      case Kind::kMessage:
        return f.message->leaf_ ? WireShape::kOpLeaf : WireShape::kOpMessage;
      case Kind::kGroup:
      case Kind::kFixed32:
      case Kind::kSFixed32:
      case Kind::kFixed64:
        return WireShape::kOpGeneral;
      default:
        return WireShape::kOpVarint;
    }
  }

  static void SetKind(const FieldDescriptor* fd, WireShape::Field* f) {
    using Kind = WireShape::Kind;
    switch (fd->type()) {
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_ENUM:
        f->kind = Kind::kInt32;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_SINT32:
        f->kind = Kind::kSInt32;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_UINT32:
        f->kind = Kind::kUInt32;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_UINT64:
        f->kind = Kind::kInt64;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_SINT64:
        f->kind = Kind::kSInt64;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_BOOL:
        f->kind = Kind::kBool;
        f->wire_type = kVarint;
        return;
      case FieldDescriptor::TYPE_FIXED32:
      case FieldDescriptor::TYPE_FLOAT:
        f->kind = Kind::kFixed32;
        f->wire_type = kFixed32;
        return;
      case FieldDescriptor::TYPE_SFIXED32:
        f->kind = Kind::kSFixed32;
        f->wire_type = kFixed32;
        return;
      case FieldDescriptor::TYPE_FIXED64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_DOUBLE:
        f->kind = Kind::kFixed64;
        f->wire_type = kFixed64;
        return;
      case FieldDescriptor::TYPE_STRING:
        f->kind = Kind::kString;
        f->wire_type = kLengthDelimited;
        return;
      case FieldDescriptor::TYPE_BYTES:
        f->kind = Kind::kBytes;
        f->wire_type = kLengthDelimited;
        return;
      case FieldDescriptor::TYPE_MESSAGE:
        f->kind = Kind::kMessage;
        f->wire_type = kLengthDelimited;
        return;
      case FieldDescriptor::TYPE_GROUP:
        f->kind = Kind::kGroup;
        f->wire_type = kStartGroup;
        return;
    }
  }

  // google.protobuf.Timestamp as WireView::Time reads it: seconds in the
  // first slot, nanos in the second.
  static bool IsTimestamp(const Descriptor* d) {
    return d->full_name() == "google.protobuf.Timestamp" &&
           d->field_count() == 2 && d->field(0)->number() == 1 &&
           d->field(0)->type() == FieldDescriptor::TYPE_INT64 &&
           d->field(1)->number() == 2 &&
           d->field(1)->type() == FieldDescriptor::TYPE_INT32 &&
           !d->field(0)->is_repeated() && !d->field(1)->is_repeated();
  }
};

WireShape::WireShape(const Descriptor* descriptor) : descriptor_(descriptor) {}

const WireShape& WireShape::Of(const Descriptor* descriptor) {
  static std::mutex* const mu = new std::mutex;
  static WireShapeBuilder::Cache* const cache = new WireShapeBuilder::Cache;
  std::lock_guard<std::mutex> lock(*mu);
  std::vector<WireShape*> built;
  const WireShape* shape = WireShapeBuilder::Build(descriptor, cache, &built);
  WireShapeBuilder::Finish(built);
  return *shape;
}

const WireShape::Field* WireShape::FindSparse(uint32_t number) const {
  auto it = std::lower_bound(
      sparse_.begin(), sparse_.end(), number,
      [](const Field* f, uint32_t n) { return f->number < n; });
  return it != sparse_.end() && (*it)->number == number ? *it : nullptr;
}

// ---------------------------------------------------------------------------

namespace {

// Eight bytes of the input loaded at any point of it, the last seven
// included: near its end, from a copy of its last bytes followed by zeros.
class Words {
 public:
  Words(const uint8_t* begin, const uint8_t* end) : end_(end) {
    const size_t n = std::min<size_t>(static_cast<size_t>(end - begin), 8);
    tail_begin_ = end - n;
    if (n == 8) {
      std::memcpy(tail_, tail_begin_, 8);
    } else {
      for (size_t i = 0; i < n; ++i) tail_[i] = tail_begin_[i];
    }
  }
  // The eight bytes at p (of the input), as a little-endian word; bytes past
  // the input's end read as 0.
  uint64_t Load(const uint8_t* p) const {
    if (ABSL_PREDICT_TRUE(end_ - p >= 8)) return absl::little_endian::Load64(p);
    return absl::little_endian::Load64(tail_ + (p - tail_begin_));
  }

 private:
  const uint8_t* const end_;
  const uint8_t* tail_begin_;
  uint8_t tail_[16] = {};
};

// A varint of at most 10 bytes (protobuf's bound) in [p, end), its bits past
// the 64th dropped as protobuf drops them; null when it runs past `end` or
// on. `words` loads the input p is in.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline const uint8_t* ReadVarintInline(
    const uint8_t* p, const uint8_t* end, const Words& words,
    uint64_t* value) {
  // Eight bytes loaded at once: the first without its high bit ends the
  // varint; its 7-bit groups are then packed together pairwise, in three
  // steps, with no branch (a timestamp's seconds take five bytes).
  uint64_t w = words.Load(p);
  const uint64_t stops = ~w & 0x8080808080808080u;
  if (ABSL_PREDICT_TRUE(stops != 0)) {
    const int last_bit = absl::countr_zero(stops);  // 8 * length - 1
    w &= ~uint64_t{0} >> (63 - last_bit);
    w = ((w & 0x7f007f007f007f00u) >> 1) | (w & 0x007f007f007f007fu);
    w = ((w & 0x3fff00003fff0000u) >> 2) | (w & 0x00003fff00003fffu);
    w = ((w & 0x0fffffff00000000u) >> 4) | (w & 0x000000000fffffffu);
    p += (last_bit >> 3) + 1;
    // Past `end`: truncated (the zeros past the input's end stop a varint
    // there too).
    if (ABSL_PREDICT_FALSE(p > end)) return nullptr;
    *value = w;
    return p;
  }
  // Nine or ten bytes (a negative int32 or int64).
  uint64_t v = 0;
  for (int i = 0; i < 10; ++i) {
    if (ABSL_PREDICT_FALSE(p == end)) return nullptr;
    const uint8_t byte = *p++;
    v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *value = v;
      return p;
    }
  }
  return nullptr;
}

ABSL_ATTRIBUTE_NOINLINE const uint8_t* ReadVarintSlow(const uint8_t* p,
                                                      const uint8_t* end,
                                                      const Words& words,
                                                      uint64_t* value) {
  return ReadVarintInline(p, end, words, value);
}

inline const uint8_t* ReadVarint(const uint8_t* p, const uint8_t* end,
                                 const Words& words, uint64_t* value) {
  if (ABSL_PREDICT_TRUE(p < end && *p < 0x80)) {
    *value = *p;
    return p + 1;
  }
  return ReadVarintSlow(p, end, words, value);
}

// A varint of at most 5 bytes whose value is below `limit`: a tag (below
// 2^32) or a length (below 2^31), as protobuf bounds them. Null otherwise.
const uint8_t* ReadVarint32(const uint8_t* p, const uint8_t* end,
                            uint64_t limit, uint32_t* value) {
  uint64_t v = 0;
  for (int i = 0; i < 5; ++i) {
    if (ABSL_PREDICT_FALSE(p == end)) return nullptr;
    const uint8_t byte = *p++;
    v |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      if (ABSL_PREDICT_FALSE(v >= limit)) return nullptr;
      *value = static_cast<uint32_t>(v);
      return p;
    }
  }
  return nullptr;
}

// The length of a length-delimited field, which must fit in [p, end).
inline const uint8_t* ReadLength(const uint8_t* p, const uint8_t* end,
                                 uint32_t* n) {
  if (ABSL_PREDICT_TRUE(p < end && *p < 0x80)) {
    *n = *p++;
  } else {
    p = ReadVarint32(p, end, uint64_t{1} << 31, n);
    if (p == nullptr) return nullptr;
  }
  return *n <= static_cast<size_t>(end - p) ? p : nullptr;
}

// internal::IsUtf8, with plain ASCII (ids nearly always are) decided eight
// bytes at a time.
inline bool IsUtf8(const uint8_t* p, uint32_t n) {
  uint64_t any = 0;
  if (n >= 8) {
    // Whole words, the last one overlapping the one before.
    for (uint32_t i = 0; i + 8 < n; i += 8) {
      any |= absl::little_endian::Load64(p + i);
    }
    any |= absl::little_endian::Load64(p + n - 8);
  } else if (n >= 4) {
    any =
        absl::little_endian::Load32(p) | absl::little_endian::Load32(p + n - 4);
  } else {
    for (uint32_t i = 0; i < n; ++i) any |= p[i];
  }
  if (ABSL_PREDICT_TRUE((any & 0x8080808080808080u) == 0)) return true;
  return internal::IsUtf8(
      absl::string_view(reinterpret_cast<const char*>(p), n));
}

// IsUtf8, with a string of up to 8 bytes (most ids) in one load: the n
// bytes at p, in the input `words` loads.
inline bool IsUtf8(const uint8_t* p, uint32_t n, const Words& words) {
  if (ABSL_PREDICT_TRUE(n <= 8)) {
    // The bytes after the string (tags, lengths, ASCII) seldom have their
    // high bit set either: then no mask is needed.
    const uint64_t high = words.Load(p) & 0x8080808080808080u;
    if (ABSL_PREDICT_TRUE(high == 0)) return true;
    const uint64_t mask = n == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * n)) - 1;
    if ((high & mask) == 0) return true;
  }
  return IsUtf8(p, n);
}

// A varint's value as the field's accessor returns it (WireSlot::value).
inline uint64_t Widen(WireShape::Kind kind, uint64_t v) {
  using Kind = WireShape::Kind;
  switch (kind) {
    case Kind::kInt32:
      return static_cast<uint64_t>(
          static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v))));
    case Kind::kSInt32: {
      const uint32_t u = static_cast<uint32_t>(v);
      const int32_t d = static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
      return static_cast<uint64_t>(static_cast<int64_t>(d));
    }
    case Kind::kUInt32:
      return v & 0xffffffffu;
    case Kind::kSInt64:
      return (v >> 1) ^ (~(v & 1) + 1);
    case Kind::kBool:
      return v != 0;
    default:
      return v;
  }
}

inline uint64_t Fixed32(WireShape::Kind kind, const uint8_t* p) {
  const uint32_t v = absl::little_endian::Load32(p);
  if (kind == WireShape::Kind::kSFixed32) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v)));
  }
  return v;
}

// Why a read failed.
enum class Problem {
  kUnknownField,  // detail: the field number
  kBadTag,
  kWireType,  // detail: the wire type given
  kGivenTwice,
  kOneofTwice,  // detail: the number of the member given before
  kNotUtf8,
  kBadVarint,
  kLengthPastEnd,
  kFixedPastEnd,  // detail: 4 or 8
  kPackedLength,  // detail: 4 or 8
  kBadPackedVarint,
  kGroup,
  kTooDeep,
  kTooManySlots,
};

}  // namespace

// One read of a message tree into a WireMessage's table, in one pass over
// the bytes. A message's fields get one slot each, allocated when the
// message starts; a singular field's value goes straight into its slot. The
// values of a repeated field may come apart (other fields, or whole nested
// messages, in between), so they wait in `pending_` until their message
// ends, and are then laid out together, field by field, after everything
// the message holds. Each value is so moved once.
class WireReader {
 public:
  // A reader of the input [begin, end), into `table`.
  WireReader(const uint8_t* begin, const uint8_t* end,
             WireBuffer<WireSlot, WireMessage::kInlineSlots>* table)
      : words_(begin, end), table_(table) {}

  // Reads the message of `root` in [p, input_end), every message in it
  // included, into the slots at table_[0] (allocated, zeroed). On false,
  // Error() says why.
  bool Read(const WireShape& root, const uint8_t* p, const uint8_t* input_end);

  absl::Status Error() const;

 private:
  // A repeated value waiting for its message to end.
  struct Pending {
    uint64_t value;
    uint32_t size;
    uint32_t slot;  // the field's slot, in the table
  };

  // Appends the zeroed slots of a message of `shape`; false (after Fail)
  // past what the table indexes.
  bool NewNode(const WireShape& shape, size_t* node) {
    const uint32_t n = shape.node_size();
    if (ABSL_PREDICT_FALSE(table_->size() + n >
                           std::numeric_limits<uint32_t>::max())) {
      return Fail(Problem::kTooManySlots, shape, nullptr, -1, 0);
    }
    *node = table_->AppendZeroed(n);
    return true;
  }

  // Checks that the singular field `f` was not given yet, nor another
  // member of its oneof, and marks it given.
  bool Claim(const WireShape& shape, WireSlot* slots,
             const WireShape::Field& f) {
    if (ABSL_PREDICT_FALSE(slots[f.slot].count != 0)) {
      return Fail(Problem::kGivenTwice, shape, &f, -1, 0);
    }
    slots[f.slot].count = 1;
    if (f.oneof >= 0) {
      WireSlot& which = slots[f.oneof_slot];
      if (ABSL_PREDICT_FALSE(which.value != 0)) {
        return Fail(Problem::kOneofTwice, shape, &f, -1, which.value);
      }
      which.value = f.number;
    }
    return true;
  }

  // The field of the tag at p that the one-byte lookup did not find, and
  // where its value starts; or no field, and where the packed values the
  // tag led to end (null on failure).
  struct Tag {
    const WireShape::Field* field;
    const uint8_t* next;
  };
  ABSL_ATTRIBUTE_NOINLINE Tag SlowTag(const WireShape& shape, size_t node,
                                      const uint8_t* p, const uint8_t* end);

  void Push(size_t node, const WireShape::Field& f, uint64_t value,
            uint32_t size) {
    const size_t slot = node + f.slot;
    pending_.Push(Pending{value, size, static_cast<uint32_t>(slot)});
    ++table_->data()[slot].count;
  }

  // Lays out the repeated values of the message at `node`: pending_ from
  // `first` on.
  void Finish(const WireShape& shape, size_t node, size_t first);

  const uint8_t* ReadPacked(const WireShape& shape, size_t node,
                            const WireShape::Field& f, const uint8_t* p,
                            const uint8_t* end);

  int Index(size_t node, const WireShape::Field& f) const {
    return static_cast<int>(table_->data()[node + f.slot].count);
  }

  // Records why the read failed, in a message of `shape` at field `f` (its
  // value `index`, when repeated and index >= 0), and returns false.
  ABSL_ATTRIBUTE_NOINLINE bool Fail(Problem problem, const WireShape& shape,
                                    const WireShape::Field* f, int index,
                                    uint64_t detail);
  // Adds field `f` (value `index`) to the path, on the way out.
  ABSL_ATTRIBUTE_NOINLINE void AddStep(const WireShape::Field& f, int index);

  // Why the read failed: allocated on failure only.
  struct Failure {
    std::string what;
    // The failed field's path, innermost first.
    std::vector<std::string> path;
  };

  const Words words_;
  WireBuffer<WireSlot, WireMessage::kInlineSlots>* table_;
  WireBuffer<Pending, 32> pending_;
  std::unique_ptr<Failure> failure_;
};

WireReader::Tag WireReader::SlowTag(const WireShape& shape, size_t node,
                                    const uint8_t* p, const uint8_t* end) {
  uint32_t tag;
  p = ReadVarint32(p, end, uint64_t{1} << 32, &tag);
  if (ABSL_PREDICT_FALSE(p == nullptr)) {
    Fail(Problem::kBadTag, shape, nullptr, -1, 0);
    return {nullptr, nullptr};
  }
  const WireShape::Field* f = shape.Find(tag >> 3);
  if (ABSL_PREDICT_FALSE(f == nullptr)) {
    Fail(Problem::kUnknownField, shape, nullptr, -1, tag >> 3);
    return {nullptr, nullptr};
  }
  const uint32_t wire_type = tag & 7;
  if (ABSL_PREDICT_TRUE(wire_type == f->wire_type)) return {f, p};
  if (wire_type == kLengthDelimited && f->packable) {
    return {nullptr, ReadPacked(shape, node, *f, p, end)};
  }
  Fail(Problem::kWireType, shape, f, Index(node, *f), wire_type);
  return {nullptr, nullptr};
}

bool WireReader::Read(const WireShape& root, const uint8_t* p,
                      const uint8_t* const input_end) {
  // The messages being read around the current one, outermost first: a
  // loop rather than a recursion, so that entering a message costs a few
  // stores rather than a call.
  struct Frame {
    const WireShape* shape;
    const uint8_t* end;
    size_t node;
    size_t first_pending;
    const WireShape::Field* field;  // of the message inside, being read
    int index;                      // its value's index, when repeated
  };
  Frame outer[kMaxWireDepth];
  int depth = 0;  // frames in `outer`
  const auto unwind = [&] {
    for (int i = depth - 1; i >= 0; --i)
      AddStep(*outer[i].field, outer[i].index);
    return false;
  };

  const WireShape* shape = &root;
  const uint8_t* end = input_end;
  size_t node = 0;
  size_t first_pending = 0;
  for (;;) {
    while (p < end) {
      // A one-byte tag of a field given with its own wire type (the tags
      // protobuf writes for fields 1 to 15) is looked up at once; anything
      // else takes the long way.
      const uint8_t byte = *p;
      const WireShape::Field* fp = shape->by_tag_[byte & 0x7f];
      if (ABSL_PREDICT_TRUE(byte < 0x80 && fp != nullptr)) {
        // The common kinds of field, read the short way; anything out of
        // the ordinary (a length of more than one byte, a second value, a
        // string not ASCII, ...) leaves p at the tag for the general way
        // below, which reads the field again and judges it.
        const WireShape::Field& f = *fp;
        const uint8_t* q = p + 1;
        switch (f.op) {
          case WireShape::kOpString:
          case WireShape::kOpBytes:
          case WireShape::kOpStrings:
          case WireShape::kOpBytesList: {
            if (ABSL_PREDICT_FALSE(q == end || *q >= 0x80)) break;
            const uint32_t n = *q++;
            if (ABSL_PREDICT_FALSE(n > static_cast<size_t>(end - q))) break;
            if (f.op != WireShape::kOpBytes && f.op != WireShape::kOpBytesList &&
                ABSL_PREDICT_FALSE(!IsUtf8(q, n, words_))) {
              break;
            }
            const uint64_t value =
                static_cast<uint64_t>(reinterpret_cast<uintptr_t>(q));
            if (f.op == WireShape::kOpString || f.op == WireShape::kOpBytes) {
              WireSlot& s = table_->data()[node + f.slot];
              if (ABSL_PREDICT_FALSE(s.count != 0)) break;
              s = WireSlot{value, n, 1};
            } else {
              Push(node, f, value, n);
            }
            p = q + n;
            continue;
          }
          case WireShape::kOpVarint: {
            WireSlot& s = table_->data()[node + f.slot];
            if (ABSL_PREDICT_FALSE(s.count != 0)) break;
            uint64_t v;
            q = ReadVarint(q, end, words_, &v);
            if (ABSL_PREDICT_FALSE(q == nullptr)) break;
            s = WireSlot{Widen(f.kind, v), 0, 1};
            p = q;
            continue;
          }
          case WireShape::kOpLeaf: {
            if (ABSL_PREDICT_FALSE(q == end || *q >= 0x80)) break;
            const uint32_t n = *q++;
            if (ABSL_PREDICT_FALSE(n > static_cast<size_t>(end - q))) break;
            if (ABSL_PREDICT_FALSE(table_->data()[node + f.slot].count != 0 ||
                                   depth + 1 >= kMaxWireDepth)) {
              break;
            }
            // The leaf's fields, read straight into its slots.
            const WireShape& leaf = *f.message;
            const size_t child = table_->size();
            if (ABSL_PREDICT_FALSE(child + leaf.node_size() >
                                   std::numeric_limits<uint32_t>::max())) {
              break;
            }
            table_->AppendZeroed(leaf.node_size());
            WireSlot* const leaf_slots = table_->data() + child;
            const uint8_t* const stop = q + n;
            bool read = true;
            while (q < stop) {
              const uint8_t b = *q;
              const WireShape::Field* lf = leaf.by_tag_[b & 0x7f];
              uint64_t v;
              if (ABSL_PREDICT_FALSE(b >= 0x80 || lf == nullptr ||
                                     leaf_slots[lf->slot].count != 0 ||
                                     (q = ReadVarintInline(q + 1, stop, words_,
                                                           &v)) == nullptr)) {
                read = false;
                break;
              }
              leaf_slots[lf->slot] = WireSlot{Widen(lf->kind, v), 0, 1};
            }
            if (ABSL_PREDICT_FALSE(!read)) {
              table_->Truncate(child);
              break;
            }
            table_->data()[node + f.slot] = WireSlot{child, 0, 1};
            p = stop;
            continue;
          }
          case WireShape::kOpMessage: {
            if (ABSL_PREDICT_FALSE(q == end || *q >= 0x80)) break;
            const uint32_t n = *q++;
            if (ABSL_PREDICT_FALSE(n > static_cast<size_t>(end - q))) break;
            WireSlot& s = table_->data()[node + f.slot];
            if (ABSL_PREDICT_FALSE(s.count != 0 ||
                                   depth + 1 >= kMaxWireDepth ||
                                   table_->size() + f.message->node_size() >
                                       std::numeric_limits<uint32_t>::max())) {
              break;
            }
            s.count = 1;
            const size_t child = table_->AppendZeroed(f.message->node_size());
            outer[depth++] = Frame{shape, end, node, first_pending, &f, 0};
            shape = f.message;
            end = q + n;
            node = child;
            first_pending = pending_.size();
            p = q;
            continue;
          }
          default:
            break;
        }
        ++p;
      } else {
        const Tag t = SlowTag(*shape, node, p, end);
        fp = t.field;
        p = t.next;
        if (fp == nullptr) {
          if (ABSL_PREDICT_FALSE(p == nullptr)) return unwind();
          continue;  // packed values, read
        }
      }
      const WireShape::Field& f = *fp;
      uint64_t value;
      uint32_t size = 0;
      switch (f.wire_type) {
        case kLengthDelimited: {
          uint32_t n;
          p = ReadLength(p, end, &n);
          if (ABSL_PREDICT_FALSE(p == nullptr)) {
            Fail(Problem::kLengthPastEnd, *shape, &f, Index(node, f), 0);
            return unwind();
          }
          if (f.kind == WireShape::Kind::kMessage) {
            // Enters the message: its slots, then its fields.
            const int index = Index(node, f);
            if (!f.repeated &&
                ABSL_PREDICT_FALSE(!Claim(*shape, table_->data() + node, f))) {
              return unwind();
            }
            if (ABSL_PREDICT_FALSE(depth + 1 >= kMaxWireDepth)) {
              Fail(Problem::kTooDeep, *shape, &f, index, 0);
              return unwind();
            }
            size_t child = 0;
            if (ABSL_PREDICT_FALSE(!NewNode(*f.message, &child))) {
              AddStep(f, index);
              return unwind();
            }
            outer[depth++] = Frame{shape, end, node, first_pending, &f, index};
            shape = f.message;
            end = p + n;
            node = child;
            first_pending = pending_.size();
            continue;
          }
          if (f.kind == WireShape::Kind::kString &&
              ABSL_PREDICT_FALSE(!IsUtf8(p, n, words_))) {
            Fail(Problem::kNotUtf8, *shape, &f, Index(node, f), 0);
            return unwind();
          }
          value = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
          size = n;
          p += n;
          break;
        }
        case kVarint:
          p = ReadVarint(p, end, words_, &value);
          if (ABSL_PREDICT_FALSE(p == nullptr)) {
            Fail(Problem::kBadVarint, *shape, &f, Index(node, f), 0);
            return unwind();
          }
          value = Widen(f.kind, value);
          break;
        case kFixed64:
          if (ABSL_PREDICT_FALSE(end - p < 8)) {
            Fail(Problem::kFixedPastEnd, *shape, &f, Index(node, f), 8);
            return unwind();
          }
          value = absl::little_endian::Load64(p);
          p += 8;
          break;
        case kFixed32:
          if (ABSL_PREDICT_FALSE(end - p < 4)) {
            Fail(Problem::kFixedPastEnd, *shape, &f, Index(node, f), 4);
            return unwind();
          }
          value = Fixed32(f.kind, p);
          p += 4;
          break;
        default:
          Fail(Problem::kGroup, *shape, &f, Index(node, f), 0);
          return unwind();
      }
      if (f.repeated) {
        Push(node, f, value, size);
      } else {
        WireSlot* const slots = table_->data() + node;
        if (ABSL_PREDICT_FALSE(!Claim(*shape, slots, f))) return unwind();
        slots[f.slot].value = value;
        slots[f.slot].size = size;
      }
    }
    // The message ends: its repeated values are laid out, and the message
    // around it, if any, goes on where it ends.
    if (pending_.size() > first_pending) {
      const size_t n = pending_.size() - first_pending;
      const Pending* const pending = pending_.data() + first_pending;
      WireSlot& only = table_->data()[pending[0].slot];
      if (ABSL_PREDICT_TRUE(only.count == n)) {
        // One field's values (the usual case): already in order.
        const size_t base = table_->Append(n);
        WireSlot* const values = table_->data() + base;
        table_->data()[pending[0].slot].value = base;
        for (size_t i = 0; i < n; ++i) {
          values[i] = WireSlot{pending[i].value, pending[i].size, 1};
        }
        pending_.Truncate(first_pending);
      } else {
        Finish(*shape, node, first_pending);
      }
    }
    if (depth == 0) return true;
    const Frame& up = outer[--depth];
    const WireShape::Field& f = *up.field;
    if (f.repeated) {
      Push(up.node, f, node, 0);
    } else {
      table_->data()[up.node + f.slot].value = node;
    }
    shape = up.shape;
    end = up.end;
    node = up.node;
    first_pending = up.first_pending;
  }
}

const uint8_t* WireReader::ReadPacked(const WireShape& shape, size_t node,
                                      const WireShape::Field& f,
                                      const uint8_t* p, const uint8_t* end) {
  uint32_t n;
  p = ReadLength(p, end, &n);
  if (ABSL_PREDICT_FALSE(p == nullptr)) {
    Fail(Problem::kLengthPastEnd, shape, &f, -1, 0);
    return nullptr;
  }
  const uint8_t* const stop = p + n;
  switch (f.wire_type) {
    case kVarint:
      while (p < stop) {
        uint64_t v;
        p = ReadVarint(p, stop, words_, &v);
        if (ABSL_PREDICT_FALSE(p == nullptr)) {
          Fail(Problem::kBadPackedVarint, shape, &f, Index(node, f), 0);
          return nullptr;
        }
        Push(node, f, Widen(f.kind, v), 0);
      }
      return stop;
    case kFixed32:
      if (ABSL_PREDICT_FALSE(n % 4 != 0)) {
        Fail(Problem::kPackedLength, shape, &f, -1, 4);
        return nullptr;
      }
      for (; p < stop; p += 4) Push(node, f, Fixed32(f.kind, p), 0);
      return stop;
    default:  // kFixed64: packable fields are of the three.
      if (ABSL_PREDICT_FALSE(n % 8 != 0)) {
        Fail(Problem::kPackedLength, shape, &f, -1, 8);
        return nullptr;
      }
      for (; p < stop; p += 8) Push(node, f, absl::little_endian::Load64(p), 0);
      return stop;
  }
}

void WireReader::Finish(const WireShape& shape, size_t node, size_t first) {
  const size_t n = pending_.size() - first;
  const size_t base = table_->Append(n);
  WireSlot* const table = table_->data();
  const Pending* const pending = pending_.data() + first;
  WireSlot& only = table[pending[0].slot];
  if (only.count == n) {
    // One field's values (the usual case): already in order.
    only.value = base;
    for (size_t i = 0; i < n; ++i) {
      table[base + i] = WireSlot{pending[i].value, pending[i].size, 1};
    }
  } else {
    // Each repeated field's values start where the previous field's end;
    // the field's `size` (unused for a repeated field) counts those placed.
    uint64_t next = base;
    for (uint32_t slot : shape.repeated_slots_) {
      WireSlot& s = table[node + slot];
      if (s.count == 0) continue;
      s.value = next;
      s.size = 0;
      next += s.count;
    }
    for (size_t i = 0; i < n; ++i) {
      WireSlot& s = table[pending[i].slot];
      table[s.value + s.size++] =
          WireSlot{pending[i].value, pending[i].size, 1};
    }
  }
  pending_.Truncate(first);
}

bool WireReader::Fail(Problem problem, const WireShape& shape,
                      const WireShape::Field* f, int index, uint64_t detail) {
  const auto malformed = [](absl::string_view what) {
    return absl::StrCat("truncated or malformed bytes (", what, ")");
  };
  failure_ = std::make_unique<Failure>();
  std::string& what = failure_->what;
  switch (problem) {
    case Problem::kUnknownField:
      what = detail == 0
                 ? malformed("field number 0")
                 : absl::StrCat(
                       "a field unknown to ",
                       internal::ContractName(shape.descriptor()->full_name()),
                       " (number ", detail, ")");
      break;
    case Problem::kBadTag:
      what = malformed("a tag past the end or of more than 32 bits");
      break;
    case Problem::kWireType:
      what = absl::StrCat("wire type ", detail, " where its type (",
                          f->descriptor->type_name(), ") takes wire type ",
                          f->wire_type);
      break;
    case Problem::kGivenTwice:
      what = "given twice";
      break;
    case Problem::kOneofTwice:
      what = absl::StrCat(
          "given twice: oneof ", f->descriptor->containing_oneof()->name(),
          " already holds ",
          shape.Find(static_cast<uint32_t>(detail))->descriptor->name());
      break;
    case Problem::kNotUtf8:
      what = "not valid UTF-8";
      break;
    case Problem::kBadVarint:
      what = malformed("a varint past the end or of more than 10 bytes");
      break;
    case Problem::kLengthPastEnd:
      what = malformed("a length past the end");
      break;
    case Problem::kFixedPastEnd:
      what = malformed(absl::StrCat(detail, " bytes past the end"));
      break;
    case Problem::kPackedLength:
      what = malformed(absl::StrCat("packed ", detail,
                                    "-byte values in a length not a "
                                    "multiple of ",
                                    detail));
      break;
    case Problem::kBadPackedVarint:
      what = malformed("a packed varint past its field's end");
      break;
    case Problem::kGroup:
      what = "a group, which pip does not read";
      break;
    case Problem::kTooDeep:
      what = absl::StrCat("messages nested deeper than ", kMaxWireDepth,
                          " (kMaxWireDepth)");
      break;
    case Problem::kTooManySlots:
      what = "more values than one read holds (2^32)";
      break;
  }
  if (f != nullptr) AddStep(*f, index);
  return false;
}

void WireReader::AddStep(const WireShape::Field& f, int index) {
  if (f.repeated && index >= 0) {
    failure_->path.push_back(
        absl::StrCat(f.descriptor->name(), "[", index, "]"));
  } else {
    failure_->path.push_back(f.descriptor->name());
  }
}

absl::Status WireReader::Error() const {
  std::string path;
  for (auto it = failure_->path.rbegin(); it != failure_->path.rend(); ++it) {
    if (!path.empty()) path.push_back('.');
    path.append(*it);
  }
  return absl::InvalidArgumentError(
      path.empty() ? failure_->what : absl::StrCat(path, ": ", failure_->what));
}

// ---------------------------------------------------------------------------

WireView::WireView() : node_(&kNoSlot), table_(nullptr) {
  static const WireShape* const none = &WireShapeBuilder::None();
  shape_ = none;
}

WireView WireView::Message(int number) const {
  const WireShape::Field* f = Typed(number, wire_types::kMessage, false);
  if (f == nullptr) return WireView();
  const WireSlot& s = node_[f->slot];
  if (s.count == 0) {
    return WireView(f->message, f->message->empty_node_.data(), table_);
  }
  return Child(f->message, s.value);
}

WireView WireView::MessageAt(int number, int i) const {
  const WireShape::Field* f = Typed(number, wire_types::kMessage, true);
  if (f == nullptr) return WireView();
  const WireSlot& s = node_[f->slot];
  if (ABSL_PREDICT_FALSE(i < 0 || static_cast<uint32_t>(i) >= s.count)) {
    Misuse();
    return WireView(f->message, f->message->empty_node_.data(), table_);
  }
  return Child(f->message, table_[s.value + static_cast<uint32_t>(i)].value);
}

int WireView::OneofCase(int oneof) const {
  if (ABSL_PREDICT_FALSE(oneof < 0 || oneof >= shape_->oneof_count())) {
    Misuse();
    return 0;
  }
  return static_cast<int>(node_[shape_->fields().size() + oneof].value);
}

absl::Status WireMessage::Read(const WireShape& shape, absl::string_view bytes,
                               WireMessage* out) {
  auto& table = out->table_storage_;
  table.Truncate(0);
  out->shape_ = &shape;
  out->node_ = shape.empty_node_.data();
  out->table_ = nullptr;
  if (ABSL_PREDICT_FALSE(
          bytes.size() >
          static_cast<size_t>(std::numeric_limits<int32_t>::max()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a serialized ",
        internal::ContractName(shape.descriptor()->full_name()), " of ",
        bytes.size(), " bytes; protobuf reads at most 2^31 - 1"));
  }
  table.AppendZeroed(shape.node_size());
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  WireReader reader(p, p + bytes.size(), &table);
  if (ABSL_PREDICT_FALSE(!reader.Read(shape, p, p + bytes.size()))) {
    table.Truncate(0);
    return reader.Error();
  }
  out->node_ = table.data();
  out->table_ = table.data();
  return absl::OkStatus();
}

}  // namespace codec_internal
}  // namespace pip
