package pip;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The pip policy engine (pip::Engine) for Java: one compiled, validated
 * policy that answers the questions of include/pip/functions.def.
 *
 * <p>Requests and decisions are JSON strings in pip's JSON contract
 * (docs/json.md: proto field names, ids and enum names as strings, times as
 * RFC 3339 strings; every field of a decision printed), or serialized
 * pip.v1 messages as {@code byte[]} (the {@code *Pb} methods).
 *
 * <p>Errors are exceptions ({@link PipException} and its subclasses), never
 * decisions; a deny is a decision. Null arguments are
 * {@link PipException.InvalidArgument}.
 *
 * <p>Thread-safety: an Engine is thread-safe. Any number of threads may
 * decide while another reloads; each call decides on one policy. Calls hold
 * a read lock on the native engine and {@link #close()} takes the write
 * lock, so close waits for calls in flight and a call after close throws
 * {@link PipException.EngineClosed}; closing twice is harmless. An engine
 * never closed is freed after it becomes unreachable (a {@link Cleaner}),
 * at a time the garbage collector chooses: close engines.
 *
 * <p>The native library is {@code libpip_jni.so}: loaded from the path in
 * the system property {@code pip.jni.library} when it is set (relative to
 * the working directory), by
 * {@link System#loadLibrary} ({@code java.library.path}) otherwise.
 */
public final class Engine implements AutoCloseable {
  static {
    String path = System.getProperty("pip.jni.library");
    if (path != null && !path.isEmpty()) {
      System.load(java.nio.file.Path.of(path).toAbsolutePath().toString());
    } else {
      System.loadLibrary("pip_jni");
    }
  }

  // The native engine and the lock that guards it, apart from the Engine so
  // that the Cleaner can free it once the Engine is unreachable.
  private static final class NativeEngine implements Runnable {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    long handle; // the native pip::Engine; 0 once freed. Guarded by lock.

    NativeEngine(long handle) {
      this.handle = handle;
    }

    // Frees the engine once the calls in flight have returned.
    @Override
    public void run() {
      ReentrantReadWriteLock.WriteLock w = lock.writeLock();
      w.lock();
      try {
        if (handle != 0) {
          nDestroy(handle);
          handle = 0;
          FREED.incrementAndGet();
        }
      } finally {
        w.unlock();
      }
    }
  }

  private static final Cleaner CLEANER = Cleaner.create();
  // How many native engines have been freed (for the tests).
  static final AtomicLong FREED = new AtomicLong();

  private final NativeEngine engine;
  private final ReentrantReadWriteLock lock;
  private final Cleaner.Cleanable cleanable;

  private Engine(long handle) {
    this.engine = new NativeEngine(handle);
    this.lock = engine.lock;
    this.cleanable = CLEANER.register(this, engine);
  }

  /** An engine running the default policy embedded in the library. */
  public static Engine withDefaultPolicy() {
    return create(PolicySource.defaultPolicy(), EngineOptions.NONE);
  }

  /** An engine running the policy {@code source} reads, with no trust and no decision log. */
  public static Engine create(PolicySource source) {
    return create(source, EngineOptions.NONE);
  }

  /**
   * An engine running the policy {@code source} reads, checked against the
   * options' trust and recording to their decision log.
   *
   * @throws PipException.InvalidArgument a policy that does not parse or
   *     validate (the message lists every problem), a bad trusted key or audit
   *     key, a path holding a NUL character
   * @throws PipException.NotFound a policy file that cannot be opened
   * @throws PipException.Untrusted a signature that does not verify, or an
   *     unsigned policy when signatures are required
   * @throws PipException.FailedPrecondition a signed policy with no trusted
   *     keys, a revision below the floor
   * @throws PipException.Unavailable a decision log that cannot be opened
   */
  public static Engine create(PolicySource source, EngineOptions options) {
    Args.nonNull(source, "source");
    Args.nonNull(options, "options");
    return new Engine(nCreate(source.kind, source.bytes, source.name, source.signature,
        options.trust ? options.trustedKeys : null, options.requireSignature, options.minRevision,
        options.revisionFile, options.auditLog, options.auditKey));
  }

  /**
   * Replaces the policy atomically with the one {@code source} reads, checked
   * against the engine's trust (no rollback). Calls in flight finish on the
   * policy they started with. On error the running policy stays.
   *
   * @throws PipException as {@link #create}, and
   *     {@link PipException.FailedPrecondition} for a rollback
   */
  public void reload(PolicySource source) {
    Args.nonNull(source, "source");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      nReload(open(), source.kind, source.bytes, source.name, source.signature);
    } finally {
      r.unlock();
    }
  }

  /** The running policy's version string. */
  public String policyVersion() {
    return new String(info(0), StandardCharsets.UTF_8);
  }

  /** The running policy's content hash (lowercase hex SHA-256). */
  public String policyHash() {
    return new String(info(1), StandardCharsets.UTF_8);
  }

  // --- The decisions on JSON -------------------------------------------------

  /**
   * Decides one function's request: a pip.v1.&lt;Name&gt;Request as JSON in,
   * the &lt;Name&gt;Decision as one line of JSON out.
   *
   * @throws PipException.InvalidArgument malformed JSON, an unknown field, a
   *     wrong type, an unknown id, a missing time, a value past a limit: the
   *     message names the field
   * @throws PipException.FailedPrecondition a function the policy cannot answer
   * @throws PipException.Unavailable the decision could not be recorded
   */
  public String decide(Function function, String requestJson) {
    Args.nonNull(function, "function");
    byte[] in = Args.utf8(requestJson, "request");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return new String(nDecideJson(open(), function.number(), in), StandardCharsets.UTF_8);
    } finally {
      r.unlock();
    }
  }

  /** May these categories be used for this purpose now? Clauses 2, 3, 4, 8.1. */
  public String purposeAllowed(String requestJson) {
    return decide(Function.PURPOSE_ALLOWED, requestJson);
  }

  /** Does a valid consent cover this use right now? Clauses 2.4, 2.5, 7. */
  public String consentCheck(String requestJson) {
    return decide(Function.CONSENT_CHECK, requestJson);
  }

  /** Must this record be deleted now, by when, and how? Clause 7. */
  public String retentionDue(String requestJson) {
    return decide(Function.RETENTION_DUE, requestJson);
  }

  /** Is this data-subject request complete, what fee, what deadline, what to review? Clause 8. */
  public String requestValidate(String requestJson) {
    return decide(Function.REQUEST_VALIDATE, requestJson);
  }

  /** May these categories be acquired through this channel now? Clauses 2, 3; APPI 20, 21, 30. */
  public String acquisitionCheck(String requestJson) {
    return decide(Function.ACQUISITION_CHECK, requestJson);
  }

  /** May personal data be entrusted to this contractor now? Clause 6; APPI 25, 28. */
  public String contractorCheck(String requestJson) {
    return decide(Function.CONTRACTOR_CHECK, requestJson);
  }

  /** Must this incident be reported, must the people be notified, by when? 1.4; APPI 26. */
  public String incidentAssess(String requestJson) {
    return decide(Function.INCIDENT_ASSESS, requestJson);
  }

  /** Where does this complaint go next, and who owns the step? Clause 9. */
  public String complaintRoute(String requestJson) {
    return decide(Function.COMPLAINT_ROUTE, requestJson);
  }

  /**
   * Evaluates a pip.v1.EvalRequest, {@code {"retention_due": {...}}} (one
   * line of {@code pipctl eval}), into its EvalResponse,
   * {@code {"retention_due": decision}}. An error throws instead of coming
   * back as {@code {"error": ...}}.
   */
  public String evaluate(String evalRequestJson) {
    byte[] in = Args.utf8(evalRequestJson, "request");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return new String(nEvaluateJson(open(), in), StandardCharsets.UTF_8);
    } finally {
      r.unlock();
    }
  }

  /**
   * Evaluates every pip.v1.EvalRequest of {@code evalRequestsJson} on one
   * policy, the one running when the call starts: answer i answers request
   * i, as an EvalResponse line. Never throws for one request: a request that
   * cannot be read or decided is answered with {@code {"error": {"code":
   * ..., "message": ...}}} in its place.
   */
  public List<String> evaluateBatch(List<String> evalRequestsJson) {
    Args.nonNull(evalRequestsJson, "requests");
    byte[][] in = new byte[evalRequestsJson.size()][];
    for (int i = 0; i < in.length; ++i) {
      in[i] = Args.utf8(evalRequestsJson.get(i), "requests[" + i + "]");
    }
    byte[][] out;
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      out = nEvaluateJsonBatch(open(), in);
    } finally {
      r.unlock();
    }
    List<String> answers = new ArrayList<>(out.length);
    for (byte[] line : out) answers.add(new String(line, StandardCharsets.UTF_8));
    return answers;
  }

  /**
   * The decision of a pip.v1.EvalRequest explained in Japanese and English,
   * citing clauses (and quoting their text unless {@code quoteClauses} is
   * false): what {@code pipctl explain} prints.
   */
  public String explain(String evalRequestJson, boolean quoteClauses) {
    byte[] in = Args.utf8(evalRequestJson, "request");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return new String(nExplainJson(open(), in, quoteClauses), StandardCharsets.UTF_8);
    } finally {
      r.unlock();
    }
  }

  // --- The decisions on serialized pip.v1 messages ---------------------------

  /**
   * Decides one function's request: a serialized pip.v1.&lt;Name&gt;Request
   * in, the serialized &lt;Name&gt;Decision out. Requests are read strictly:
   * corrupt bytes, a field this version of pip does not know, or a field
   * given twice are {@link PipException.InvalidArgument}.
   */
  public byte[] decidePb(Function function, byte[] request) {
    Args.nonNull(function, "function");
    Args.nonNull(request, "request");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return nDecidePb(open(), function.number(), request);
    } finally {
      r.unlock();
    }
  }

  /** Serialized PurposeAllowedRequest in, PurposeAllowedDecision out. */
  public byte[] purposeAllowedPb(byte[] request) {
    return decidePb(Function.PURPOSE_ALLOWED, request);
  }

  /** Serialized ConsentCheckRequest in, ConsentCheckDecision out. */
  public byte[] consentCheckPb(byte[] request) {
    return decidePb(Function.CONSENT_CHECK, request);
  }

  /** Serialized RetentionDueRequest in, RetentionDueDecision out. */
  public byte[] retentionDuePb(byte[] request) {
    return decidePb(Function.RETENTION_DUE, request);
  }

  /** Serialized RequestValidateRequest in, RequestValidateDecision out. */
  public byte[] requestValidatePb(byte[] request) {
    return decidePb(Function.REQUEST_VALIDATE, request);
  }

  /** Serialized AcquisitionCheckRequest in, AcquisitionCheckDecision out. */
  public byte[] acquisitionCheckPb(byte[] request) {
    return decidePb(Function.ACQUISITION_CHECK, request);
  }

  /** Serialized ContractorCheckRequest in, ContractorCheckDecision out. */
  public byte[] contractorCheckPb(byte[] request) {
    return decidePb(Function.CONTRACTOR_CHECK, request);
  }

  /** Serialized IncidentAssessRequest in, IncidentAssessDecision out. */
  public byte[] incidentAssessPb(byte[] request) {
    return decidePb(Function.INCIDENT_ASSESS, request);
  }

  /** Serialized ComplaintRouteRequest in, ComplaintRouteDecision out. */
  public byte[] complaintRoutePb(byte[] request) {
    return decidePb(Function.COMPLAINT_ROUTE, request);
  }

  /** Serialized EvalRequest in, EvalResponse out; an error throws instead. */
  public byte[] evaluatePb(byte[] evalRequest) {
    Args.nonNull(evalRequest, "request");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return nEvaluatePb(open(), evalRequest);
    } finally {
      r.unlock();
    }
  }

  /**
   * A serialized pip.v1.EvalBatchRequest, decided on one policy, into a
   * serialized EvalBatchResponse: responses[i] answers requests[i], each
   * with its own error when it cannot be decided.
   *
   * @throws PipException.InvalidArgument a batch that cannot be read, or
   *     past kMaxBatchBytes or kMaxBatchRequests
   * @throws PipException.ResourceExhausted answers past kMaxBatchOutputBytes
   */
  public byte[] evaluateBatchPb(byte[] evalBatchRequest) {
    Args.nonNull(evalBatchRequest, "requests");
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return nEvaluateBatchPb(open(), evalBatchRequest);
    } finally {
      r.unlock();
    }
  }

  // --- Life ------------------------------------------------------------------

  /**
   * Frees the native engine, after every call in flight has returned. Later
   * calls throw {@link PipException.EngineClosed}. Safe to call more than
   * once and from any thread: a second call returns at once, and calls
   * made after it wait for the first to finish, then throw.
   */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** The version of the pip library inside the native library. */
  public static String libraryVersion() {
    return nLibraryVersion();
  }

  // The handle, under the read lock; throws once closed.
  private long open() {
    if (engine.handle == 0) throw new PipException.EngineClosed();
    return engine.handle;
  }

  private byte[] info(int which) {
    ReentrantReadWriteLock.ReadLock r = lock.readLock();
    r.lock();
    try {
      return nPolicyInfo(open(), which);
    } finally {
      r.unlock();
    }
  }

  // The function names compiled into the native library, in the order of
  // pip/functions.def (for the test that checks Function against it).
  static String[] nativeFunctionNames() {
    return nFunctionNames();
  }

  // --- Native methods (bindings/java/native/pip_jni.cc) ----------------------
  // Every one catches every C++ exception and throws a PipException instead.

  private static native long nCreate(int kind, byte[] bytes, byte[] name, byte[] signature,
      byte[][] trustedKeys, boolean requireSignature, long minRevision, byte[] revisionFile,
      byte[] auditLog, byte[] auditKey);

  private static native void nReload(
      long engine, int kind, byte[] bytes, byte[] name, byte[] signature);

  private static native void nDestroy(long engine);

  private static native byte[] nPolicyInfo(long engine, int which);

  private static native byte[] nDecideJson(long engine, int function, byte[] request);

  private static native byte[] nDecidePb(long engine, int function, byte[] request);

  private static native byte[] nEvaluateJson(long engine, byte[] request);

  private static native byte[][] nEvaluateJsonBatch(long engine, byte[][] requests);

  private static native byte[] nExplainJson(long engine, byte[] request, boolean quoteClauses);

  private static native byte[] nEvaluatePb(long engine, byte[] request);

  private static native byte[] nEvaluateBatchPb(long engine, byte[] requests);

  private static native String[] nFunctionNames();

  private static native String nLibraryVersion();
}
