#include <openssl/hmac.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "pip/audit.h"

namespace pip {

AuditKey::AuditKey(std::string key) : key_(std::move(key)) {
  id_ = Mac(0x00, "key id").substr(0, 16);
}

absl::StatusOr<AuditKey> AuditKey::FromBytes(absl::string_view bytes) {
  if (bytes.size() < kMinBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "audit key: ", bytes.size(), " bytes; at least ", kMinBytes,
        " are needed (AuditKey::kMinBytes), e.g. `openssl rand 32 > FILE`"));
  }
  return AuditKey(std::string(bytes));
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

std::string AuditKey::Mac(unsigned char domain, absl::string_view bytes) const {
  std::string input;
  input.reserve(bytes.size() + 1);
  input.push_back(static_cast<char>(domain));
  input.append(bytes.data(), bytes.size());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
       &mac_len);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

std::string AuditKey::Pseudonym(absl::string_view id) const {
  return Mac(0x01, id);
}

std::string AuditKey::ChainMac(absl::string_view bytes) const {
  return Mac(0x02, bytes);
}

}  // namespace pip
