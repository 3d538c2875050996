#include "src/engine/wire_request.h"

#include "src/internal/message_checks.h"

namespace pip {
namespace engine_internal {

// The protobuf wire format, read as protobuf reads it, for the fields of
// pip's requests. Every method returns false on what it is not sure of.
class WireReader {
 public:
  explicit WireReader(absl::string_view bytes)
      : p_(reinterpret_cast<const uint8_t*>(bytes.data())),
        end_(p_ + bytes.size()) {}

  bool done() const { return p_ == end_; }

  // The next field's number and wire type.
  bool Tag(uint32_t* field, uint32_t* wire_type) {
    uint64_t tag;
    if (!Varint(&tag) || tag > UINT32_MAX) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *wire_type = static_cast<uint32_t>(tag & 7);
    return *field != 0;
  }

  bool Varint(uint64_t* value) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      const uint8_t byte = *p_++;
      // A tenth byte carries bit 63 only: anything more is left to protobuf.
      if (shift == 63 && byte > 1) return false;
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (byte < 0x80) {
        *value = v;
        return true;
      }
    }
    return false;
  }

  // A length-delimited field's bytes.
  bool Bytes(absl::string_view* value) {
    uint64_t n;
    if (!Varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *value = absl::string_view(reinterpret_cast<const char*>(p_),
                               static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // A proto3 string: protobuf refuses one that is not UTF-8 when parsing.
  bool String(absl::string_view* value) {
    return Bytes(value) && internal::IsUtf8(*value);
  }

  static bool Read(absl::string_view bytes, WireTimestamp* out);
  static bool Read(absl::string_view bytes, WireUseContext* out);
  static bool Read(absl::string_view bytes, WireConsent* out);
  static bool Read(absl::string_view bytes, WireActiveRequest* out);
  static bool Read(absl::string_view bytes, WirePurposeAllowedRequest* out);
  static bool Read(absl::string_view bytes, WireConsentCheckRequest* out);

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

namespace {

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// Marks field `number` seen; false when it already was (a singular field
// given twice, which protobuf would merge).
bool FirstTime(uint32_t number, uint32_t* seen) {
  if (number >= 32) return false;
  const uint32_t bit = uint32_t{1} << number;
  if (*seen & bit) return false;
  *seen |= bit;
  return true;
}

// A singular string field.
bool SingularString(WireReader& r, uint32_t number, uint32_t* seen,
                    absl::string_view* value) {
  return FirstTime(number, seen) && r.String(value);
}

bool RepeatedString(WireReader& r, WireStrings* values) {
  absl::string_view value;
  if (!r.String(&value)) return false;
  values->push_back(value);
  return true;
}

// A singular message field, read by WireReader::Read.
template <typename Message>
bool SingularMessage(WireReader& r, uint32_t number, uint32_t* seen,
                     Message* value) {
  absl::string_view bytes;
  return FirstTime(number, seen) && r.Bytes(&bytes) &&
         WireReader::Read(bytes, value);
}

template <typename Message, typename List>
bool RepeatedMessage(WireReader& r, List* values) {
  absl::string_view bytes;
  if (!r.Bytes(&bytes)) return false;
  values->emplace_back();
  return WireReader::Read(bytes, &values->back());
}

bool SingularVarint(WireReader& r, uint32_t number, uint32_t* seen,
                    uint64_t* value) {
  return FirstTime(number, seen) && r.Varint(value);
}

}  // namespace

// Each Read() loops over the fields of one message; a field number it does
// not list, or a listed one with another wire type, ends the read.

bool WireReader::Read(absl::string_view bytes, WireTimestamp* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  uint64_t v;
  while (!r.done()) {
    if (!r.Tag(&field, &type) || type != kVarint) return false;
    if (field > 2 || !SingularVarint(r, field, &seen, &v)) return false;
    switch (field) {
      case 1:
        out->seconds_ = static_cast<int64_t>(v);
        break;
      case 2:
        out->nanos_ = static_cast<int32_t>(v);
        break;
      default:
        return false;
    }
  }
  return true;
}

bool WireReader::Read(absl::string_view bytes, WireUseContext* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  uint64_t v;
  while (!r.done()) {
    if (!r.Tag(&field, &type) || type != kVarint) return false;
    if (field > 3 || !SingularVarint(r, field, &seen, &v)) return false;
    switch (field) {
      case 1:
        out->anonymized_ = v != 0;
        break;
      case 2:
        out->health_service_ = v != 0;
        break;
      case 3:
        out->necessity_documented_ = v != 0;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool WireReader::Read(absl::string_view bytes, WireConsent* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  while (!r.done()) {
    if (!r.Tag(&field, &type)) return false;
    bool ok = false;
    if (field == 9) {
      uint64_t v = 0;
      ok = type == kVarint && SingularVarint(r, field, &seen, &v);
      out->consent_version_ = static_cast<int32_t>(v);
    } else if (type == kLengthDelimited) {
      switch (field) {
        case 1:
          ok = SingularString(r, field, &seen, &out->id_);
          break;
        case 2:
          ok = SingularString(r, field, &seen, &out->subject_id_);
          break;
        case 3:
          ok = RepeatedString(r, &out->categories_);
          break;
        case 4:
          ok = RepeatedString(r, &out->purposes_);
          break;
        case 5:
          ok = RepeatedString(r, &out->recipients_);
          break;
        case 6:
          ok = out->has_granted_at_ =
              SingularMessage(r, field, &seen, &out->granted_at_);
          break;
        case 7:
          ok = out->has_withdrawn_at_ =
              SingularMessage(r, field, &seen, &out->withdrawn_at_);
          break;
        case 8:
          ok = out->has_expires_at_ =
              SingularMessage(r, field, &seen, &out->expires_at_);
          break;
        default:
          break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

bool WireReader::Read(absl::string_view bytes, WireActiveRequest* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  while (!r.done()) {
    if (!r.Tag(&field, &type) || type != kLengthDelimited) return false;
    bool ok = false;
    switch (field) {
      case 1:
        ok = SingularString(r, field, &seen, &out->type_);
        break;
      case 2:
        ok = out->has_received_at_ =
            SingularMessage(r, field, &seen, &out->received_at_);
        break;
      case 3:
        ok = SingularString(r, field, &seen, &out->id_);
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

bool WireReader::Read(absl::string_view bytes, WirePurposeAllowedRequest* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  while (!r.done()) {
    if (!r.Tag(&field, &type) || type != kLengthDelimited) return false;
    bool ok = false;
    switch (field) {
      case 1:
        ok = SingularString(r, field, &seen, &out->subject_id_);
        break;
      case 2:
        ok = SingularString(r, field, &seen, &out->purpose_);
        break;
      case 3:
        ok = RepeatedString(r, &out->categories_);
        break;
      case 4:
        ok = SingularString(r, field, &seen, &out->recipient_);
        break;
      case 5:
        ok = SingularMessage(r, field, &seen, &out->context_);
        break;
      case 6:
        ok = RepeatedMessage<WireConsent>(r, &out->consents_);
        break;
      case 7:
        ok = RepeatedMessage<WireActiveRequest>(r, &out->active_requests_);
        break;
      case 8:
        ok = out->has_as_of_ = SingularMessage(r, field, &seen, &out->as_of_);
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

bool WireReader::Read(absl::string_view bytes, WireConsentCheckRequest* out) {
  WireReader r(bytes);
  uint32_t seen = 0, field, type;
  while (!r.done()) {
    if (!r.Tag(&field, &type) || type != kLengthDelimited) return false;
    bool ok = false;
    switch (field) {
      case 1:
        ok = SingularString(r, field, &seen, &out->subject_id_);
        break;
      case 2:
        ok = RepeatedString(r, &out->categories_);
        break;
      case 3:
        ok = RepeatedString(r, &out->purposes_);
        break;
      case 4:
        ok = SingularString(r, field, &seen, &out->recipient_);
        break;
      case 5:
        ok = RepeatedMessage<WireConsent>(r, &out->consents_);
        break;
      case 6:
        ok = out->has_as_of_ = SingularMessage(r, field, &seen, &out->as_of_);
        break;
      default:
        break;
    }
    if (!ok) return false;
  }
  return true;
}

bool ReadWire(absl::string_view bytes, WireConsentCheckRequest* out) {
  return WireReader::Read(bytes, out);
}

bool ReadSoleField(absl::string_view bytes, uint32_t* field,
                   absl::string_view* value) {
  WireReader r(bytes);
  uint32_t type;
  return r.Tag(field, &type) && type == kLengthDelimited && r.Bytes(value) &&
         r.done();
}

bool ReadWire(absl::string_view bytes, WirePurposeAllowedRequest* out) {
  return WireReader::Read(bytes, out);
}

}  // namespace engine_internal
}  // namespace pip
