// http_gate: a data-subject request desk behind HTTP (clause 8).
//
// POST /requests with a pip.v1.RequestValidateRequest as JSON (type,
// channel, requester, received_at, documents, identity_verified,
// fee_paid_jpy, review). Before answering, the handler asks pip
// (request_validate) whether the request is complete, by when it must be
// answered and what is missing, on today's date:
//   202  complete: pip's next step is RESPOND; the body gives respond_by;
//   422  not yet: the body gives pip's next step, what is missing, the fee
//        still unpaid and each reason with its clause;
//   400  a request pip cannot read (an unknown type, a misspelt field),
//        named by pip;
//   503  anything else (the decision log could not be written, ...): an
//        error is never taken for a complete request.
//
//   node server.js [port]     # listens on 127.0.0.1 (default port 8080)
'use strict';

const http = require('node:http');
const { Engine, PipError } = require('pip-policy');

const MAX_BODY = 64 * 1024;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// [START gate]
// The answer to one data-subject request: pip decides, the handler only
// translates the decision into HTTP.
function answer(engine, request, now) {
  let d;
  try {
    d = engine.requestValidate({ ...request, as_of: now.toISOString() });
  } catch (e) {
    if (e instanceof PipError && e.code === 'INVALID_ARGUMENT') {
      return [400, { error: e.code, message: e.message }];
    }
    return [503, { error: e instanceof PipError ? e.code : 'INTERNAL' }];
  }
  if (d.next_step === 'RESPOND') {
    return [202, { status: 'accepted', respond_by: d.respond_by, fee_due_jpy: d.fee_due_jpy }];
  }
  return [422, {
    status: 'incomplete',
    next_step: d.next_step,
    missing: d.missing,
    fee_unpaid_jpy: d.fee_unpaid_jpy,
    respond_by: d.respond_by,
    reasons: [...d.errors, ...d.reasons, ...d.needs_review]
      .map((r) => ({ code: r.code, clause: r.clause, message: r.message_en })),
  }];
}
// [END gate]

// The server: `clock` gives "now" (a test fixes it).
function createGate(engine, { clock = () => new Date() } = {}) {
  return http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/requests') {
      send(res, 404, { error: 'NOT_FOUND', message: 'POST /requests' });
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(res, 413, { error: 'TOO_LARGE', message: `at most ${MAX_BODY} bytes` });
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let request;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        send(res, 400, { error: 'INVALID_ARGUMENT', message: `body: ${e.message}` });
        return;
      }
      if (request === null || typeof request !== 'object' || Array.isArray(request)) {
        send(res, 400, { error: 'INVALID_ARGUMENT', message: 'body: expected a JSON object' });
        return;
      }
      const [status, body] = answer(engine, request, clock());
      send(res, status, body);
    });
  });
}

module.exports = { createGate, answer };

if (require.main === module) {
  const port = Number(process.argv[2] ?? 8080);
  const engine = new Engine();
  createGate(engine).listen(port, '127.0.0.1', function listening() {
    console.log(`http_gate: policy ${engine.policyVersion} on http://127.0.0.1:${this.address().port}/requests`);
  });
}
