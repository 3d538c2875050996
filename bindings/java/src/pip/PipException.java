package pip;

import java.nio.charset.StandardCharsets;

/**
 * Every error of pip: a status code ({@link #code()}, {@link #codeName()})
 * and pip's message, which names the field, the file or the limit at fault.
 *
 * <p>An error is never a decision: code that catches one must not go on
 * with the use it asked about. A deny is a decision, not an exception.
 *
 * <p>The subclasses below are chosen by the code alone ({@link #of}); a code
 * with no subclass of its own (DATA_LOSS, for a policy file that cannot be
 * read, and the rest) is a plain {@code PipException}.
 */
public class PipException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final StatusCode code;
  private final String codeName;

  PipException(String codeName, String message) {
    super(message);
    this.codeName = codeName;
    this.code = StatusCode.named(codeName);
  }

  /** The status code. */
  public StatusCode code() {
    return code;
  }

  /** The status code's name as pip gave it, e.g. "INVALID_ARGUMENT". */
  public String codeName() {
    return codeName;
  }

  @Override
  public String toString() {
    return getClass().getName() + ": " + codeName + ": " + getMessage();
  }

  /** The exception for a status code name and its message: the one table. */
  public static PipException of(String codeName, String message) {
    switch (StatusCode.named(codeName)) {
      case INVALID_ARGUMENT:
        return new InvalidArgument(message);
      case NOT_FOUND:
        return new NotFound(message);
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return new Untrusted(codeName, message);
      case FAILED_PRECONDITION:
        return new FailedPrecondition(message);
      case RESOURCE_EXHAUSTED:
        return new ResourceExhausted(message);
      case UNAVAILABLE:
        return new Unavailable(message);
      case INTERNAL:
        return new Internal(message);
      default:
        return new PipException(codeName, message);
    }
  }

  // Called by the native library: the message comes as UTF-8 bytes (bytes
  // that are not UTF-8 become U+FFFD), never as JNI's modified UTF-8.
  static PipException fromNative(String codeName, byte[] message) {
    return of(codeName, new String(message, StandardCharsets.UTF_8));
  }

  /**
   * INVALID_ARGUMENT: a malformed request (malformed JSON, an unknown or
   * misspelt field, an unknown id, a missing time, a value past a limit of
   * pip/limits.h), a null argument, a policy that does not parse or
   * validate, or a bad trusted key or audit key. The message names the
   * field, e.g. {@code categories[1]: unknown category 'emial' (did you
   * mean 'email'?)}.
   */
  public static class InvalidArgument extends PipException {
    private static final long serialVersionUID = 1L;

    public InvalidArgument(String message) {
      super("INVALID_ARGUMENT", message);
    }
  }

  /** NOT_FOUND: a policy file that cannot be opened. */
  public static class NotFound extends PipException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super("NOT_FOUND", message);
    }
  }

  /**
   * UNAUTHENTICATED (or PERMISSION_DENIED): a policy whose signature does not
   * verify under a trusted key, or an unsigned policy when signatures are
   * required. The running policy is untouched.
   */
  public static class Untrusted extends PipException {
    private static final long serialVersionUID = 1L;

    Untrusted(String codeName, String message) {
      super(codeName, message);
    }

    public Untrusted(String message) {
      this("UNAUTHENTICATED", message);
    }
  }

  /**
   * FAILED_PRECONDITION: a policy the trust forbids (a rollback, a revision
   * below the floor, a signed policy without trusted keys), a function the
   * policy cannot answer (incident_assess with no incidents section, ...),
   * or a closed engine ({@link EngineClosed}).
   */
  public static class FailedPrecondition extends PipException {
    private static final long serialVersionUID = 1L;

    public FailedPrecondition(String message) {
      super("FAILED_PRECONDITION", message);
    }
  }

  /** FAILED_PRECONDITION: the engine was closed before the call. */
  public static final class EngineClosed extends FailedPrecondition {
    private static final long serialVersionUID = 1L;

    public EngineClosed() {
      super("engine: closed");
    }
  }

  /** RESOURCE_EXHAUSTED: a batch's answers past kMaxBatchOutputBytes, or no memory. */
  public static class ResourceExhausted extends PipException {
    private static final long serialVersionUID = 1L;

    public ResourceExhausted(String message) {
      super("RESOURCE_EXHAUSTED", message);
    }
  }

  /**
   * UNAVAILABLE: the decision log could not be opened or could not record a
   * decision (the decision is withheld, never returned unrecorded), or a
   * revision file could not be written.
   */
  public static class Unavailable extends PipException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
      super("UNAVAILABLE", message);
    }
  }

  /** INTERNAL: a fault in pip itself. Never expected; never a decision. */
  public static class Internal extends PipException {
    private static final long serialVersionUID = 1L;

    public Internal(String message) {
      super("INTERNAL", message);
    }
  }
}
