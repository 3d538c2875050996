// worker_threads: the addon loads in every worker (it is context-aware),
// each worker's engine decides synchronously on its own thread, and every
// thread agrees with the main thread on the same requests.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Worker } = require('node:worker_threads');
const { Engine } = require('pip-policy');

// The requests every thread decides: the newsletter (4.2) with and without
// a suspension request in force (8.1), and inquiry records (7) on either
// side of their due date.
function requests() {
  const out = [];
  for (let i = 0; i < 200; ++i) {
    out.push({ purpose_allowed: { subject_id: `c-${i}`, purpose: 'direct_mail',
      categories: ['name', 'email'], as_of: '2026-03-01T12:00:00+09:00',
      active_requests: i % 4 ? [] : [{ type: 'suspension', received_at: '2026-02-01T09:00:00+09:00' }] } });
    out.push({ retention_due: { kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00',
      as_of: i % 2 ? '2026-05-11T00:00:00+09:00' : '2026-05-10T00:00:00+09:00' } });
  }
  return out;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { Engine } = require('pip-policy');
const engine = new Engine();
const answers = [];
for (let round = 0; round < workerData.rounds; ++round) {
  answers.length = 0;
  for (const r of workerData.requests) answers.push(engine.evaluate(r));
}
const closedCode = (() => { engine.close(); try { engine.policyVersion; } catch (e) { return e.code; } })();
parentPort.postMessage({ answers, closedCode });
`;

function runWorker(data) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exit ${code}`)); });
  });
}

test('4.2, 7, 8.1: four workers and the main thread decide alike, at the same time', async () => {
  const list = requests();
  const engine = new Engine();
  const workers = [1, 2, 3, 4].map(() => runWorker({ requests: list, rounds: 3 }));
  // The main thread keeps deciding (and a batch runs on the pool) meanwhile.
  const batch = engine.evaluateBatch(list);
  const expected = list.map((r) => engine.evaluate(r));
  const results = await Promise.all(workers);
  for (const { answers, closedCode } of results) {
    assert.deepEqual(answers, expected);
    assert.equal(closedCode, 'FAILED_PRECONDITION');  // each worker closed its own engine
  }
  assert.deepEqual(await batch, expected);
  // The outcomes themselves: 8.1 blocks one newsletter in four; 7 makes half the records due.
  const pa = expected.filter((a) => a.purpose_allowed).map((a) => a.purpose_allowed.allowed);
  assert.equal(pa.filter((x) => !x).length, 50);
  const due = expected.filter((a) => a.retention_due).map((a) => a.retention_due.due);
  assert.equal(due.filter((x) => x).length, 100);
  // Closing the workers' engines did not touch this one.
  assert.equal(engine.purposeAllowed(list[2].purpose_allowed).allowed, true);
});

test('4.2: an engine reloaded while a batch runs answers each batch on one policy', async () => {
  const engine = new Engine();
  const line = { purpose_allowed: { purpose: 'direct_mail', categories: ['email'],
    as_of: '2026-03-01T12:00:00+09:00' } };
  const pending = [];
  for (let i = 0; i < 20; ++i) {
    pending.push(engine.evaluateBatch(Array(500).fill(line)));
    engine.reload({});  // the same default policy again: allowed before and after
  }
  for (const answers of await Promise.all(pending)) {
    assert.ok(answers.every((a) => a.purpose_allowed.allowed));
    assert.equal(new Set(answers.map((a) => a.purpose_allowed.policy.hash)).size, 1);
  }
});
