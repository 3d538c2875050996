// Where a policy comes from: the embedded default, its text, its
// serialized bytes, a file of either, signed bytes; each is the same policy
// (the same content hash) and decides alike, and reload() swaps between
// them atomically.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Engine, PipError } = require('pip-policy');

const TEXT_FILE = path.join(process.env.PIP_SOURCE_DIR, 'policies/default.textproto');
const BINARY_FILE = process.env.PIP_NODE_BINARY_POLICY;  // protoc --encode of the same text
const TEXT = fs.readFileSync(TEXT_FILE, 'utf8');
const BYTES = fs.readFileSync(BINARY_FILE);
const DEFAULT = new Engine();

// 4.2 and 8.1: the newsletter allowed, then denied under a suspension request.
function newsletterOutcomes(engine) {
  const newsletter = { purpose: 'direct_mail', categories: ['name', 'email'],
    as_of: '2026-03-01T12:00:00+09:00' };
  return [
    engine.purposeAllowed(newsletter).allowed,
    engine.purposeAllowed({ ...newsletter, active_requests: [
      { type: 'suspension', received_at: '2026-02-01T09:00:00+09:00' }] }).allowed,
  ];
}

test('4.2, 8.1: text, bytes and files of the default policy are the embedded policy', () => {
  assert.deepEqual(newsletterOutcomes(DEFAULT), [true, false]);
  const engines = [
    new Engine({ text: TEXT, name: 'default.textproto' }),
    new Engine({ text: Buffer.from(TEXT, 'utf8') }),
    new Engine({ bytes: BYTES }),
    new Engine({ bytes: new Uint8Array(BYTES) }),
    new Engine({ file: TEXT_FILE }),
    new Engine({ file: BINARY_FILE }),  // binary: its name ends in .binpb
  ];
  for (const engine of engines) {
    assert.equal(engine.policyHash, DEFAULT.policyHash);
    assert.equal(engine.policyVersion, DEFAULT.policyVersion);
    assert.deepEqual(newsletterOutcomes(engine), [true, false]);
  }
});

test('signed bytes load with the signer\'s key, and are refused with another', () => {
  const signer = crypto.generateKeyPairSync('ed25519');
  const stranger = crypto.generateKeyPairSync('ed25519');
  const pem = signer.publicKey.export({ type: 'spki', format: 'pem' });
  const engine = new Engine({ bytes: BYTES, signature: crypto.sign(null, BYTES, signer.privateKey),
    trustedKeys: [pem] });
  assert.equal(engine.policyHash, DEFAULT.policyHash);
  // The raw 32-byte public key is a trusted key too.
  const raw = signer.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  assert.equal(new Engine({ bytes: BYTES, signature: crypto.sign(null, BYTES, signer.privateKey),
    trustedKeys: [raw] }).policyHash, DEFAULT.policyHash);
  assert.throws(() => new Engine({ bytes: BYTES,
    signature: crypto.sign(null, BYTES, stranger.privateKey), trustedKeys: [pem] }),
  (e) => e instanceof PipError && e.code === 'UNAUTHENTICATED');
});

test('bytes that are not a policy are refused; text given as bytes is not read as text', () => {
  assert.throws(() => new Engine({ bytes: BYTES.subarray(0, BYTES.length - 7), name: 'cut.binpb' }),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT' && /cut\.binpb/.test(e.message));
  assert.throws(() => new Engine({ bytes: Buffer.from(TEXT, 'utf8') }),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT');
  assert.throws(() => new Engine({ bytes: TEXT }), TypeError);
});

test('4.1: reload swaps sources atomically; a failed reload leaves the running policy', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pip-node-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const minimal = fs.readFileSync(path.join(process.env.PIP_SOURCE_DIR,
    'tests/testdata/minimal.textproto'), 'utf8');
  const engine = new Engine({ bytes: BYTES });
  engine.reload({ text: minimal, name: 'minimal.textproto' });
  assert.notEqual(engine.policyHash, DEFAULT.policyHash);
  // The minimal policy knows billing (4.1) but not direct_mail.
  assert.equal(engine.purposeAllowed({ purpose: 'billing', categories: ['name'],
    as_of: '2026-03-01T12:00:00+09:00' }).allowed, true);
  assert.throws(() => newsletterOutcomes(engine),
    (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT' && /purpose/.test(e.message));
  const missing = path.join(dir, 'missing.textproto');
  assert.throws(() => engine.reload({ file: missing }),
    (e) => e instanceof PipError && e.code === 'NOT_FOUND');
  assert.notEqual(engine.policyHash, DEFAULT.policyHash);
  engine.reload({});  // the embedded default again
  assert.equal(engine.policyHash, DEFAULT.policyHash);
  engine.reload({ file: BINARY_FILE });
  assert.deepEqual(newsletterOutcomes(engine), [true, false]);
});
