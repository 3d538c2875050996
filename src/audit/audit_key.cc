#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "pip/audit.h"
#include "src/internal/digest.h"

namespace pip {

AuditKey::AuditKey(absl::string_view key)
    : mac_(std::make_shared<const internal::HmacSha256>(key)) {
  id_ = mac_->Hex(0x00, "key id").substr(0, 16);
}

absl::StatusOr<AuditKey> AuditKey::FromBytes(absl::string_view bytes) {
  if (bytes.size() < kMinBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "audit key: ", bytes.size(), " bytes; at least ", kMinBytes,
        " are needed (AuditKey::kMinBytes), e.g. `openssl rand 32 > FILE`"));
  }
  return AuditKey(bytes);
}

absl::StatusOr<AuditKey> AuditKey::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open audit key file '", path, "'"));
  }
  std::stringstream bytes;
  bytes << in.rdbuf();
  absl::StatusOr<AuditKey> key = FromBytes(bytes.str());
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", key.status().message()));
  }
  return key;
}

std::string AuditKey::Pseudonym(absl::string_view id) const {
  return mac_->Hex(0x01, id);
}

std::string AuditKey::ChainMac(absl::string_view bytes) const {
  return mac_->Hex(0x02, bytes);
}

}  // namespace pip
