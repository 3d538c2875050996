// http_gate end to end: the server on 127.0.0.1, an ephemeral port, real
// HTTP requests; each answer is the decision of clause 8 for the request.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { Engine } = require('pip-policy');
const { createGate } = require('./server.js');

// 2026-02-02 09:00 in Tokyo, two days after the requests were received.
const NOW = new Date('2026-02-02T00:00:00Z');

function post(port, body) {
  return new Promise((resolve, reject) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path: '/requests', method: 'POST',
      headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const AGENT_DISCLOSURE = {
  type: 'disclosure', channel: 'email', requester: 'agent',
  received_at: '2026-01-31T10:00:00+09:00',
  documents: ['identity_document', 'request_form'], fee_paid_jpy: 300,
};

test('8: the gate answers over HTTP as request_validate decides', async (t) => {
  const server = createGate(new Engine(), { clock: () => NOW });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address();
  assert.notEqual(port, 0);

  // 8.2, APPI 37(3): an agent's request without a power of attorney is not complete.
  const incomplete = await post(port, AGENT_DISCLOSURE);
  assert.equal(incomplete.status, 422);
  assert.equal(incomplete.body.next_step, 'COLLECT_DOCUMENTS');
  assert.deepEqual(incomplete.body.missing, ['power_of_attorney']);
  assert.ok(incomplete.body.reasons.some((r) => r.code === 'DOCUMENT_MISSING'
    && r.clause.startsWith('8')));

  // 8.2: with every document, identity verified and the 300 yen fee paid
  // (8.3), the request is to be answered within 30 days of its receipt on
  // 2026-01-31 (the day of receipt not counted): by 2026-03-02.
  const complete = await post(port, { ...AGENT_DISCLOSURE, identity_verified: true,
    documents: [...AGENT_DISCLOSURE.documents, 'power_of_attorney'] });
  assert.equal(complete.status, 202);
  assert.equal(complete.body.status, 'accepted');
  assert.equal(complete.body.respond_by, '2026-03-02');
  assert.equal(complete.body.fee_due_jpy, 300);

  // An unknown request type is a request pip cannot read: 400 naming it.
  const unknown = await post(port, { ...AGENT_DISCLOSURE, type: 'disclosur' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error, 'INVALID_ARGUMENT');
  assert.match(unknown.body.message, /^type: .*'disclosur'/);

  const malformed = await post(port, '{"type": ');
  assert.equal(malformed.status, 400);
});
