#include "src/internal/digest.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "absl/strings/escaping.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace pip {
namespace internal {

std::string DeterministicBytes(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), sizeof(digest)));
}

namespace {

constexpr size_t kBlockBytes = 64;  // SHA-256's block

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// A context each thread reuses for its MACs, so that a MAC allocates no
// context of its own.
EVP_MD_CTX* ScratchContext() {
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(
      EVP_MD_CTX_new());
  return ctx.get();
}

// A SHA-256 state that has absorbed `block`.
EVP_MD_CTX* AbsorbedBlock(const unsigned char* block) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, block, kBlockBytes) != 1) {
    // Only allocation can fail here; a MAC must never be computed wrong.
    std::abort();
  }
  return ctx;
}

}  // namespace

HmacSha256::HmacSha256(absl::string_view key) {
  // A key longer than a block is replaced by its digest (RFC 2104 2.).
  unsigned char k[kBlockBytes] = {};
  if (key.size() > kBlockBytes) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), k);
  } else {
    std::memcpy(k, key.data(), key.size());
  }
  unsigned char pad[kBlockBytes];
  for (size_t i = 0; i < kBlockBytes; ++i) pad[i] = k[i] ^ 0x36;
  inner_ = AbsorbedBlock(pad);
  for (size_t i = 0; i < kBlockBytes; ++i) pad[i] = k[i] ^ 0x5c;
  outer_ = AbsorbedBlock(pad);
  OPENSSL_cleanse(k, sizeof(k));
  OPENSSL_cleanse(pad, sizeof(pad));
}

HmacSha256::~HmacSha256() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

std::string HmacSha256::Hex(unsigned char domain,
                            absl::string_view bytes) const {
  EVP_MD_CTX* ctx = ScratchContext();
  unsigned char inner[SHA256_DIGEST_LENGTH];
  unsigned char mac[SHA256_DIGEST_LENGTH];
  // Copying reads the keyed states only, so threads share them.
  if (ctx == nullptr || EVP_MD_CTX_copy_ex(ctx, inner_) != 1 ||
      EVP_DigestUpdate(ctx, &domain, 1) != 1 ||
      EVP_DigestUpdate(ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, inner, nullptr) != 1 ||
      EVP_MD_CTX_copy_ex(ctx, outer_) != 1 ||
      EVP_DigestUpdate(ctx, inner, sizeof(inner)) != 1 ||
      EVP_DigestFinal_ex(ctx, mac, nullptr) != 1) {
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(mac), sizeof(mac)));
}

}  // namespace internal
}  // namespace pip
