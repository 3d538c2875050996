package pip;

/**
 * The status codes pip reports, named and numbered as absl::StatusCode (and
 * as the {@code error.code} of {@code pipctl eval} and the C API's
 * {@code pip_status_name}).
 */
public enum StatusCode {
  OK,
  CANCELLED,
  UNKNOWN,
  INVALID_ARGUMENT,
  DEADLINE_EXCEEDED,
  NOT_FOUND,
  ALREADY_EXISTS,
  PERMISSION_DENIED,
  RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION,
  ABORTED,
  OUT_OF_RANGE,
  UNIMPLEMENTED,
  INTERNAL,
  UNAVAILABLE,
  DATA_LOSS,
  UNAUTHENTICATED;

  /** The code named {@code name}, or {@link #UNKNOWN} for a name that is none. */
  public static StatusCode named(String name) {
    for (StatusCode code : values()) {
      if (code.name().equals(name))
        return code;
    }
    return UNKNOWN;
  }
}
