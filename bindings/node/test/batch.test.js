// evaluateBatch: a promise, decided on the libuv thread pool on one policy;
// answers in order, a request that cannot be decided answered with its
// error in its place.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Engine, PipError } = require('pip-policy');
const pb = require('./pb_wire.js');

const engine = new Engine();
const AS_OF = '2026-03-01T12:00:00+09:00';
const NEWSLETTER = { subject_id: 'c-1', purpose: 'direct_mail', categories: ['name', 'email'], as_of: AS_OF };

test('4.2, 7, 8.1: the batch resolves in order, with one error line among the decisions', async () => {
  const requests = [
    { purpose_allowed: NEWSLETTER },                                      // 4.2: allowed
    { purpose_allowed: { ...NEWSLETTER, active_requests: [            // 8.1: denied
      { type: 'suspension', received_at: '2026-02-01T09:00:00+09:00' }] } },
    '{"retention_due": {"kind": "inqiury", "as_of": "2026-05-11T00:00:00+09:00"}}',  // error
    { retention_due: { kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00',  // 7: due
      as_of: '2026-05-11T00:00:00+09:00' } },
  ];
  const promise = engine.evaluateBatch(requests);
  assert.ok(promise instanceof Promise);
  const answers = await promise;
  assert.equal(answers.length, 4);
  assert.equal(answers[0].purpose_allowed.allowed, true);
  assert.equal(answers[0].purpose_allowed.reasons[0].clause, '4.2');
  assert.equal(answers[1].purpose_allowed.allowed, false);
  assert.equal(answers[1].purpose_allowed.reasons[0].clause, '8.1');
  assert.deepEqual(Object.keys(answers[2]), ['error']);
  assert.equal(answers[2].error.code, 'INVALID_ARGUMENT');
  assert.match(answers[2].error.message, /kind: unknown retention kind 'inqiury'/);
  assert.equal(answers[3].retention_due.due, true);
  assert.equal(answers[3].retention_due.retain_until, '2026-05-10');
  // One policy for the whole batch: every decision carries the same stamp.
  const stamps = new Set([0, 1, 3].map((i) => JSON.stringify(Object.values(answers[i])[0].policy)));
  assert.equal(stamps.size, 1);
});

test('4.2: each answer of a batch is what evaluate() answers alone', async () => {
  const requests = [];
  for (let i = 0; i < 50; ++i) {
    requests.push({ purpose_allowed: { ...NEWSLETTER, subject_id: `c-${i}`,
      active_requests: i % 3 ? [] : [{ type: 'suspension', received_at: '2026-02-01T09:00:00+09:00' }] } });
  }
  const answers = await engine.evaluateBatch(requests);
  assert.deepEqual(answers, requests.map((r) => engine.evaluate(r)));
  assert.equal(answers.filter((a) => a.purpose_allowed.allowed).length, 33);
});

test('batches run while JavaScript keeps running; several at once settle in their own order', async () => {
  const line = { retention_due: { kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00',
    as_of: '2026-05-10T00:00:00+09:00' } };  // 7: kept until 2026-05-10, not due
  const batches = [1, 200, 3000].map((n) => engine.evaluateBatch(Array(n).fill(line)));
  let ticked = false;
  setImmediate(() => { ticked = true; });
  const results = await Promise.all(batches);
  assert.ok(ticked);
  assert.deepEqual(results.map((r) => r.length), [1, 200, 3000]);
  assert.ok(results.flat().every((a) => a.retention_due.due === false));
});

test('an empty batch resolves with no answers; a batch that is not an array rejects with TypeError', async () => {
  assert.deepEqual(await engine.evaluateBatch([]), []);
  await assert.rejects(engine.evaluateBatch('x'), TypeError);
  await assert.rejects(engine.evaluateBatch([42]), TypeError);
});

test('7: evaluateBatchPb answers a serialized EvalBatchRequest on the pool', async () => {
  const retention = pb.message([1, 'inquiry'], [2, pb.timestamp('2023-05-10T14:00:00+09:00')],
    [4, pb.timestamp('2026-05-11T00:00:00+09:00')]);
  const unknownKind = pb.message([1, 'inqiury'], [4, pb.timestamp('2026-05-11T00:00:00+09:00')]);
  const batch = pb.message([1, pb.message([3, retention])], [1, pb.message([3, unknownKind])]);
  const out = await engine.evaluateBatchPb(batch);
  assert.ok(Buffer.isBuffer(out));
  const responses = pb.parse(out).get(1).map(pb.parse);
  assert.equal(responses.length, 2);
  const decision = pb.parse(responses[0].get(3)[0]);
  assert.equal(decision.get(1)[0], 1n);                           // due
  assert.equal(decision.get(2)[0].toString(), '2026-05-10');      // retain_until
  const error = pb.parse(responses[1].get(15)[0]);              // EvalResponse.error
  assert.equal(error.get(1)[0].toString(), 'INVALID_ARGUMENT');
  await assert.rejects(engine.evaluateBatchPb(Buffer.from([0xff, 0xff])),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT');
});
