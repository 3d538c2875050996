#!/usr/bin/env bash
# Installs the node component into a scratch prefix and uses pip-policy from
# there alone: pip.node, index.js, its types and package.json must land
# together, and the addon must load away from the build tree.
# Usage: install_test.sh CMAKE NODE BUILD_DIR INSTALL_DIR_RELATIVE_TO_PREFIX
set -euo pipefail
CMAKE="$1"
NODE="$2"
BUILD="$3"
REL="$4"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

"$CMAKE" --install "$BUILD" --component node --prefix "$prefix" > /dev/null
pkg="$prefix/$REL"
for f in pip.node index.js index.d.ts package.json README.md; do
  test -f "$pkg/$f" || { echo "FAIL: $f not installed"; exit 1; }
done

cd "$prefix"
env -u NODE_PATH "$NODE" - "$pkg" <<'JSEOF'
const assert = require('node:assert/strict');
const pkg = process.argv[2];
const { Engine, PipError } = require(pkg);
// Loaded from the prefix, not from a source or build tree.
assert.equal(require.resolve(pkg), `${pkg}/index.js`);
const engine = new Engine();
// clause 7: an inquiry of 2023-05-10 is kept until 2026-05-10.
const d = engine.retentionDue({ kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00',
  as_of: '2026-05-11T00:00:00+09:00' });
assert.deepEqual([d.due, d.retain_until], [true, '2026-05-10']);
assert.throws(() => engine.retentionDue({ kind: 'inquiries', as_of: '2026-05-11T00:00:00+09:00' }),
  (e) => e instanceof PipError && e.code === 'INVALID_ARGUMENT' && /kind/.test(e.message));
console.log('ok: pip-policy from', pkg);
JSEOF
