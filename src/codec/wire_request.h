// Views of serialized requests, read straight from the protobuf wire format
// without building messages: the C API's hot path. A view offers the
// accessors of its pip.v1 message that resolution reads (resolve.h), so one
// resolution serves both, and it points into the bytes it was read from.
#ifndef PIP_SRC_CODEC_WIRE_REQUEST_H_
#define PIP_SRC_CODEC_WIRE_REQUEST_H_

#include <cstdint>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace pip {
namespace engine_internal {

class WireReader;

using WireStrings = absl::InlinedVector<absl::string_view, 4>;

// google.protobuf.Timestamp.
class WireTimestamp {
 public:
  int64_t seconds() const { return seconds_; }
  int32_t nanos() const { return nanos_; }

 private:
  friend class WireReader;
  int64_t seconds_ = 0;
  int32_t nanos_ = 0;
};

// pip.v1.UseContext.
class WireUseContext {
 public:
  bool anonymized() const { return anonymized_; }
  bool health_service() const { return health_service_; }
  bool necessity_documented() const { return necessity_documented_; }

 private:
  friend class WireReader;
  bool anonymized_ = false;
  bool health_service_ = false;
  bool necessity_documented_ = false;
};

// pip.v1.Consent.
class WireConsent {
 public:
  absl::string_view id() const { return id_; }
  absl::string_view subject_id() const { return subject_id_; }
  const WireStrings& categories() const { return categories_; }
  const WireStrings& purposes() const { return purposes_; }
  const WireStrings& recipients() const { return recipients_; }
  bool has_granted_at() const { return has_granted_at_; }
  const WireTimestamp& granted_at() const { return granted_at_; }
  bool has_withdrawn_at() const { return has_withdrawn_at_; }
  const WireTimestamp& withdrawn_at() const { return withdrawn_at_; }
  bool has_expires_at() const { return has_expires_at_; }
  const WireTimestamp& expires_at() const { return expires_at_; }
  int32_t consent_version() const { return consent_version_; }

 private:
  friend class WireReader;
  absl::string_view id_;
  absl::string_view subject_id_;
  WireStrings categories_;
  WireStrings purposes_;
  WireStrings recipients_;
  bool has_granted_at_ = false;
  bool has_withdrawn_at_ = false;
  bool has_expires_at_ = false;
  WireTimestamp granted_at_;
  WireTimestamp withdrawn_at_;
  WireTimestamp expires_at_;
  int32_t consent_version_ = 0;
};

// pip.v1.ActiveRequest.
class WireActiveRequest {
 public:
  absl::string_view type() const { return type_; }
  absl::string_view id() const { return id_; }
  bool has_received_at() const { return has_received_at_; }
  const WireTimestamp& received_at() const { return received_at_; }

 private:
  friend class WireReader;
  absl::string_view type_;
  absl::string_view id_;
  bool has_received_at_ = false;
  WireTimestamp received_at_;
};

// pip.v1.PurposeAllowedRequest.
class WirePurposeAllowedRequest {
 public:
  absl::string_view subject_id() const { return subject_id_; }
  absl::string_view purpose() const { return purpose_; }
  const WireStrings& categories() const { return categories_; }
  absl::string_view recipient() const { return recipient_; }
  const WireUseContext& context() const { return context_; }
  const absl::InlinedVector<WireConsent, 1>& consents() const {
    return consents_;
  }
  const absl::InlinedVector<WireActiveRequest, 1>& active_requests() const {
    return active_requests_;
  }
  bool has_as_of() const { return has_as_of_; }
  const WireTimestamp& as_of() const { return as_of_; }

 private:
  friend class WireReader;
  absl::string_view subject_id_;
  absl::string_view purpose_;
  WireStrings categories_;
  absl::string_view recipient_;
  WireUseContext context_;
  absl::InlinedVector<WireConsent, 1> consents_;
  absl::InlinedVector<WireActiveRequest, 1> active_requests_;
  bool has_as_of_ = false;
  WireTimestamp as_of_;
};

// pip.v1.ConsentCheckRequest.
class WireConsentCheckRequest {
 public:
  absl::string_view subject_id() const { return subject_id_; }
  const WireStrings& categories() const { return categories_; }
  const WireStrings& purposes() const { return purposes_; }
  absl::string_view recipient() const { return recipient_; }
  const absl::InlinedVector<WireConsent, 1>& consents() const {
    return consents_;
  }
  bool has_as_of() const { return has_as_of_; }
  const WireTimestamp& as_of() const { return as_of_; }

 private:
  friend class WireReader;
  absl::string_view subject_id_;
  WireStrings categories_;
  WireStrings purposes_;
  absl::string_view recipient_;
  absl::InlinedVector<WireConsent, 1> consents_;
  bool has_as_of_ = false;
  WireTimestamp as_of_;
};

// pip.v1.Hold.
class WireHold {
 public:
  absl::string_view type() const { return type_; }
  bool has_until() const { return has_until_; }
  const WireTimestamp& until() const { return until_; }
  absl::string_view id() const { return id_; }

 private:
  friend class WireReader;
  absl::string_view type_;
  bool has_until_ = false;
  WireTimestamp until_;
  absl::string_view id_;
};

// pip.v1.RetentionDueRequest.
class WireRetentionDueRequest {
 public:
  absl::string_view kind() const { return kind_; }
  bool has_event_at() const { return has_event_at_; }
  const WireTimestamp& event_at() const { return event_at_; }
  const absl::InlinedVector<WireHold, 1>& holds() const { return holds_; }
  bool has_as_of() const { return has_as_of_; }
  const WireTimestamp& as_of() const { return as_of_; }

 private:
  friend class WireReader;
  absl::string_view kind_;
  bool has_event_at_ = false;
  WireTimestamp event_at_;
  absl::InlinedVector<WireHold, 1> holds_;
  bool has_as_of_ = false;
  WireTimestamp as_of_;
};

// pip.v1.RequestDocuments.
class WireRequestDocuments {
 public:
  bool identity_document() const { return identity_document_; }
  bool request_form() const { return request_form_; }
  bool power_of_attorney() const { return power_of_attorney_; }

 private:
  friend class WireReader;
  bool identity_document_ = false;
  bool request_form_ = false;
  bool power_of_attorney_ = false;
};

// pip.v1.ReviewFlags.
class WireReviewFlags {
 public:
  bool legally_restricted() const { return legally_restricted_; }
  bool third_party_rights() const { return third_party_rights_; }

 private:
  friend class WireReader;
  bool legally_restricted_ = false;
  bool third_party_rights_ = false;
};

// pip.v1.RequestValidateRequest.
class WireRequestValidateRequest {
 public:
  absl::string_view type() const { return type_; }
  absl::string_view channel() const { return channel_; }
  bool has_received_at() const { return has_received_at_; }
  const WireTimestamp& received_at() const { return received_at_; }
  absl::string_view requester() const { return requester_; }
  const WireRequestDocuments& documents() const { return documents_; }
  bool identity_verified() const { return identity_verified_; }
  int32_t fee_paid_jpy() const { return fee_paid_jpy_; }
  const WireReviewFlags& review() const { return review_; }
  bool has_as_of() const { return has_as_of_; }
  const WireTimestamp& as_of() const { return as_of_; }

 private:
  friend class WireReader;
  absl::string_view type_;
  absl::string_view channel_;
  bool has_received_at_ = false;
  WireTimestamp received_at_;
  absl::string_view requester_;
  WireRequestDocuments documents_;
  bool identity_verified_ = false;
  int32_t fee_paid_jpy_ = 0;
  WireReviewFlags review_;
  bool has_as_of_ = false;
  WireTimestamp as_of_;
};

// Reads serialized pip.v1.PurposeAllowedRequest (ConsentCheckRequest,
// RetentionDueRequest, RequestValidateRequest) `bytes` into `out`, whose
// views then point into `bytes`. Returns false, leaving `out` unspecified,
// for anything but the plain encoding this reader is sure to read as
// protobuf does: a field number or wire type the message does not have, a
// singular field given twice (protobuf merges those), text that is not
// UTF-8, truncated or corrupt bytes. The caller then takes the protobuf
// path, which accepts or refuses such bytes by protobuf's own rules.
bool ReadWire(absl::string_view bytes, WirePurposeAllowedRequest* out);
bool ReadWire(absl::string_view bytes, WireConsentCheckRequest* out);
bool ReadWire(absl::string_view bytes, WireRetentionDueRequest* out);
bool ReadWire(absl::string_view bytes, WireRequestValidateRequest* out);

// When `bytes` is exactly one length-delimited field (a oneof member, as in
// pip.v1.EvalRequest), sets its number and contents and returns true.
bool ReadSoleField(absl::string_view bytes, uint32_t* field,
                   absl::string_view* value);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_WIRE_REQUEST_H_
