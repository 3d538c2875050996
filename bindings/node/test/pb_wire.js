// The protobuf wire format, as much as the tests and the benchmark need to
// build pip.v1 requests and read decisions without a protobuf library:
// varints, strings and nested messages (proto/pip/v1/decision.proto gives
// the field numbers).
'use strict';

function varint(n) {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;  // int32/int64: two's complement, 10 bytes
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Buffer.from(out);
}

function tag(field, wireType) {
  return varint((field << 3) | wireType);
}

// A message from [field, value] pairs: a number or boolean is a varint, a
// string is UTF-8, a Buffer is a nested message (or bytes).
function message(...fields) {
  const parts = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      parts.push(tag(field, 0), varint(typeof value === 'boolean' ? Number(value) : value));
    } else {
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
      parts.push(tag(field, 2), varint(bytes.length), bytes);
    }
  }
  return Buffer.concat(parts);
}

// A google.protobuf.Timestamp of an RFC 3339 time.
function timestamp(rfc3339) {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) throw new Error(`not a time: ${rfc3339}`);
  return message([1, Math.floor(ms / 1000)]);
}

// The fields of a message: field number -> array of values (a varint as a
// BigInt, a length-delimited field as a Buffer), in order.
function parse(bytes) {
  const fields = new Map();
  let i = 0;
  const readVarint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= bytes.length) throw new Error('truncated varint');
      const b = bytes[i++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      shift += 7n;
    }
  };
  while (i < bytes.length) {
    const key = Number(readVarint());
    const field = key >> 3;
    let value;
    switch (key & 7) {
      case 0: value = readVarint(); break;
      case 2: {
        const n = Number(readVarint());
        value = bytes.subarray(i, i + n);
        i += n;
        break;
      }
      case 1: value = bytes.subarray(i, i + 8); i += 8; break;
      case 5: value = bytes.subarray(i, i + 4); i += 4; break;
      default: throw new Error(`wire type ${key & 7}`);
    }
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field).push(value);
  }
  return fields;
}

module.exports = { message, timestamp, parse };
