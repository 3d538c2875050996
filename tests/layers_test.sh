#!/usr/bin/env bash
# The layers of libpip (cmake/layers.cmake, docs/architecture.md): a file of
# a layer may include its own folder and the layers below it, and an
# include that goes up a layer does not compile. Each probe is compiled
# with exactly the include roots its layer's sources get.
# Usage: layers_test.sh CXX BUILD_DIR
set -u
cxx="$1"
build="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

probe() {  # probe LAYER HEADER EXPECT(ok|refused)
  local layer="$1" header="$2" expect="$3"
  printf '#include "%s"\n' "$header" > "$work/probe.cc"
  if "$cxx" -std=c++17 -fsyntax-only -I "$build/layers/$layer" \
       -I "$build/gen" "$work/probe.cc" 2> "$work/err"; then
    got=ok
  elif grep -q "$header: No such file or directory" "$work/err"; then
    got=refused  # the header is not on the layer's include path
  else
    got=error    # refused for another reason: the probe proves nothing
  fi
  if [ "$got" = "$expect" ]; then
    echo "ok   $layer includes $header: $got"
  else
    echo "FAIL $layer includes $header: expected $expect, got $got"
    sed 's/^/     /' "$work/err" | head -5
    failures=$((failures + 1))
  fi
}

# Up a layer: refused.
probe eval   src/engine/function.h   refused
probe eval   pip/engine.h            refused
probe eval   pip/snapshot.h          refused
probe codec  src/render/render.h     refused
probe render src/audit/record.h      refused
probe audit  src/engine/resolve.h    refused
probe audit  pip/engine.h            refused
probe engine src/capi/call.h         refused
probe policy src/eval/eval_types.h   refused
# Down a layer, or the layer's own: compiles.
probe eval   src/policy/compiled_policy.h ok
probe eval   src/eval/eval_types.h   ok
probe render src/codec/json.h        ok
probe audit  pip/audit.h             ok
probe engine src/render/encoder.h    ok
probe engine pip/engine.h            ok

echo "$(( 15 - failures )) passed, $failures failed"
[ "$failures" -eq 0 ]
