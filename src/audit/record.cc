#include "src/audit/record.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/v1/decision.pb.h"
#include "src/internal/digest.h"

namespace pip {
namespace audit_internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string PseudonymOrEmpty(const AuditKey& key, const std::string& id) {
  return id.empty() ? std::string() : key.Pseudonym(id);
}

// The string field `name` of `message`, or "" when it has none.
std::string StringField(const Message& message, absl::string_view name) {
  const FieldDescriptor* f =
      message.GetDescriptor()->FindFieldByName(std::string(name));
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return std::string();
  }
  return message.GetReflection()->GetString(message, f);
}

void AddReason(const AuditKey& key, const v1::Reason& r,
               v1::AuditRecord* record) {
  v1::AuditReason* out = record->add_reasons();
  out->set_code(r.code());
  out->set_clause(r.clause());
  out->set_category(r.category());
  out->set_purpose(r.purpose());
  out->set_recipient(r.recipient());
  out->set_request_type(r.request_type());
  out->set_hold_type(r.hold_type());
  out->set_document(r.document());
  out->set_review_ground(r.review_ground());
  out->set_article(r.article());
  out->set_provision(r.provision());
  out->set_consent_pseudonym(PseudonymOrEmpty(key, r.consent_id()));
  out->set_request_pseudonym(PseudonymOrEmpty(key, r.request_id()));
  out->set_hold_pseudonym(PseudonymOrEmpty(key, r.hold_id()));
}

// Every pip.v1.Reason of `decision`, list by list in field order.
void AddReasons(const AuditKey& key, const Message& decision,
                v1::AuditRecord* record) {
  const google::protobuf::Descriptor* d = decision.GetDescriptor();
  const Reflection* reflection = decision.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!f->is_repeated() || f->message_type() != v1::Reason::descriptor()) {
      continue;
    }
    for (int k = 0; k < reflection->FieldSize(decision, f); ++k) {
      AddReason(key,
                static_cast<const v1::Reason&>(
                    reflection->GetRepeatedMessage(decision, f, k)),
                record);
    }
  }
}

}  // namespace

void Pseudonymize(const AuditKey& key, Message* message) {
  const google::protobuf::Descriptor* d = message->GetDescriptor();
  const Reflection* reflection = message->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(*message, f); ++k) {
          Pseudonymize(key, reflection->MutableRepeatedMessage(message, f, k));
        }
      } else if (reflection->HasField(*message, f)) {
        Pseudonymize(key, reflection->MutableMessage(message, f));
      }
      continue;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING ||
        !f->options().GetExtension(v1::personal)) {
      continue;
    }
    if (f->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(*message, f); ++k) {
        reflection->SetRepeatedString(
            message, f, k,
            PseudonymOrEmpty(key, reflection->GetRepeatedString(*message, f, k)));
      }
    } else {
      reflection->SetString(
          message, f, PseudonymOrEmpty(key, reflection->GetString(*message, f)));
    }
  }
}

std::string RequestDigest(const AuditKey& key, const Message& request) {
  std::unique_ptr<Message> copy(request.New());
  copy->CopyFrom(request);
  Pseudonymize(key, copy.get());
  return internal::Sha256Hex(internal::DeterministicBytes(*copy));
}

v1::AuditRecord MakeRecord(const AuditKey& key, const PolicyFacts& policy,
                           absl::string_view function, const Message& request,
                           const Outcome& outcome) {
  v1::AuditRecord record;
  const FieldDescriptor* as_of =
      request.GetDescriptor()->FindFieldByName("as_of");
  if (as_of != nullptr &&
      as_of->message_type() == google::protobuf::Timestamp::descriptor() &&
      request.GetReflection()->HasField(request, as_of)) {
    record.mutable_as_of()->CopyFrom(
        request.GetReflection()->GetMessage(request, as_of));
  }
  record.set_policy_version(std::string(policy.version));
  record.set_policy_hash(std::string(policy.hash));
  record.set_policy_revision(policy.revision);
  record.set_function(std::string(function));
  record.set_subject_pseudonym(
      PseudonymOrEmpty(key, StringField(request, "subject_id")));
  record.set_request_digest(RequestDigest(key, request));
  record.set_key_id(key.id());
  if (outcome.error.ok() && outcome.decision != nullptr) {
    record.set_outcome(outcome.outcome);
    record.set_consent_pseudonym(
        PseudonymOrEmpty(key, StringField(*outcome.decision, "consent_id")));
    AddReasons(key, *outcome.decision, &record);
  } else {
    record.set_outcome(v1::OUTCOME_ERROR);
    record.set_error_code(absl::StatusCodeToString(outcome.error.code()));
  }
  return record;
}

absl::Status Send(AuditSink& sink, v1::AuditRecord record) {
  *record.mutable_recorded_at() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(absl::Now()));
  const absl::Status stored = sink.Record(record);
  if (stored.ok()) return stored;
  return absl::UnavailableError(absl::StrCat(
      "audit log: the decision could not be recorded, so it is withheld: ",
      stored.message()));
}

}  // namespace audit_internal
}  // namespace pip
