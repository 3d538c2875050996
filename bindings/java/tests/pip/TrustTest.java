package pip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed policies, rollback refusal and the decision log (docs/security.md).
 * Ed25519 keys are made here with the JDK; none is stored anywhere.
 */
class TrustTest {
  static final String AS_OF = "2026-03-01T12:00:00+09:00";
  static KeyPair signer;
  static KeyPair stranger;
  static String trustedPem;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    signer = generator.generateKeyPair();
    stranger = generator.generateKeyPair();
    trustedPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(signer.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  // tests/testdata/minimal.textproto at another revision and version.
  static byte[] policy(int revision, String version) throws Exception {
    String text = Files.readString(
        Path.of(System.getProperty("pip.testdata"), "minimal.textproto"), StandardCharsets.UTF_8);
    text = text.replaceFirst("(?m)^revision: 1$", "revision: " + revision)
               .replaceFirst("(?m)^version: \".*\"$", "version: \"" + version + "\"");
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sign(PrivateKey key, byte[] data) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  static EngineOptions trusting(String pem) {
    return EngineOptions.builder().trustedKey(pem).build();
  }

  // 4.1 of the minimal policy: billing may use the name.
  static boolean billingAllowed(Engine engine) {
    return Json
        .object(engine.purposeAllowed("{\"purpose\": \"billing\", \"categories\": [\"name\"],"
            + " \"as_of\": \"" + AS_OF + "\"}"))
        .get("allowed")
        .equals(true);
  }

  @Test
  void signedPolicyLoadsAndAWrongKeyIsRefused_clause5_4() throws Exception {
    byte[] rev5 = policy(5, "2026-05-05");
    try (Engine engine = Engine.create(
             PolicySource.signed(rev5, sign(signer.getPrivate(), rev5), "rev5.textproto"),
             trusting(trustedPem))) {
      assertEquals("2026-05-05", engine.policyVersion());
      assertTrue(billingAllowed(engine));

      byte[] rev6 = policy(6, "2026-06-06");
      engine.reload(PolicySource.signed(rev6, sign(signer.getPrivate(), rev6), "rev6.textproto"));
      assertEquals("2026-06-06", engine.policyVersion());

      // Signed by a key the engine does not trust: refused, the policy stays.
      byte[] rev7 = policy(7, "2026-07-07");
      PipException.Untrusted e = assertThrows(PipException.Untrusted.class,
          ()
              -> engine.reload(
                  PolicySource.signed(rev7, sign(stranger.getPrivate(), rev7), "rev7.textproto")));
      assertEquals("UNAUTHENTICATED", e.codeName());
      // A signature over other bytes: refused too.
      assertThrows(PipException.Untrusted.class,
          ()
              -> engine.reload(
                  PolicySource.signed(rev7, sign(signer.getPrivate(), rev6), "rev7.textproto")));
      assertEquals("2026-06-06", engine.policyVersion());

      // A validly signed older revision is a rollback: refused.
      PipException.FailedPrecondition rollback = assertThrows(PipException.FailedPrecondition.class,
          ()
              -> engine.reload(
                  PolicySource.signed(rev5, sign(signer.getPrivate(), rev5), "rev5.textproto")));
      assertTrue(rollback.getMessage().contains("5") && rollback.getMessage().contains("6"),
          rollback.getMessage());
      assertEquals("2026-06-06", engine.policyVersion());
    }
  }

  @Test
  void signedFileAndRawKeyLoad_clause4_1(@TempDir Path dir) throws Exception {
    byte[] rev3 = policy(3, "2026-03-03");
    Path file = dir.resolve("policy.textproto");
    Path sig = dir.resolve("policy.textproto.sig");
    Files.write(file, rev3);
    Files.write(sig, sign(signer.getPrivate(), rev3));
    // The 32 raw key bytes: the end of the X.509 encoding.
    byte[] encoded = signer.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    try (Engine engine = Engine.create(
             PolicySource.signedFile(file, sig), EngineOptions.builder().trustedKey(raw).build())) {
      assertEquals("2026-03-03", engine.policyVersion());
      assertTrue(billingAllowed(engine));
    }
    // A missing signature file is no signature: refused.
    assertThrows(PipException.Untrusted.class,
        ()
            -> Engine.create(
                PolicySource.signedFile(file, dir.resolve("none.sig")), trusting(trustedPem)));
  }

  @Test
  void unsignedPolicyRefusedWhenSignaturesAreRequired() {
    // Only a policy its author signed may decide (docs/security.md); the
    // embedded default (version 2026-04-01) is unsigned.
    PipException.Untrusted e = assertThrows(PipException.Untrusted.class,
        () -> Engine.create(PolicySource.defaultPolicy(), trusting(trustedPem)));
    assertTrue(e.getMessage().contains("require_signature"), e.getMessage());
    // Not required: the unsigned default loads.
    try (Engine engine = Engine.create(PolicySource.defaultPolicy(),
             EngineOptions.builder().trustedKey(trustedPem).requireSignature(false).build())) {
      assertEquals("2026-04-01", engine.policyVersion());
    }
  }

  @Test
  void signedPolicyWithoutTrustIsRefusedAndMinRevisionHolds() throws Exception {
    // docs/security.md: a signature no key can check is not accepted, and a
    // revision below the floor is a rollback.
    byte[] rev5 = policy(5, "2026-05-05");
    PolicySource signed =
        PolicySource.signed(rev5, sign(signer.getPrivate(), rev5), "rev5.textproto");
    PipException.FailedPrecondition e =
        assertThrows(PipException.FailedPrecondition.class, () -> Engine.create(signed));
    assertTrue(e.getMessage().contains("trust"), e.getMessage());
    assertThrows(PipException.FailedPrecondition.class,
        ()
            -> Engine.create(
                signed, EngineOptions.builder().trustedKey(trustedPem).minRevision(6).build()));
  }

  @Test
  void decisionsAreRecordedToTheLog_clause5_4(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("decisions.jsonl");
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    try (Engine engine = Engine.create(
             PolicySource.defaultPolicy(), EngineOptions.builder().auditLog(log, key).build())) {
      engine.retentionDue("{\"kind\": \"inquiry\", \"event_at\": \"2023-05-10T14:00:00+09:00\","
          + " \"as_of\": \"2026-05-11T00:00:00+09:00\"}");
      // A refused request is recorded too.
      assertThrows(PipException.InvalidArgument.class,
          ()
              -> engine.retentionDue(
                  "{\"kind\": \"inquiry\", \"as_of\": \"2026-05-11T00:00:00+09:00\"}"));
    }
    // The records of decisions, after the line that opens the file.
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8)
                             .stream()
                             .filter(line -> line.contains("\"function\""))
                             .collect(Collectors.toList());
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).contains("retention_due"), lines.get(0));
    assertTrue(lines.get(1).contains("INVALID_ARGUMENT"), lines.get(1));
  }
}
