// The bytes forms: serialized pip.v1 requests in a Buffer or Uint8Array,
// serialized decisions back in a Buffer, decided as the objects are.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Engine, PipError } = require('pip-policy');
const pb = require('./pb_wire.js');

const engine = new Engine();
const AS_OF = '2026-03-01T12:00:00+09:00';

// PurposeAllowedRequest: subject_id 1, purpose 2, categories 3,
// active_requests 7 (ActiveRequest: type 1, received_at 2), as_of 8.
function newsletter(...extra) {
  return pb.message([1, 'c-1'], [2, 'direct_mail'], [3, 'name'], [3, 'email'],
    [8, pb.timestamp(AS_OF)], ...extra);
}
const SUSPENSION = [7, pb.message([1, 'suspension'], [2, pb.timestamp('2026-02-01T09:00:00+09:00')])];

// PurposeAllowedDecision: allowed 1, reasons 2 (Reason: code 1, clause 2).
function readPurpose(bytes) {
  const d = pb.parse(bytes);
  return {
    allowed: (d.get(1) ?? [0n])[0] === 1n,
    clauses: (d.get(2) ?? []).map((r) => pb.parse(r).get(2)[0].toString()),
  };
}

test('4.2, 8.1: purposeAllowedPb allows the newsletter and denies it under a suspension request', () => {
  const allowed = engine.purposeAllowedPb(newsletter());
  assert.ok(Buffer.isBuffer(allowed));
  assert.deepEqual(readPurpose(allowed), { allowed: true, clauses: ['4.2'] });
  const denied = engine.purposeAllowedPb(new Uint8Array(newsletter(SUSPENSION)));
  assert.deepEqual(readPurpose(denied), { allowed: false, clauses: ['8.1'] });
  assert.deepEqual(engine.decidePb('purpose_allowed', newsletter()), allowed);
});

test('7: retentionDuePb: an inquiry is due on 2026-05-11, kept until 2026-05-10', () => {
  // RetentionDueRequest: kind 1, event_at 2, as_of 4. Decision: due 1, retain_until 2.
  const request = pb.message([1, 'inquiry'], [2, pb.timestamp('2023-05-10T14:00:00+09:00')],
    [4, pb.timestamp('2026-05-11T00:00:00+09:00')]);
  const d = pb.parse(engine.retentionDuePb(request));
  assert.equal(d.get(1)[0], 1n);
  assert.equal(d.get(2)[0].toString(), '2026-05-10');
  // The same through evaluatePb: EvalRequest.retention_due is field 3.
  const response = pb.parse(engine.evaluatePb(pb.message([3, request])));
  assert.deepEqual(pb.parse(response.get(3)[0]).get(2)[0].toString(), '2026-05-10');
});

test('bytes that do not parse, or hold a field pip does not know, throw INVALID_ARGUMENT', () => {
  assert.throws(() => engine.retentionDuePb(Buffer.from([0x0a, 0x20, 0x61])),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => engine.purposeAllowedPb(newsletter([99, 'x'])),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT' && /99/.test(e.message));
  // 7: an unknown kind in bytes is named as in JSON.
  const unknown = pb.message([1, 'inqiury'], [4, pb.timestamp(AS_OF)]);
  assert.throws(() => engine.evaluatePb(pb.message([3, unknown])),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT' && /inqiury/.test(e.message));
});
