package pip;

/**
 * The decision functions of {@code include/pip/functions.def}, in its order:
 * each has its name in JSON and in pip.v1.EvalRequest ({@link #jsonName()})
 * and its member number there ({@link #number()}). A test checks this list
 * against the one compiled into the native library.
 */
public enum Function {
  /** May these categories be used for this purpose now? Clauses 2, 3, 4, 8.1. */
  PURPOSE_ALLOWED("purpose_allowed", 1),
  /** Does a valid consent cover this use right now? Clauses 2.4, 2.5, 7. */
  CONSENT_CHECK("consent_check", 2),
  /** Must this record be deleted now, by when, and how? Clause 7. */
  RETENTION_DUE("retention_due", 3),
  /** Is this data-subject request complete, what fee, what deadline? Clause 8. */
  REQUEST_VALIDATE("request_validate", 4),
  /** May these categories be acquired through this channel now? Clauses 2, 3. */
  ACQUISITION_CHECK("acquisition_check", 5),
  /** May personal data be entrusted to this contractor now? Clause 6. */
  CONTRACTOR_CHECK("contractor_check", 6),
  /** Must this incident be reported, and by when? Clause 1.4, APPI 26. */
  INCIDENT_ASSESS("incident_assess", 7),
  /** Where does this complaint go next? Clause 9. */
  COMPLAINT_ROUTE("complaint_route", 8);

  private final String jsonName;
  private final int number;

  Function(String jsonName, int number) {
    this.jsonName = jsonName;
    this.number = number;
  }

  /** The function's name in JSON and in pip.v1.EvalRequest, e.g. "retention_due". */
  public String jsonName() {
    return jsonName;
  }

  /** Its member number in pip.v1.EvalRequest and EvalResponse. */
  public int number() {
    return number;
  }

  /**
   * The function named {@code jsonName}.
   *
   * @throws PipException.InvalidArgument for a name that is no function's
   */
  public static Function named(String jsonName) {
    for (Function f : values()) {
      if (f.jsonName.equals(jsonName))
        return f;
    }
    StringBuilder known = new StringBuilder();
    for (Function f : values()) {
      if (known.length() > 0)
        known.append(", ");
      known.append(f.jsonName);
    }
    throw new PipException.InvalidArgument(
        "unknown function '" + jsonName + "': expected one of " + known);
  }
}
