// quickstart: pip from Node.js, one step at a time; the code blocks of
// bindings/node/README.md and README.md are the regions of this file.
// Run by ctest (node_quickstart_example_test); it checks each answer
// against the default policy and exits non-zero on any difference.
//
//   NODE_PATH=build/bindings/node node bindings/node/examples/quickstart/quickstart.js
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// [START create]
const { Engine, PipError } = require('pip-policy');

const engine = new Engine();  // the policy embedded in the library
// [END create]

// [START decide]
const d = engine.purposeAllowed({
  subject_id: 'c-1', purpose: 'direct_mail', categories: ['name', 'email'],
  active_requests: [{ type: 'suspension', received_at: '2026-01-10T09:00:00+09:00' }],
  as_of: new Date(),  // a Date, or an RFC 3339 string with its offset
});
if (!d.allowed) {
  for (const r of d.reasons) console.log(r.clause, r.message_en);
  // 8.1 A 'Suspension of use or erasure' request in force blocks the purpose ...
}
// [END decide]
assert.equal(d.allowed, false);
assert.deepEqual(d.reasons.map((r) => r.clause), ['8.1']);

// [START retention]
const r = engine.retentionDue({
  kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00', as_of: '2026-05-11T00:00:00+09:00',
});
console.log(r.due, r.retain_until, r.deletion_method);
// true 2026-05-10 secure_erasure_and_shredding
// [END retention]
assert.deepEqual([r.due, r.retain_until, r.deletion_method],
  [true, '2026-05-10', 'secure_erasure_and_shredding']);

// [START errors]
try {
  engine.retentionDue({ kind: 'inqiury', event_at: '2023-05-10T14:00:00+09:00',
    as_of: '2026-05-11T00:00:00+09:00' });
} catch (e) {
  if (!(e instanceof PipError)) throw e;  // a TypeError: a call of the wrong shape
  console.log(e.code, e.message);
  // INVALID_ARGUMENT kind: unknown retention kind 'inqiury' (did you mean 'inquiry'?)
}
// [END errors]
assert.throws(() => engine.retentionDue({ kind: 'inqiury', as_of: '2026-05-11T00:00:00+09:00' }),
  { name: 'PipError', code: 'INVALID_ARGUMENT' });

// A policy signed with a key made here, as a release process would sign it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-quickstart-'));
const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
const policyFile = path.join(dir, 'policy.textproto');
fs.copyFileSync(path.join(__dirname, '../../../../policies/default.textproto'), policyFile);
fs.writeFileSync(`${policyFile}.sig`, crypto.sign(null, fs.readFileSync(policyFile), privateKey));
const trustedPem = publicKey.export({ type: 'spki', format: 'pem' });
const auditLogPath = path.join(dir, 'decisions.jsonl');
const auditKey = crypto.randomBytes(32);

async function main() {
  // [START batch]
  const answers = await engine.evaluateBatch([
    { purpose_allowed: { purpose: 'direct_mail', categories: ['email'],
      as_of: '2026-03-01T12:00:00+09:00' } },
    { retention_due: { kind: 'inqiury', as_of: '2026-05-11T00:00:00+09:00' } },
  ]);
  // [ { purpose_allowed: { allowed: true, ... } },
  //   { error: { code: 'INVALID_ARGUMENT', message: "kind: unknown retention kind 'inqiury' ..." } } ]
  // [END batch]
  assert.equal(answers[0].purpose_allowed.allowed, true);
  assert.equal(answers[1].error.code, 'INVALID_ARGUMENT');

  // [START options]
  const signed = new Engine({
    file: policyFile, signatureFile: `${policyFile}.sig`, trustedKeys: [trustedPem],
    auditLog: auditLogPath, auditKey,
  });
  signed.purposeAllowed({ purpose: 'billing', categories: ['name'], as_of: new Date() });
  signed.reload({ file: policyFile, signatureFile: `${policyFile}.sig` });  // no rollback
  signed.close();  // later calls throw PipError FAILED_PRECONDITION
  // [END options]
  assert.throws(() => signed.policyVersion, { code: 'FAILED_PRECONDITION' });
  assert.match(fs.readFileSync(auditLogPath, 'utf8'), /"function":"purpose_allowed"/);
}

main().finally(() => fs.rmSync(dir, { recursive: true, force: true }));
