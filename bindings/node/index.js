// pip-policy: the company's privacy policy (APPI), enforced in process.
//
//   const { Engine } = require('pip-policy');
//   const engine = new Engine();                 // the embedded default policy
//   const d = engine.retentionDue({ kind: 'inquiry',
//     event_at: '2023-05-10T14:00:00+09:00', as_of: '2026-05-11T00:00:00+09:00' });
//   if (d.due) deleteRecord(d.deletion_method);
//
// Requests and decisions are plain objects of pip's JSON contract
// (docs/json.md): proto field names, ids and enum names as strings, RFC 3339
// times. Every error throws (a PipError, or a TypeError for an argument of
// the wrong type) and is never a decision. See README.md.
'use strict';

const path = require('node:path');

// Every status pip reports: `code` is the absl::StatusCode name
// ("INVALID_ARGUMENT", "NOT_FOUND", ..., as in `pipctl eval`'s error.code)
// and `message` pip's message, naming the field or the file.
class PipError extends Error {
  constructor(message, code = 'UNKNOWN') {
    super(message);
    this.name = 'PipError';
    this.code = code;
  }
}

const native = require(path.join(__dirname, 'pip.node'));
native.setErrorClass(PipError);

// The decision functions of pip/functions.def, in EvalRequest's order.
const FUNCTIONS = Object.freeze(native.functions.map(([name]) => name));
const NUMBER = new Map(native.functions);

function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

// A request as the JSON text pip reads: an object is stringified (a Date
// becomes its ISO time), a string is passed as it is (pip then reports
// malformed JSON itself, naming the problem).
function requestJson(request, what) {
  if (typeof request === 'string') return request;
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw new TypeError(`${what} must be an object or a JSON string`);
  }
  return JSON.stringify(request);
}

function bytesArg(value, what) {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${what} must be a Buffer or Uint8Array`);
  }
  return value;
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PipError(`pip answered JSON that does not parse: ${e.message}`, 'INTERNAL');
  }
}

// An EvalResponse object: the decision, or its error thrown.
function answered(response) {
  if (response.error !== undefined) {
    throw new PipError(String(response.error.message), String(response.error.code));
  }
  const names = Object.keys(response);
  if (names.length !== 1 || !NUMBER.has(names[0])) {
    throw new PipError(`pip answered ${JSON.stringify(names)}`, 'INTERNAL');
  }
  return response;
}

const SOURCE_KEYS = ['text', 'bytes', 'file', 'signature', 'signatureFile', 'name'];
const OPTION_KEYS = ['trustedKeys', 'requireSignature', 'minRevision', 'revisionFile',
  'auditLog', 'auditKey'];

// (kind, data, name, signature) for the native create and reload, from
// { text | bytes | file, signature, signatureFile, name }; none of the
// three: the embedded default policy.
function sourceArgs(o) {
  const given = ['text', 'bytes', 'file'].filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    throw new TypeError(`give one policy source, not ${given.join(' and ')}`);
  }
  const name = o.name === undefined ? '' : o.name;
  if (typeof name !== 'string') throw new TypeError('name must be a string');
  if (o.signatureFile !== undefined && o.file === undefined) {
    throw new TypeError('signatureFile goes with file');
  }
  if (o.signature !== undefined && o.text === undefined && o.bytes === undefined) {
    throw new TypeError('signature goes with text or bytes (use signatureFile with file)');
  }
  if (o.text !== undefined) {
    if (typeof o.text !== 'string' && !(o.text instanceof Uint8Array)) {
      throw new TypeError('text must be a string, a Buffer or a Uint8Array');
    }
    if (o.signature !== undefined) return ['signed', o.text, name, o.signature];
    return ['text', o.text, name, null];
  }
  if (o.bytes !== undefined) {
    bytesArg(o.bytes, 'bytes');
    // Signed bytes are read as binary when their name ends in ".binpb".
    if (o.signature !== undefined) {
      return ['signed', o.bytes, name.endsWith('.binpb') || name.endsWith('.pb')
        ? name : `${name || 'policy'}.binpb`, o.signature];
    }
    return ['binary', o.bytes, name, null];
  }
  if (o.file !== undefined) {
    if (typeof o.file !== 'string') throw new TypeError('file must be a string');
    if (o.signatureFile !== undefined) return ['signedFile', o.file, '', o.signatureFile];
    return ['file', o.file, '', null];
  }
  return ['default', null, '', null];
}

function checkKeys(o, allowed, what) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new TypeError(`${what} must be an object`);
  }
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${what}: unknown option '${key}' (known: ${allowed.join(', ')})`);
    }
  }
}

// The native handle of an Engine (set in Engine's static block); a TypeError
// for anything that is not an Engine.
let handleOf;

// A pip engine: one compiled, validated policy. Thread-safe in C++; in
// JavaScript an Engine belongs to the thread (main or worker) that made it.
class Engine {
  #handle;

  static {
    handleOf = (engine) => engine.#handle;
  }

  // new Engine(options): the policy of options.text (a text-format
  // pip.v1.Policy), options.bytes (a serialized one), options.file (a
  // file: binary if it ends in .binpb or .pb) or, with none of them, the
  // embedded default; options.signature (with text or bytes) or
  // options.signatureFile (with file) with options.trustedKeys for a
  // signed policy; options.auditLog and options.auditKey for the decision
  // log. Throws PipError (INVALID_ARGUMENT for a policy that does not
  // validate, NOT_FOUND for a missing file, UNAUTHENTICATED for a bad
  // signature, FAILED_PRECONDITION for a refused revision).
  constructor(options = {}) {
    checkKeys(options, [...SOURCE_KEYS, ...OPTION_KEYS], 'options');
    const [kind, data, name, signature] = sourceArgs(options);
    const keys = options.trustedKeys;
    if (keys !== undefined && keys !== null && !Array.isArray(keys)) {
      throw new TypeError('trustedKeys must be an array of PEM strings or Buffers');
    }
    const trusted = keys === undefined || keys === null ? null : keys;
    const requireSignature = options.requireSignature === undefined
      ? true : options.requireSignature;
    const minRevision = options.minRevision === undefined ? 0 : options.minRevision;
    if (trusted === null && (options.requireSignature !== undefined
        || options.minRevision !== undefined || options.revisionFile !== undefined)) {
      throw new TypeError('requireSignature, minRevision and revisionFile go with trustedKeys');
    }
    if (options.auditKey !== undefined && options.auditLog === undefined) {
      throw new TypeError('auditKey goes with auditLog');
    }
    this.#handle = native.create(kind, data, name, signature, {
      trustedKeys: trusted,
      requireSignature,
      minRevision,
      revisionFile: options.revisionFile === undefined ? null : options.revisionFile,
      auditLog: options.auditLog === undefined ? null : options.auditLog,
      auditKey: options.auditKey === undefined ? null : options.auditKey,
    });
  }

  // Replaces the policy atomically: source as the constructor's ({ text },
  // { bytes }, { file, signatureFile }, ..., {} for the default), checked
  // against the engine's trusted keys (no rollback). On error the running
  // policy stays.
  reload(source = {}) {
    checkKeys(source, SOURCE_KEYS, 'source');
    native.reload(this.#handle, ...sourceArgs(source));
  }

  // Releases the engine. Every later call throws PipError
  // FAILED_PRECONDITION; a batch already queued finishes. Idempotent.
  close() {
    native.close(this.#handle);
  }

  // The running policy's version string and SHA-256 (lowercase hex).
  get policyVersion() { return native.policyVersion(this.#handle); }
  get policyHash() { return native.policyHash(this.#handle); }

  // Any decision function by its name (one of FUNCTIONS): the request
  // object (or its JSON text) in, the decision object out.
  decide(fn, request) {
    const number = NUMBER.get(fn);
    if (number === undefined) {
      throw new PipError(`unknown function '${fn}': expected one of ${FUNCTIONS.join(', ')}`,
        'INVALID_ARGUMENT');
    }
    return parse(native.decideJson(this.#handle, number, requestJson(request, 'request')));
  }

  // The same on a serialized pip.v1.<Function>Request: the serialized
  // decision comes back as a Buffer.
  decidePb(fn, bytes) {
    const number = NUMBER.get(fn);
    if (number === undefined) {
      throw new PipError(`unknown function '${fn}': expected one of ${FUNCTIONS.join(', ')}`,
        'INVALID_ARGUMENT');
    }
    return native.decidePb(this.#handle, number, bytesArg(bytes, 'request'));
  }

  // A pip.v1.EvalRequest, { "<function>": {...} } (one line of `pipctl
  // eval`), answered as { "<function>": decision }; an error throws.
  evaluate(request) {
    return answered(parse(native.evaluateJson(this.#handle, requestJson(request, 'request'))));
  }

  // A serialized EvalRequest in, the serialized EvalResponse out; an error
  // throws instead of coming back in EvalResponse.error.
  evaluatePb(bytes) {
    return native.evaluatePb(this.#handle, bytesArg(bytes, 'request'));
  }

  // Many EvalRequests on one policy, decided on the libuv thread pool: the
  // promise resolves with one EvalResponse object per request, in order; a
  // request that cannot be decided is answered { error: { code, message } }
  // in its place. Rejects (a PipError, or a TypeError) only for the batch
  // as a whole.
  async evaluateBatch(requests) {
    if (!Array.isArray(requests)) throw new TypeError('requests must be an array');
    const lines = requests.map((r, i) => requestJson(r, `requests[${i}]`));
    const answers = await native.evaluateBatch(this.#handle, lines);
    return answers.map(parse);
  }

  // A serialized pip.v1.EvalBatchRequest, decided on the thread pool; the
  // promise resolves with the serialized EvalBatchResponse (a Buffer).
  async evaluateBatchPb(bytes) {
    return native.evaluateBatchPb(this.#handle, bytesArg(bytes, 'requests'));
  }

  // The decision of an EvalRequest as text in Japanese and English, citing
  // clauses (what `pipctl explain` prints).
  explain(request, { quoteClauses = true } = {}) {
    return native.explain(this.#handle, requestJson(request, 'request'), quoteClauses);
  }

  get [Symbol.toStringTag]() { return 'pip.Engine'; }
}

// One method per decision function, named in camelCase
// (purpose_allowed -> purposeAllowed, purposeAllowedPb), from
// pip/functions.def.
for (const [name, number] of native.functions) {
  const method = camel(name);
  Object.defineProperty(Engine.prototype, method, {
    value: {
      [method](request) {
        return parse(native.decideJson(handleOf(this), number,
          requestJson(request, 'request')));
      },
    }[method],
    writable: true,
    configurable: true,
  });
  Object.defineProperty(Engine.prototype, `${method}Pb`, {
    value: {
      [`${method}Pb`](bytes) {
        return native.decidePb(handleOf(this), number, bytesArg(bytes, 'request'));
      },
    }[`${method}Pb`],
    writable: true,
    configurable: true,
  });
}

module.exports = { Engine, PipError, FUNCTIONS, version: native.version };
