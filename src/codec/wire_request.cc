#include "src/codec/wire_request.h"

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
  static bool Read(absl::string_view bytes, WireHold* out);
  static bool Read(absl::string_view bytes, WireRetentionDueRequest* out);
  static bool Read(absl::string_view bytes, WireRequestDocuments* out);
  static bool Read(absl::string_view bytes, WireReviewFlags* out);
  static bool Read(absl::string_view bytes, WireRequestValidateRequest* out);

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

namespace {

constexpr uint32_t kVarint = 0;
constexpr uint32_t kLengthDelimited = 2;

// The current field of a message being read, with what each kind of field
// takes: the wire type its declaration implies, and for a singular field,
// that it comes once (protobuf would merge a second one).
class Field {
 public:
  explicit Field(WireReader& reader) : reader_(reader) {}

  uint32_t number() const { return number_; }

  bool String(absl::string_view* value) {
    return Is(kLengthDelimited) && FirstTime() && reader_.String(value);
  }
  bool Strings(WireStrings* values) {
    absl::string_view value;
    if (!Is(kLengthDelimited) || !reader_.String(&value)) return false;
    values->push_back(value);
    return true;
  }
  bool Varint(uint64_t* value) {
    return Is(kVarint) && FirstTime() && reader_.Varint(value);
  }
  bool Bool(bool* value) {
    uint64_t v;
    if (!Varint(&v)) return false;
    *value = v != 0;
    return true;
  }
  template <typename M>
  bool Message(M* value, bool* has = nullptr) {
    absl::string_view bytes;
    if (!Is(kLengthDelimited) || !FirstTime() || !reader_.Bytes(&bytes) ||
        !WireReader::Read(bytes, value)) {
      return false;
    }
    if (has != nullptr) *has = true;
    return true;
  }
  template <typename List>
  bool Messages(List* values) {
    absl::string_view bytes;
    if (!Is(kLengthDelimited) || !reader_.Bytes(&bytes)) return false;
    values->emplace_back();
    return WireReader::Read(bytes, &values->back());
  }

  // Reads the next tag; false at the end or on a bad tag (see ForEachField).
  bool Next(bool* bad) {
    if (reader_.done()) return false;
    *bad = !reader_.Tag(&number_, &type_);
    return !*bad;
  }

 private:
  bool Is(uint32_t type) const { return type_ == type; }
  bool FirstTime() {
    if (number_ >= 32) return false;
    const uint32_t bit = uint32_t{1} << number_;
    if (seen_ & bit) return false;
    seen_ |= bit;
    return true;
  }

  WireReader& reader_;
  uint32_t number_ = 0;
  uint32_t type_ = 0;
  uint32_t seen_ = 0;  // singular fields read, by number
};

// Reads every field of the message in `bytes` with `read`, which takes the
// Field and returns false for a field it does not take (a number the
// message does not declare, another wire type, a second singular one).
template <typename Read>
bool ForEachField(absl::string_view bytes, Read read) {
  WireReader reader(bytes);
  Field field(reader);
  bool bad = false;
  while (field.Next(&bad)) {
    if (!read(field)) return false;
  }
  return !bad;
}

}  // namespace

bool WireReader::Read(absl::string_view bytes, WireTimestamp* out) {
  return ForEachField(bytes, [out](Field& f) {
    uint64_t v;
    switch (f.number()) {
      case 1:
        if (!f.Varint(&v)) return false;
        out->seconds_ = static_cast<int64_t>(v);
        return true;
      case 2:
        if (!f.Varint(&v)) return false;
        out->nanos_ = static_cast<int32_t>(v);
        return true;
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireUseContext* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.Bool(&out->anonymized_);
      case 2:
        return f.Bool(&out->health_service_);
      case 3:
        return f.Bool(&out->necessity_documented_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireConsent* out) {
  return ForEachField(bytes, [out](Field& f) {
    uint64_t v;
    switch (f.number()) {
      case 1:
        return f.String(&out->id_);
      case 2:
        return f.String(&out->subject_id_);
      case 3:
        return f.Strings(&out->categories_);
      case 4:
        return f.Strings(&out->purposes_);
      case 5:
        return f.Strings(&out->recipients_);
      case 6:
        return f.Message(&out->granted_at_, &out->has_granted_at_);
      case 7:
        return f.Message(&out->withdrawn_at_, &out->has_withdrawn_at_);
      case 8:
        return f.Message(&out->expires_at_, &out->has_expires_at_);
      case 9:
        if (!f.Varint(&v)) return false;
        out->consent_version_ = static_cast<int32_t>(v);
        return true;
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireActiveRequest* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.String(&out->type_);
      case 2:
        return f.Message(&out->received_at_, &out->has_received_at_);
      case 3:
        return f.String(&out->id_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WirePurposeAllowedRequest* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.String(&out->subject_id_);
      case 2:
        return f.String(&out->purpose_);
      case 3:
        return f.Strings(&out->categories_);
      case 4:
        return f.String(&out->recipient_);
      case 5:
        return f.Message(&out->context_);
      case 6:
        return f.Messages(&out->consents_);
      case 7:
        return f.Messages(&out->active_requests_);
      case 8:
        return f.Message(&out->as_of_, &out->has_as_of_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireConsentCheckRequest* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.String(&out->subject_id_);
      case 2:
        return f.Strings(&out->categories_);
      case 3:
        return f.Strings(&out->purposes_);
      case 4:
        return f.String(&out->recipient_);
      case 5:
        return f.Messages(&out->consents_);
      case 6:
        return f.Message(&out->as_of_, &out->has_as_of_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireHold* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.String(&out->type_);
      case 2:
        return f.Message(&out->until_, &out->has_until_);
      case 3:
        return f.String(&out->id_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireRetentionDueRequest* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.String(&out->kind_);
      case 2:
        return f.Message(&out->event_at_, &out->has_event_at_);
      case 3:
        return f.Messages(&out->holds_);
      case 4:
        return f.Message(&out->as_of_, &out->has_as_of_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireRequestDocuments* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.Bool(&out->identity_document_);
      case 2:
        return f.Bool(&out->request_form_);
      case 3:
        return f.Bool(&out->power_of_attorney_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes, WireReviewFlags* out) {
  return ForEachField(bytes, [out](Field& f) {
    switch (f.number()) {
      case 1:
        return f.Bool(&out->legally_restricted_);
      case 2:
        return f.Bool(&out->third_party_rights_);
      default:
        return false;
    }
  });
}

bool WireReader::Read(absl::string_view bytes,
                      WireRequestValidateRequest* out) {
  return ForEachField(bytes, [out](Field& f) {
    uint64_t v;
    switch (f.number()) {
      case 1:
        return f.String(&out->type_);
      case 2:
        return f.String(&out->channel_);
      case 3:
        return f.Message(&out->received_at_, &out->has_received_at_);
      case 4:
        return f.String(&out->requester_);
      case 5:
        return f.Message(&out->documents_);
      case 6:
        return f.Bool(&out->identity_verified_);
      case 7:
        // int32, as protobuf reads it: the low 32 bits of the varint.
        if (!f.Varint(&v)) return false;
        out->fee_paid_jpy_ = static_cast<int32_t>(v);
        return true;
      case 8:
        return f.Message(&out->review_);
      case 9:
        return f.Message(&out->as_of_, &out->has_as_of_);
      default:
        return false;
    }
  });
}

bool ReadWire(absl::string_view bytes, WireRetentionDueRequest* out) {
  return WireReader::Read(bytes, out);
}

bool ReadWire(absl::string_view bytes, WireRequestValidateRequest* out) {
  return WireReader::Read(bytes, out);
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
