// Signed policies, rollback refusal and the decision log through the
// options object (docs/security.md). Keys are made here with node:crypto;
// none is stored anywhere.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Engine, PipError } = require('pip-policy');

const AS_OF = '2026-03-01T12:00:00+09:00';
const MINIMAL = fs.readFileSync(
  path.join(process.env.PIP_SOURCE_DIR, 'tests/testdata/minimal.textproto'), 'utf8');

function policy(revision, version) {
  return MINIMAL.replace(/^revision: 1$/m, `revision: ${revision}`)
    .replace(/^version: ".*"$/m, `version: "${version}"`);
}

function keyPair() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return { pem: publicKey.export({ type: 'spki', format: 'pem' }), privateKey };
}
const signer = keyPair();
const stranger = keyPair();
const sign = (text, key) => crypto.sign(null, Buffer.from(text, 'utf8'), key.privateKey);

const scratchDirs = [];
function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-node-'));
  scratchDirs.push(dir);
  return dir;
}
test.after(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function throwsPip(fn, code, message) {
  assert.throws(fn, (e) => e instanceof PipError && e.code === code && message.test(e.message));
}

test('4.1: a policy signed by a trusted key loads and decides', () => {
  const text = policy(5, '2026-05-05');
  const engine = new Engine({ text, signature: sign(text, signer), trustedKeys: [signer.pem] });
  assert.equal(engine.policyVersion, '2026-05-05');
  assert.equal(engine.purposeAllowed({ purpose: 'billing', categories: ['name'], as_of: AS_OF }).allowed,
    true);
  // The signature as base64 text is the same signature.
  const b64 = new Engine({ text, signature: sign(text, signer).toString('base64'),
    trustedKeys: [signer.pem] });
  assert.equal(b64.policyHash, engine.policyHash);
});

test('a signed policy is refused with a wrong key (UNAUTHENTICATED), and from a file too', () => {
  const text = policy(5, '2026-05-05');
  throwsPip(() => new Engine({ text, signature: sign(text, stranger), trustedKeys: [signer.pem] }),
    'UNAUTHENTICATED', /signature/);
  const dir = scratch();
  const file = path.join(dir, 'policy.textproto');
  fs.writeFileSync(file, text);
  fs.writeFileSync(`${file}.sig`, sign(text, stranger));
  throwsPip(() => new Engine({ file, signatureFile: `${file}.sig`, trustedKeys: [signer.pem] }),
    'UNAUTHENTICATED', /signature/);
  fs.writeFileSync(`${file}.sig`, sign(text, signer));
  const engine = new Engine({ file, signatureFile: `${file}.sig`, trustedKeys: [signer.pem] });
  assert.equal(engine.policyVersion, '2026-05-05');
  // One byte changed after signing: refused.
  fs.writeFileSync(file, text.replace('2026-05-05', '2026-05-06'));
  throwsPip(() => engine.reload({ file, signatureFile: `${file}.sig` }), 'UNAUTHENTICATED', /signature/);
  assert.equal(engine.policyVersion, '2026-05-05');
});

test('with trusted keys an unsigned policy is refused; without them a signature is refused', () => {
  throwsPip(() => new Engine({ text: policy(5, 'x'), trustedKeys: [signer.pem] }),
    'UNAUTHENTICATED', /./);
  const text = policy(5, '2026-05-05');
  throwsPip(() => new Engine({ text, signature: sign(text, signer) }), 'FAILED_PRECONDITION',
    /EngineOptions\.trust/);
});

test('a reload to a lower revision is refused (no rollback); a higher one is taken', () => {
  const six = policy(6, '2026-06-06');
  const engine = new Engine({ text: six, signature: sign(six, signer), trustedKeys: [signer.pem] });
  const five = policy(5, '2026-05-05');
  throwsPip(() => engine.reload({ text: five, signature: sign(five, signer) }), 'FAILED_PRECONDITION',
    /revision/);
  assert.equal(engine.policyVersion, '2026-06-06');
  const seven = policy(7, '2026-07-07');
  engine.reload({ text: seven, signature: sign(seven, signer) });
  assert.equal(engine.policyVersion, '2026-07-07');
  throwsPip(() => new Engine({ text: five, signature: sign(five, signer), trustedKeys: [signer.pem],
    minRevision: 6 }), 'FAILED_PRECONDITION', /revision/);
});

test('5.4: every decision and refused request is written to the decision log before it returns', () => {
  const dir = scratch();
  const log = path.join(dir, 'decisions.jsonl');
  const engine = new Engine({ auditLog: log, auditKey: crypto.randomBytes(32) });
  const newsletter = { subject_id: 'c-1', purpose: 'direct_mail', categories: ['email'], as_of: AS_OF };
  assert.equal(engine.purposeAllowed(newsletter).allowed, true);  // 4.2
  assert.throws(() => engine.purposeAllowed({ ...newsletter, categories: ['emial'] }), PipError);
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const records = lines.filter((l) => l.function !== undefined);  // after the file's header
  assert.equal(records.length, 2);
  assert.equal(records[0].function, 'purpose_allowed');
  assert.equal(records[0].outcome, 'OUTCOME_ALLOWED');
  assert.equal(records[0].reasons[0].clause, '4.2');
  assert.notEqual(records[1].outcome, 'OUTCOME_ALLOWED');  // the refused request: never an allow
  const text = fs.readFileSync(log, 'utf8');
  assert.ok(!text.includes('"c-1"'), 'the subject id is pseudonymised in the log');
});
