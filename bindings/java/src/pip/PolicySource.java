package pip;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where a policy comes from: pip::PolicySource. An immutable value made by
 * the factories below; making one reads and checks nothing (a missing file
 * is found when an engine reads it, by {@link Engine#create} or
 * {@link Engine#reload}).
 */
public final class PolicySource {
  // The kinds the native library knows (bindings/java/native/pip_jni.cc).
  static final int DEFAULT = 0;
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int FILE = 3;
  static final int SIGNED = 4;
  static final int SIGNED_FILE = 5;

  final int kind;
  // TEXT, BINARY, SIGNED: the policy bytes.
  final byte[] bytes;
  // TEXT, BINARY, SIGNED: the name that labels problems; FILE, SIGNED_FILE:
  // the policy file's path. UTF-8.
  final byte[] name;
  // SIGNED: the signature; SIGNED_FILE: the signature file's path (UTF-8).
  final byte[] signature;

  private PolicySource(int kind, byte[] bytes, String name, byte[] signature) {
    this.kind = kind;
    this.bytes = bytes;
    this.name = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
    this.signature = signature;
  }

  /** The default policy embedded in the library (policies/default.textproto). */
  public static PolicySource defaultPolicy() {
    return new PolicySource(DEFAULT, null, null, null);
  }

  /** A text-format pip.v1.Policy; {@code name} only labels the problems reported. */
  public static PolicySource text(String text, String name) {
    return new PolicySource(TEXT, Args.utf8(text, "text"), Args.orEmpty(name), null);
  }

  /** A text-format pip.v1.Policy. */
  public static PolicySource text(String text) {
    return text(text, "");
  }

  /** Serialized (binary) pip.v1.Policy bytes; {@code name} prefixes the problem reported. */
  public static PolicySource binary(byte[] policy, String name) {
    return new PolicySource(BINARY, Args.copy(policy, "policy"), Args.orEmpty(name), null);
  }

  /** Serialized (binary) pip.v1.Policy bytes. */
  public static PolicySource binary(byte[] policy) {
    return binary(policy, "");
  }

  /** A policy file: binary when its name ends in ".binpb" or ".pb", text format otherwise. */
  public static PolicySource file(Path path) {
    return new PolicySource(FILE, null, Args.path(path, "path"), null);
  }

  /**
   * Policy bytes (text format, or binary when {@code name} ends in ".binpb"
   * or ".pb") and a detached Ed25519 signature over exactly those bytes (64
   * raw bytes or their base64). Needs trusted keys ({@link EngineOptions}).
   */
  public static PolicySource signed(byte[] policy, byte[] signature, String name) {
    return new PolicySource(
        SIGNED, Args.copy(policy, "policy"), Args.orEmpty(name), Args.copy(signature, "signature"));
  }

  /**
   * A policy file and its signature file (conventionally the policy's path
   * and ".sig"); a missing signature file counts as no signature. Needs
   * trusted keys ({@link EngineOptions}).
   */
  public static PolicySource signedFile(Path policy, Path signature) {
    return new PolicySource(SIGNED_FILE, null, Args.path(policy, "policy"),
        Args.path(signature, "signature").getBytes(StandardCharsets.UTF_8));
  }
}
