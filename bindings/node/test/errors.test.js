// Errors: every status pip reports is a thrown PipError with its code and a
// message naming the field; arguments of the wrong type are TypeErrors; an
// error is never a decision (the law's answer is never guessed).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Engine, PipError } = require('pip-policy');

const engine = new Engine();
const AS_OF = '2026-03-01T12:00:00+09:00';

function throwsPip(fn, code, message) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof PipError, `${e.name}: ${e.message}`);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

test('7: malformed JSON text throws INVALID_ARGUMENT naming the problem and where', () => {
  throwsPip(() => engine.retentionDue('{"kind": "inquiry", "as_of": }'), 'INVALID_ARGUMENT',
    /^invalid JSON request: \(as_of\): expected a time/);
  throwsPip(() => engine.evaluate('{"retention_due": {"kind": "inquiry"'), 'INVALID_ARGUMENT',
    /^invalid JSON request: \(retention_due\): .*end of the input at byte 36/);
});

test('7: a misspelt field is refused naming it, never ignored', () => {
  throwsPip(() => engine.retentionDue({
    kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00', asof: '2026-05-11T00:00:00+09:00',
  }), 'INVALID_ARGUMENT', /asof/);
});

test('7: an unknown retention kind throws naming the field and the nearest id', () => {
  throwsPip(() => engine.retentionDue({
    kind: 'inqiury', event_at: '2023-05-10T14:00:00+09:00', as_of: '2026-05-11T00:00:00+09:00',
  }), 'INVALID_ARGUMENT', /^kind: unknown retention kind 'inqiury' \(did you mean 'inquiry'\?\)/);
});

test('2: an unknown category is refused, not allowed', () => {
  throwsPip(() => engine.purposeAllowed({
    purpose: 'direct_mail', categories: ['name', 'emial'], as_of: AS_OF,
  }), 'INVALID_ARGUMENT', /categories\[1\]: unknown category 'emial' \(did you mean 'email'\?\)/);
});

test('4: a missing as_of is refused naming it', () => {
  throwsPip(() => engine.purposeAllowed({ purpose: 'direct_mail', categories: ['email'] }),
    'INVALID_ARGUMENT', /as_of/);
});

test('decide() of an unknown function throws naming the known ones', () => {
  throwsPip(() => engine.decide('purpose_alowed', {}), 'INVALID_ARGUMENT',
    /unknown function 'purpose_alowed'.*purpose_allowed/);
});

test('arguments of the wrong type throw TypeError, before pip is asked', () => {
  assert.throws(() => engine.purposeAllowed(42), TypeError);
  assert.throws(() => engine.purposeAllowed(null), TypeError);
  assert.throws(() => engine.purposeAllowed([]), TypeError);
  assert.throws(() => engine.purposeAllowedPb('bytes'), TypeError);
  assert.throws(() => engine.evaluatePb({}), TypeError);
  assert.throws(() => new Engine({ file: 42 }), TypeError);
  assert.throws(() => new Engine({ polcy: 'x' }), /unknown option 'polcy'/);
  assert.throws(() => new Engine({ text: 'x', file: 'y' }), TypeError);
  assert.throws(() => Engine.prototype.retentionDue.call({}, {}), TypeError);
});

test('a closed engine throws FAILED_PRECONDITION on every call, never crashes', async () => {
  const e = new Engine();
  const newsletter = { purpose: 'direct_mail', categories: ['email'], as_of: AS_OF };
  assert.equal(e.purposeAllowed(newsletter).allowed, true);  // 4.2
  e.close();
  e.close();  // idempotent
  const closed = /closed/;
  throwsPip(() => e.purposeAllowed(newsletter), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.purposeAllowedPb(Buffer.alloc(0)), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.evaluate({ purpose_allowed: newsletter }), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.evaluatePb(Buffer.alloc(0)), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.explain({ purpose_allowed: newsletter }), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.reload({}), 'FAILED_PRECONDITION', closed);
  throwsPip(() => e.policyVersion, 'FAILED_PRECONDITION', closed);
  await assert.rejects(e.evaluateBatch([{ purpose_allowed: newsletter }]),
    (err) => err instanceof PipError && err.code === 'FAILED_PRECONDITION');
});

test('4.2: close() while a batch runs: the batch still answers, later calls throw', async () => {
  const e = new Engine();
  const line = { purpose_allowed: { purpose: 'direct_mail', categories: ['email'], as_of: AS_OF } };
  const pending = e.evaluateBatch(Array(2000).fill(line));
  e.close();
  const answers = await pending;
  assert.equal(answers.length, 2000);
  assert.ok(answers.every((a) => a.purpose_allowed.allowed === true));
  assert.throws(() => e.purposeAllowed(line.purpose_allowed), PipError);
});

test('a policy that does not validate is refused with every problem, the running policy stays', () => {
  throwsPip(() => new Engine({ text: 'version: "x"\nnot_a_field: 1\n', name: 'bad.textproto' }),
    'INVALID_ARGUMENT', /bad\.textproto/);
  throwsPip(() => new Engine({ file: '/nonexistent/policy.textproto' }), 'NOT_FOUND',
    /nonexistent/);
  const e = new Engine();
  const before = e.policyHash;
  throwsPip(() => e.reload({ text: 'garbage {' }), 'INVALID_ARGUMENT', /./);
  assert.equal(e.policyHash, before);
});

test('5.4: the decision log needs a key of at least 32 bytes', () => {
  const os = require('node:os');
  const path = require('node:path');
  const log = path.join(os.tmpdir(), `pip-node-${process.pid}-short.jsonl`);
  throwsPip(() => new Engine({ auditLog: log, auditKey: Buffer.alloc(8, 1) }),
    'INVALID_ARGUMENT', /32/);
});

test('the compiled module refuses any object it did not make as an engine', () => {
  const path = require('node:path');
  const native = require(path.join(path.dirname(require.resolve('pip-policy')), 'pip.node'));
  assert.throws(() => native.policyVersion({}), TypeError);
  assert.throws(() => native.decideJson({ engine: 1 }, 1, '{}'), TypeError);
  assert.throws(() => native.close(null), TypeError);
  assert.throws(() => native.decideJson(undefined), TypeError);
});
