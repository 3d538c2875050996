// The decision functions through the object API, on the embedded default
// policy. Each test names the clause of the policy whose outcome it checks.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Engine, FUNCTIONS } = require('pip-policy');

const engine = new Engine();
const AS_OF = '2026-03-01T12:00:00+09:00';

// The company's email newsletter: purpose direct_mail of clause 4.2.
const NEWSLETTER = {
  subject_id: 'c-1', purpose: 'direct_mail', categories: ['name', 'email'], as_of: AS_OF,
};

test('4.2: the newsletter (direct_mail) is a purpose of use and is allowed', () => {
  const d = engine.purposeAllowed(NEWSLETTER);
  assert.equal(d.allowed, true);
  assert.deepEqual(d.reasons.map((r) => [r.code, r.clause]), [['PURPOSE_PERMITTED', '4.2']]);
  assert.deepEqual(d.policy, { version: engine.policyVersion, hash: engine.policyHash });
});

test('4.2, 8.1: the newsletter is denied once the person withdraws from it by a suspension request', () => {
  const d = engine.purposeAllowed({
    ...NEWSLETTER,
    active_requests: [{ type: 'suspension', id: 'r-7', received_at: '2026-02-01T09:00:00+09:00' }],
  });
  assert.equal(d.allowed, false);
  assert.equal(d.reasons.length, 1);
  const [reason] = d.reasons;
  assert.equal(reason.code, 'SUSPENDED_BY_REQUEST');
  assert.equal(reason.clause, '8.1');
  assert.equal(reason.request_id, 'r-7');
  assert.ok(reason.message_ja.length > 0 && reason.message_en.length > 0);
  // The same request received after as_of is not yet in force.
  const later = engine.purposeAllowed({
    ...NEWSLETTER,
    active_requests: [{ type: 'suspension', received_at: '2026-03-02T09:00:00+09:00' }],
  });
  assert.equal(later.allowed, true);
});

test('4.2: a request given as its JSON text decides as the object does; a Date is its instant', () => {
  const asObject = engine.purposeAllowed({
    ...NEWSLETTER,
    active_requests: [{ type: 'suspension', received_at: new Date('2026-02-01T00:00:00Z') }],
    as_of: new Date('2026-03-01T03:00:00Z'),
  });
  const asText = engine.purposeAllowed(JSON.stringify({
    ...NEWSLETTER,
    active_requests: [{ type: 'suspension', received_at: '2026-02-01T09:00:00+09:00' }],
  }));
  assert.deepEqual(asObject, asText);
  assert.equal(asText.allowed, false);
});

test('2.4: location data needs a consent; one that was withdrawn does not count', () => {
  const consent = {
    id: 'k-9', subject_id: 'c-3', categories: ['location'],
    granted_at: '2025-04-01T10:00:00+09:00', consent_version: 1,
  };
  const request = { subject_id: 'c-3', categories: ['location'], purposes: ['usage_analysis'], as_of: AS_OF };
  const valid = engine.consentCheck({ ...request, consents: [consent] });
  assert.equal(valid.valid, true);
  assert.equal(valid.consent_id, 'k-9');
  const withdrawn = engine.consentCheck({
    ...request, consents: [{ ...consent, withdrawn_at: '2026-02-01T00:00:00+09:00' }],
  });
  assert.equal(withdrawn.valid, false);
  assert.deepEqual(withdrawn.reasons.map((r) => [r.code, r.consent_id]), [['WITHDRAWN', 'k-9']]);
});

test('7: an inquiry record is kept three years and due the day after (retain_until 2026-05-10)', () => {
  const inquiry = { kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00' };
  const due = engine.retentionDue({ ...inquiry, as_of: '2026-05-11T00:00:00+09:00' });
  assert.equal(due.due, true);
  assert.equal(due.retain_until, '2026-05-10');
  assert.equal(due.clause, '7');
  assert.equal(due.deletion_method, 'secure_erasure_and_shredding');
  const kept = engine.retentionDue({ ...inquiry, as_of: '2026-05-10T23:59:59+09:00' });
  assert.equal(kept.due, false);
  assert.equal(kept.retain_until, '2026-05-10');
});

test('8: a disclosure request by an agent without a power of attorney is missing that document', () => {
  const d = engine.requestValidate({
    type: 'disclosure', channel: 'email', requester: 'agent',
    received_at: '2026-01-31T10:00:00+09:00',
    documents: ['identity_document', 'request_form'], fee_paid_jpy: 300,
    as_of: '2026-02-02T09:00:00+09:00',
  });
  assert.equal(d.valid, false);
  assert.deepEqual(d.missing, ['power_of_attorney']);
  assert.equal(d.next_step, 'COLLECT_DOCUMENTS');
  assert.ok(d.reasons.some((r) => r.code === 'DOCUMENT_MISSING' && r.document === 'power_of_attorney'
    && r.clause.startsWith('8')));
});

test('8: the same request with every document is complete, with a response date', () => {
  const d = engine.requestValidate({
    type: 'disclosure', channel: 'email', requester: 'agent',
    received_at: '2026-01-31T10:00:00+09:00',
    documents: ['identity_document', 'request_form', 'power_of_attorney'],
    identity_verified: true, fee_paid_jpy: 300, as_of: '2026-02-02T09:00:00+09:00',
  });
  assert.deepEqual(d.missing, []);
  assert.notEqual(d.next_step, 'COLLECT_DOCUMENTS');
  assert.match(d.respond_by, /^\d{4}-\d{2}-\d{2}$/);
});

test('7: evaluate() answers an EvalRequest as { retention_due: decision }; decide() by name agrees', () => {
  const request = {
    kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00', as_of: '2026-05-11T00:00:00+09:00',
  };
  const response = engine.evaluate({ retention_due: request });
  assert.deepEqual(Object.keys(response), ['retention_due']);
  assert.equal(response.retention_due.due, true);
  assert.deepEqual(engine.decide('retention_due', request), response.retention_due);
});

test('9.1: every function of functions.def has a method; a complaint goes on to investigation', () => {
  for (const name of FUNCTIONS) {
    const method = name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.equal(typeof engine[method], 'function', method);
    assert.equal(typeof engine[`${method}Pb`], 'function', `${method}Pb`);
  }
  const d = engine.complaintRoute({ state: 'first_response', as_of: AS_OF });
  assert.deepEqual([d.next_step, d.owner, d.closed], ['investigation', 'privacy_officer', false]);
  assert.equal(d.reasons[0].clause, '9.1');
});

test('4.2: explain() cites the clause of the decision in Japanese and English', () => {
  const text = engine.explain({ purpose_allowed: NEWSLETTER }, { quoteClauses: false });
  assert.match(text, /4\.2/);
  assert.match(text, /newsletters/);
});
