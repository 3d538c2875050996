// Tests of policy integrity (pip/trust.h): a policy loads or reloads only
// with a signature by a trusted key when one is required, never rolls back
// to an older revision, and a refused policy leaves the running one
// untouched. The policy governs every decision (clauses 2-8), so a
// tampered or stale one would change them all.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/trust.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::pip::testing::BillingRequest;
using ::pip::testing::StatusIs;
using ::testing::HasSubstr;

// The default policy's text with another version and revision.
std::string PolicyText(int revision, const std::string& version) {
  return absl::StrReplaceAll(
      DefaultPolicyText(),
      {{"version: \"2026-04-01\"", absl::StrCat("version: \"", version, "\"")},
       {"\nrevision: 1\n", absl::StrCat("\nrevision: ", revision, "\n")}});
}

// Keys made at test time; no private key is stored anywhere.
class SignedPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Ed25519KeyPair> signer = GenerateEd25519KeyPair();
    ASSERT_OK(signer);
    signer_ = *signer;
    absl::StatusOr<Ed25519KeyPair> stranger = GenerateEd25519KeyPair();
    ASSERT_OK(stranger);
    stranger_ = *stranger;
    PolicyTrustOptions options;
    options.trusted_keys.push_back(signer_.public_pem);
    absl::StatusOr<PolicyTrust> trust = PolicyTrust::Create(options);
    ASSERT_OK(trust);
    trust_ = std::make_unique<PolicyTrust>(*trust);
  }

  static EngineOptions Trusting(const PolicyTrust& trust) {
    EngineOptions options;
    options.trust = trust;
    return options;
  }

  std::string Sign(const std::string& bytes, const Ed25519KeyPair& key) {
    absl::StatusOr<std::string> sig = SignPolicy(bytes, key.private_pem);
    EXPECT_OK(sig);
    return sig.ok() ? *sig : std::string();
  }

  // An engine running revision 5, signed.
  std::unique_ptr<Engine> Running() {
    const std::string text = PolicyText(5, "2026-05-01");
    auto engine = Engine::Create(
        PolicySource::Signed(text, Sign(text, signer_), "policy.textproto"),
        Trusting(*trust_));
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  // Asserts that `engine` still runs revision 5 and decides with it.
  void ExpectUntouched(const Engine& engine, const std::string& hash) {
    EXPECT_EQ(engine.policy_version(), "2026-05-01");
    EXPECT_EQ(engine.policy().revision(), 5);
    EXPECT_EQ(engine.policy_hash(), hash);
    absl::StatusOr<v1::PurposeAllowedDecision> d =
        engine.PurposeAllowed(BillingRequest());
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed()) << "clause 4.1: billing is permitted";
    EXPECT_EQ(d->policy().version(), "2026-05-01");
    EXPECT_EQ(d->policy().hash(), hash);
  }

  Ed25519KeyPair signer_;
  Ed25519KeyPair stranger_;
  std::unique_ptr<PolicyTrust> trust_;
};

TEST_F(SignedPolicyTest, SignedPolicyLoadsAndNewerRevisionReloads) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  EXPECT_EQ(engine->policy_version(), "2026-05-01");

  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s =
      engine->Reload(PolicySource::Signed(next, Sign(next, signer_)));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(engine->policy_version(), "2026-06-01");

  // The same revision and content again is no rollback.
  s = engine->Reload(PolicySource::Signed(next, Sign(next, signer_)));
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(SignedPolicyTest, SignatureIsAcceptedRawOrBase64AndBinaryPoliciesToo) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string next = PolicyText(6, "2026-06-01");
  std::string base64 = absl::Base64Escape(Sign(next, signer_));
  base64.insert(40, "\n");
  base64 += "\n";
  absl::Status s = engine->Reload(PolicySource::Signed(next, base64));
  ASSERT_TRUE(s.ok()) << s;

  v1::Policy policy = engine->policy();
  policy.set_revision(7);
  policy.set_version("2026-07-01");
  const std::string binary = policy.SerializeAsString();
  s = engine->Reload(
      PolicySource::Signed(binary, Sign(binary, signer_), "policy.binpb"));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(engine->policy_version(), "2026-07-01");
}

TEST_F(SignedPolicyTest, TamperedPolicyIsRefusedAndRunningOneUntouched) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string next = PolicyText(6, "2026-06-01");
  const std::string signature = Sign(next, signer_);
  // One changed byte after signing: the 300 JPY fee of clause 8.3 becomes 0.
  const std::string tampered =
      absl::StrReplaceAll(next, {{"fee_jpy: 300", "fee_jpy: 0"}});
  ASSERT_NE(tampered, next);
  absl::Status s = engine->Reload(PolicySource::Signed(tampered, signature));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_THAT(s.message(), HasSubstr("does not verify"));
  ExpectUntouched(*engine, hash);
}

TEST_F(SignedPolicyTest, UntrustedKeyIsRefused) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s =
      engine->Reload(PolicySource::Signed(next, Sign(next, stranger_)));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  ExpectUntouched(*engine, hash);

  auto fresh = Engine::Create(PolicySource::Signed(next, Sign(next, stranger_)),
                              Trusting(*trust_));
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(SignedPolicyTest, MalformedSignatureIsRefused) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string next = PolicyText(6, "2026-06-01");
  for (const std::string& bad :
       {std::string("not a signature"), std::string(63, 'x'),
        Sign(next, signer_).substr(0, 32)}) {
    absl::Status s = engine->Reload(PolicySource::Signed(next, bad));
    EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  }
  ExpectUntouched(*engine, hash);
}

TEST_F(SignedPolicyTest, MissingSignatureIsRefusedWhenRequired) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s = engine->Reload(PolicySource::Signed(next, ""));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_THAT(s.message(), HasSubstr("require_signature"));

  // The unsigned reloads are closed too.
  s = engine->Reload(PolicySource::Text(next));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  v1::Policy policy = engine->policy();
  policy.set_revision(6);
  s = engine->Reload(PolicySource::Message(policy));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  s = engine->Reload(PolicySource::Binary(policy.SerializeAsString()));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  s = engine->Reload(PolicySource::File(
      absl::StrCat(PIP_SOURCE_DIR, "/policies/default.textproto")));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  s = engine->Reload(PolicySource::Default());
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  ExpectUntouched(*engine, hash);

  auto fresh =
      Engine::Create(PolicySource::Signed(next, ""), Trusting(*trust_));
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(SignedPolicyTest, OlderRevisionIsRefusedNamingBothRevisions) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string old = PolicyText(4, "2026-04-01");
  absl::Status s =
      engine->Reload(PolicySource::Signed(old, Sign(old, signer_)));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("revision 4"));
  EXPECT_THAT(s.message(), HasSubstr("revision 5"));
  ExpectUntouched(*engine, hash);
}

TEST_F(SignedPolicyTest, SameRevisionWithOtherContentIsRefused) {
  auto engine = Running();
  ASSERT_TRUE(engine);
  const std::string hash = engine->policy_hash();
  const std::string other = PolicyText(5, "2026-05-02");
  absl::Status s =
      engine->Reload(PolicySource::Signed(other, Sign(other, signer_)));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("revision 5"));
  ExpectUntouched(*engine, hash);
}

TEST_F(SignedPolicyTest, MinRevisionHoldsAcrossRestarts) {
  PolicyTrustOptions options;
  options.trusted_keys.push_back(signer_.public_pem);
  options.min_revision = 5;
  absl::StatusOr<PolicyTrust> trust = PolicyTrust::Create(options);
  ASSERT_OK(trust);
  const std::string old = PolicyText(4, "2026-04-01");
  auto engine = Engine::Create(PolicySource::Signed(old, Sign(old, signer_)),
                               Trusting(*trust));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(engine.status().message(), HasSubstr("revision 4"));
}

// A revision file keeps the floor by itself (docs/security.md, rollback
// after a restart): the revision each engine accepted is written to it
// before the policy runs, and the next start refuses an older policy
// however validly signed.
class RevisionFileTest : public SignedPolicyTest {
 protected:
  void SetUp() override {
    SignedPolicyTest::SetUp();
    char dir[] = "/tmp/pip_revision_XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/revision";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::unlink((path_ + ".tmp").c_str());
    ::rmdir(dir_.c_str());
  }

  absl::StatusOr<PolicyTrust> Trust() {
    PolicyTrustOptions options;
    options.trusted_keys.push_back(signer_.public_pem);
    options.revision_file = path_;
    return PolicyTrust::Create(options);
  }

  absl::StatusOr<std::unique_ptr<Engine>> Start(int revision) {
    absl::StatusOr<PolicyTrust> trust = Trust();
    if (!trust.ok()) return trust.status();
    const std::string text =
        PolicyText(revision, absl::StrCat("2026-0", revision, "-01"));
    return Engine::Create(PolicySource::Signed(text, Sign(text, signer_)),
                          Trusting(*trust));
  }

  std::string Stored() {
    std::ifstream in(path_);
    std::string line;
    std::getline(in, line);
    return line;
  }

  void Store(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(RevisionFileTest, RollbackAfterARestartIsRefused) {
  {
    auto engine = Start(5);
    ASSERT_TRUE(engine.ok()) << engine.status();
    EXPECT_EQ(Stored(), "5") << "the first start writes its revision";
  }
  // The process restarts with an older policy, validly signed.
  auto older = Start(4);
  ASSERT_FALSE(older.ok());
  EXPECT_THAT(older.status(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(older.status().message(), HasSubstr("revision 4"));
  EXPECT_THAT(older.status().message(), HasSubstr(path_));
  EXPECT_EQ(Stored(), "5") << "a refused policy writes nothing";
  // The same revision starts again.
  EXPECT_TRUE(Start(5).ok());
}

TEST_F(RevisionFileTest, ReloadRaisesTheFloorBeforeThePolicyRuns) {
  auto engine = Start(5);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string next = PolicyText(7, "2026-07-01");
  ASSERT_OK((*engine)->Reload(PolicySource::Signed(next, Sign(next, signer_))));
  EXPECT_EQ(Stored(), "7");
  // A restart with revision 6 (newer than the first, older than the last)
  // is refused.
  auto six = Start(6);
  EXPECT_THAT(six.status(), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RevisionFileTest, ALowerMinRevisionDoesNotLowerTheFloor) {
  Store("9\n");
  absl::StatusOr<PolicyTrust> trust = Trust();
  ASSERT_OK(trust);
  EXPECT_EQ(trust->min_revision(), 9);
  EXPECT_THAT(Start(8).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(RevisionFileTest, AFileThatHoldsNoRevisionRefusesToStart) {
  for (const char* bytes : {"", "5", "five\n", "-1\n", "5\n6\n", " 5\n",
                            "99999999999999999999\n"}) {
    Store(bytes);
    absl::StatusOr<PolicyTrust> trust = Trust();
    EXPECT_THAT(trust.status(),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << "'" << bytes << "'";
    if (!trust.ok()) {
      EXPECT_THAT(trust.status().message(), HasSubstr("revision_file"));
    }
  }
}

TEST_F(RevisionFileTest, APolicyWhoseRevisionCannotBeKeptDoesNotRun) {
  auto engine = Start(5);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string hash = (*engine)->policy_hash();
  // The temporary file cannot be made (a directory holds its name; this
  // fails for root too).
  ASSERT_EQ(::mkdir((path_ + ".tmp").c_str(), 0700), 0);
  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s =
      (*engine)->Reload(PolicySource::Signed(next, Sign(next, signer_)));
  ::rmdir((path_ + ".tmp").c_str());
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(s.message(), HasSubstr(path_));
  ExpectUntouched(**engine, hash);
  EXPECT_EQ(Stored(), "5");
}

TEST_F(SignedPolicyTest, UnsignedAllowedWhenNotRequiredButRollbackStillRefused) {
  PolicyTrustOptions options;
  options.trusted_keys.push_back(signer_.public_pem);
  options.require_signature = false;
  absl::StatusOr<PolicyTrust> trust = PolicyTrust::Create(options);
  ASSERT_OK(trust);
  const std::string text = PolicyText(5, "2026-05-01");
  auto engine = Engine::Create(PolicySource::Text(text), Trusting(*trust));
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::string hash = (*engine)->policy_hash();

  // A signature that is present must still verify.
  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s =
      (*engine)->Reload(PolicySource::Signed(next, Sign(next, stranger_)));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  s = (*engine)->Reload(PolicySource::Text(PolicyText(4, "2026-04-01")));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  ExpectUntouched(**engine, hash);
  s = (*engine)->Reload(PolicySource::Text(next));
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(SignedPolicyTest, SignedSourceWithoutTrustIsMisuse) {
  auto engine = Engine::Create(PolicySource::Default());
  ASSERT_TRUE(engine.ok());
  const std::string next = PolicyText(6, "2026-06-01");
  absl::Status s =
      (*engine)->Reload(PolicySource::Signed(next, Sign(next, signer_)));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("EngineOptions.trust"));
  EXPECT_EQ((*engine)->policy().revision(), 1);

  auto fresh = Engine::Create(PolicySource::Signed(next, Sign(next, signer_)));
  ASSERT_FALSE(fresh.ok());
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(fresh.status().message(), HasSubstr("EngineOptions.trust"));
  fresh = Engine::Create(PolicySource::SignedFile(
      "/nonexistent/policy.textproto", "/nonexistent/policy.sig"));
  EXPECT_EQ(fresh.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SignedPolicyTest, UnsignedSourceIsRefusedAtCreateWhenRequired) {
  for (const PolicySource& source :
       {PolicySource::Default(),
        PolicySource::Text(PolicyText(5, "2026-05-01")),
        PolicySource::File(
            absl::StrCat(PIP_SOURCE_DIR, "/policies/default.textproto"))}) {
    auto engine = Engine::Create(source, Trusting(*trust_));
    ASSERT_FALSE(engine.ok());
    EXPECT_EQ(engine.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(engine.status().message(), HasSubstr("require_signature"));
  }
}

TEST_F(SignedPolicyTest, SignedFilesLoadAndMissingSignatureFileIsNoSignature) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/signed_policy_test.textproto";
  const std::string text = PolicyText(5, "2026-05-01");
  { std::ofstream(path, std::ios::binary) << text; }
  { std::ofstream(path + ".sig", std::ios::binary) << Sign(text, signer_); }
  auto engine = Engine::Create(PolicySource::SignedFile(path, path + ".sig"),
                               Trusting(*trust_));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_version(), "2026-05-01");

  auto unsigned_engine = Engine::Create(
      PolicySource::SignedFile(path, path + ".nosuch.sig"), Trusting(*trust_));
  ASSERT_FALSE(unsigned_engine.ok());
  EXPECT_EQ(unsigned_engine.status().code(),
            absl::StatusCode::kUnauthenticated);

  auto missing =
      Engine::Create(PolicySource::SignedFile(path + ".nosuch", path + ".sig"),
                     Trusting(*trust_));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  // A reload from the files: the same revision and content is no rollback.
  absl::Status s =
      (*engine)->Reload(PolicySource::SignedFile(path, path + ".sig"));
  EXPECT_TRUE(s.ok()) << s;
  std::remove(path.c_str());
  std::remove((path + ".sig").c_str());
}

TEST(PolicyTrustTest, RefusesKeysThatAreNotEd25519PublicKeys) {
  PolicyTrustOptions options;
  options.trusted_keys.push_back("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  absl::StatusOr<PolicyTrust> trust = PolicyTrust::Create(options);
  ASSERT_THAT(trust, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("trusted_keys[0]")));

  // A private key is not a trusted key.
  absl::StatusOr<Ed25519KeyPair> pair = GenerateEd25519KeyPair();
  ASSERT_OK(pair);
  options.trusted_keys = {pair->private_pem};
  EXPECT_THAT(PolicyTrust::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // Signatures required with no key: nothing could ever load.
  options.trusted_keys.clear();
  trust = PolicyTrust::Create(options);
  ASSERT_FALSE(trust.ok());
  EXPECT_THAT(trust.status().message(), HasSubstr("require_signature"));

  EXPECT_THAT(SignPolicy("x", pair->public_pem),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace pip
