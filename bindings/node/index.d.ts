// Types of pip-policy (index.js): the requests and decisions of pip's JSON
// contract (docs/json.md, proto/pip/v1/decision.proto). Field names are the
// proto field names; ids, enum names and times are strings (times RFC 3339
// with an offset; a Date is accepted in a request and sent as its ISO time).
// Every field of a decision is present, with its default when empty.

/** An RFC 3339 time with an offset, or a Date. */
export type Time = string | Date;

/** Thrown for every status pip reports; never a decision. */
export class PipError extends Error {
  constructor(message: string, code?: string);
  /** The absl::StatusCode name: "INVALID_ARGUMENT", "NOT_FOUND", ... */
  code: string;
}

/** The decision functions of pip/functions.def, in EvalRequest's order. */
export const FUNCTIONS: readonly FunctionName[];
/** pip's version, "MAJOR.MINOR.PATCH". */
export const version: string;

export type FunctionName =
  | 'purpose_allowed'
  | 'consent_check'
  | 'retention_due'
  | 'request_validate'
  | 'acquisition_check'
  | 'contractor_check'
  | 'incident_assess'
  | 'complaint_route';

// --- Shared parts ---------------------------------------------------------------

/** Why: a reason code, the clause that produced it, and messages. */
export interface Reason {
  /** A pip.v1.ReasonCode name, e.g. "CONSENT_WITHDRAWN". */
  code: string;
  clause: string;
  message_ja: string;
  message_en: string;
  // Only the ids the reason is about are present.
  category?: string;
  purpose?: string;
  recipient?: string;
  consent_id?: string;
  request_type?: string;
  request_id?: string;
  hold_type?: string;
  document?: string;
  hold_id?: string;
  review_ground?: string;
  article?: string;
  provision?: string;
  channel?: string;
}

/** The policy a decision was taken on. */
export interface PolicyStamp {
  version: string;
  /** Lowercase hex SHA-256 of the policy. */
  hash: string;
}

export interface Consent {
  id?: string;
  subject_id?: string;
  categories?: string[];
  purposes?: string[];
  recipients?: string[];
  granted_at: Time;
  withdrawn_at?: Time;
  expires_at?: Time;
  consent_version?: number;
  /** "YYYY-MM-DD" */
  subject_birth_date?: string;
  representative_consent?: boolean;
}

export type RequestStatus =
  | 'REQUEST_STATUS_UNSPECIFIED'
  | 'REQUEST_RECEIVED'
  | 'REQUEST_CARRIED_OUT'
  | 'REQUEST_REJECTED'
  | 'REQUEST_WITHDRAWN';

/** A data-subject request in force (clause 8.1). */
export interface ActiveRequest {
  type: string;
  received_at: Time;
  id?: string;
  status?: RequestStatus;
  purposes?: string[];
  categories?: string[];
  decided_at?: Time;
}

/** A case of APPI 27(1) a use rests on instead of consent. */
export interface LegalGround {
  ground: string;
  reference: string;
}

export interface CoveredCategory {
  category: string;
  consent_id?: string;
}

// --- purpose_allowed (clauses 2, 3, 4, 8.1) --------------------------------------

export interface PurposeAllowedRequest {
  subject_id?: string;
  purpose: string;
  categories: string[];
  recipient?: string;
  context?: { anonymized?: boolean; health_service?: boolean; necessity_documented?: boolean };
  consents?: Consent[];
  active_requests?: ActiveRequest[];
  as_of: Time;
  legal_ground?: LegalGround;
}

export interface ProvisionRecordDuty {
  required: boolean;
  article: string;
  retention_kind: string;
  keep_years: number;
  contract_document_keep_years: number;
  period_article: string;
}

export interface PurposeAllowedDecision {
  allowed: boolean;
  reasons: Reason[];
  covered_by: CoveredCategory[];
  provision_record: ProvisionRecordDuty;
  policy: PolicyStamp;
}

// --- consent_check (2.4, 2.5, 7) ---------------------------------------------------

export interface ConsentCheckRequest {
  subject_id?: string;
  categories: string[];
  purposes?: string[];
  recipient?: string;
  consents?: Consent[];
  as_of: Time;
}

export interface ConsentCheckDecision {
  valid: boolean;
  consent_id: string;
  reasons: Reason[];
  covered_by: CoveredCategory[];
  policy: PolicyStamp;
}

// --- retention_due (7) ---------------------------------------------------------------

export interface Hold {
  type: string;
  until?: Time;
  id?: string;
}

export interface Erasure {
  type: string;
  carried_out_at: Time;
  id?: string;
}

export interface RetentionDueRequest {
  kind: string;
  event_at?: Time;
  holds?: Hold[];
  as_of: Time;
  categories?: string[];
  erasures?: Erasure[];
}

export interface RetentionDueDecision {
  due: boolean;
  /** "YYYY-MM-DD", Asia/Tokyo */
  retain_until: string;
  due_at: string;
  deletion_method: string;
  clause: string;
  reasons: Reason[];
  deletion_method_ja: string;
  deletion_method_en: string;
  period_ended: boolean;
  needs_review: Reason[];
  policy: PolicyStamp;
}

// --- request_validate (8) --------------------------------------------------------------

export type NextStep =
  | 'NEXT_STEP_UNSPECIFIED'
  | 'FIX_CHANNEL'
  | 'COLLECT_DOCUMENTS'
  | 'COLLECT_FEE'
  | 'VERIFY_IDENTITY'
  | 'HUMAN_REVIEW'
  | 'RESPOND';

export interface RequestValidateRequest {
  type: string;
  channel: string;
  received_at: Time;
  requester?: string;
  documents?: string[];
  identity_verified?: boolean;
  fee_paid_jpy?: number;
  review?: string[];
  as_of: Time;
}

export interface RequestValidateDecision {
  valid: boolean;
  missing: string[];
  errors: Reason[];
  fee_due_jpy: number;
  /** "YYYY-MM-DD", Asia/Tokyo */
  respond_by: string;
  overdue: boolean;
  needs_review: Reason[];
  next_step: NextStep;
  reasons: Reason[];
  warnings: Reason[];
  identity_verified: boolean;
  fee_unpaid_jpy: number;
  policy: PolicyStamp;
}

// --- The other functions: objects of the JSON contract ------------------------------

/** A request of pip's JSON contract (docs/json.md). */
export type Request = { [field: string]: unknown };
/** A decision of pip's JSON contract: every field present. */
export type Decision = { [field: string]: unknown; policy: PolicyStamp };

/** A pip.v1.EvalRequest: exactly one member, the function's name. */
export type EvalRequest = { [F in FunctionName]?: Request };
/** A pip.v1.EvalResponse: the function's name holding the decision. */
export type EvalResponse = { [F in FunctionName]?: Decision };
/** An answer of a batch: a decision, or the error in its place. */
export type BatchAnswer = EvalResponse | { error: { code: string; message: string } };

// --- The engine ----------------------------------------------------------------------------

/** Where the policy comes from; none of text, bytes, file: the embedded default. */
export interface PolicySourceOptions {
  /** A text-format pip.v1.Policy. */
  text?: string | Uint8Array;
  /** A serialized (binary) pip.v1.Policy. */
  bytes?: Uint8Array;
  /** A policy file: binary if it ends in .binpb or .pb, text otherwise. */
  file?: string;
  /** With text or bytes: the detached Ed25519 signature (64 bytes, or their base64). */
  signature?: string | Uint8Array;
  /** With file: the path of its signature file. */
  signatureFile?: string;
  /** Labels the problems reported for text or bytes. */
  name?: string;
}

export interface EngineOptions extends PolicySourceOptions {
  /** Ed25519 public keys (PEM, or 32 raw bytes) whose signatures are accepted. */
  trustedKeys?: Array<string | Uint8Array> | null;
  /** With trustedKeys: refuse every unsigned policy. Default true. */
  requireSignature?: boolean;
  /** With trustedKeys: refuse a policy of a lower revision. Default 0. */
  minRevision?: number;
  /** With trustedKeys: a file that keeps the rollback floor across restarts. */
  revisionFile?: string;
  /** The decision log (JSON lines), clause 5.4. Needs auditKey. */
  auditLog?: string;
  /** The decision log's secret key, at least 32 bytes. */
  auditKey?: string | Uint8Array;
}

export class Engine {
  /** Throws PipError when the policy cannot be read, validated or trusted. */
  constructor(options?: EngineOptions);
  /** Replaces the policy atomically; on error the running policy stays. */
  reload(source?: PolicySourceOptions): void;
  /** Releases the engine; later calls throw PipError FAILED_PRECONDITION. */
  close(): void;
  readonly policyVersion: string;
  readonly policyHash: string;

  purposeAllowed(request: PurposeAllowedRequest | string): PurposeAllowedDecision;
  consentCheck(request: ConsentCheckRequest | string): ConsentCheckDecision;
  retentionDue(request: RetentionDueRequest | string): RetentionDueDecision;
  requestValidate(request: RequestValidateRequest | string): RequestValidateDecision;
  acquisitionCheck(request: Request | string): Decision;
  contractorCheck(request: Request | string): Decision;
  incidentAssess(request: Request | string): Decision;
  complaintRoute(request: Request | string): Decision;
  decide(fn: FunctionName, request: Request | string): Decision;

  /** Serialized pip.v1.<Function>Request in, serialized decision out. */
  purposeAllowedPb(request: Uint8Array): Buffer;
  consentCheckPb(request: Uint8Array): Buffer;
  retentionDuePb(request: Uint8Array): Buffer;
  requestValidatePb(request: Uint8Array): Buffer;
  acquisitionCheckPb(request: Uint8Array): Buffer;
  contractorCheckPb(request: Uint8Array): Buffer;
  incidentAssessPb(request: Uint8Array): Buffer;
  complaintRoutePb(request: Uint8Array): Buffer;
  decidePb(fn: FunctionName, request: Uint8Array): Buffer;

  /** One EvalRequest; an error throws. */
  evaluate(request: EvalRequest | string): EvalResponse;
  /** Serialized EvalRequest in, serialized EvalResponse out; an error throws. */
  evaluatePb(request: Uint8Array): Buffer;
  /** On the libuv thread pool, one policy for all: answers in order. */
  evaluateBatch(requests: Array<EvalRequest | string>): Promise<BatchAnswer[]>;
  /** Serialized EvalBatchRequest in, serialized EvalBatchResponse out. */
  evaluateBatchPb(requests: Uint8Array): Promise<Buffer>;
  /** The decision explained in Japanese and English (pipctl explain). */
  explain(request: EvalRequest | string, options?: { quoteClauses?: boolean }): string;
}
