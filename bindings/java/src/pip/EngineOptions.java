package pip;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an {@link Engine} is created with besides its policy, fixed for the
 * engine's life: pip::EngineOptions (include/pip/engine.h,
 * docs/security.md). Made with {@link #builder()}; immutable.
 *
 * <pre>{@code
 * EngineOptions options = EngineOptions.builder()
 *     .trustedKey(Files.readString(Path.of("/etc/pip/trusted.pem")))
 *     .auditLog(Path.of("/var/log/pip/decisions.jsonl"),
 *               Files.readAllBytes(Path.of("/etc/pip/audit.key")))
 *     .build();
 * }</pre>
 */
public final class EngineOptions {
  /** No trust, no decision log. */
  public static final EngineOptions NONE = builder().build();

  final boolean trust;
  final byte[][] trustedKeys;
  final boolean requireSignature;
  final long minRevision;
  final byte[] revisionFile;
  final byte[] auditLog;
  final byte[] auditKey;

  private EngineOptions(Builder b) {
    trust = b.trust;
    trustedKeys = b.trustedKeys.toArray(new byte[0][]);
    requireSignature = b.requireSignature;
    minRevision = b.minRevision;
    revisionFile = b.revisionFile == null ? null : b.revisionFile.getBytes(StandardCharsets.UTF_8);
    auditLog = b.auditLog == null ? null : b.auditLog.getBytes(StandardCharsets.UTF_8);
    auditKey = b.auditKey;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds EngineOptions. Calling any of the trust methods (trustedKey,
   * requireSignature, minRevision, revisionFile) gives the engine a trust:
   * then signed policies load, every reload is checked against rollback,
   * and, unless {@code requireSignature(false)}, unsigned policies are
   * refused ({@link PipException.Untrusted}). Bad keys are reported by
   * {@link Engine#create} ({@link PipException.InvalidArgument}).
   */
  public static final class Builder {
    private boolean trust;
    private final List<byte[]> trustedKeys = new ArrayList<>();
    private boolean requireSignature = true;
    private long minRevision;
    private String revisionFile;
    private String auditLog;
    private byte[] auditKey;

    private Builder() {}

    /** An Ed25519 public key whose signatures are accepted, as a PEM "PUBLIC KEY" block. */
    public Builder trustedKey(String pem) {
      trust = true;
      trustedKeys.add(Args.utf8(pem, "trustedKey"));
      return this;
    }

    /** An Ed25519 public key whose signatures are accepted: PEM bytes or the 32 raw key bytes. */
    public Builder trustedKey(byte[] key) {
      trust = true;
      trustedKeys.add(Args.copy(key, "trustedKey"));
      return this;
    }

    /** Refuse every policy not signed by a trusted key (default true once there is a trust). */
    public Builder requireSignature(boolean require) {
      trust = true;
      requireSignature = require;
      return this;
    }

    /** Refuse any policy whose revision is lower: the rollback floor across restarts. */
    public Builder minRevision(long revision) {
      trust = true;
      minRevision = revision;
      return this;
    }

    /** A file that keeps the rollback floor across restarts by itself. */
    public Builder revisionFile(Path file) {
      trust = true;
      revisionFile = Args.path(file, "revisionFile");
      return this;
    }

    /**
     * The decision log (clause 5.4): a JSON-lines file and its secret key (at
     * least 32 bytes). Every decision and refused request is recorded before
     * it is returned; when it cannot be, the call throws
     * {@link PipException.Unavailable} instead.
     */
    public Builder auditLog(Path log, byte[] key) {
      auditLog = Args.path(log, "auditLog");
      auditKey = Args.copy(key, "auditKey");
      return this;
    }

    public EngineOptions build() {
      return new EngineOptions(this);
    }
  }
}
