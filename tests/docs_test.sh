#!/usr/bin/env bash
# The project's documents hold together:
#   - LICENSE is the Apache License, Version 2.0;
#   - CHANGELOG.md has an "Unreleased" section;
#   - every relative Markdown link of README.md, CHANGELOG.md and the
#     Markdown files under docs/, examples/ and bindings/ names a file or
#     folder of the repository, without an anchor (an anchor cannot be
#     checked);
#   - every file under docs/ is listed in docs/README.md, and every file
#     under docs/ja/ in docs/ja/README.md;
#   - no Markdown file names a path outside the repository.
# Each failure names the file, the line and the link or text.
# Usage: docs_test.sh SOURCE_DIR
set -u
src="$(cd "${1:-$(dirname "$0")/..}" && pwd -P)"
cd "$src" || exit 2
failures=0
checks=0

fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
pass() {
  checks=$((checks + 1))
}

# --- LICENSE ------------------------------------------------------------------
apache=/usr/share/common-licenses/Apache-2.0
if [ ! -f LICENSE ]; then
  fail "LICENSE: missing"
elif [ -f "$apache" ]; then
  if cmp -s LICENSE "$apache"; then pass; else
    fail "LICENSE: differs from $apache (the Apache License 2.0 text)"
  fi
elif grep -q '^ *Apache License$' LICENSE &&
     grep -q '^ *Version 2.0, January 2004$' LICENSE &&
     grep -q 'TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION' LICENSE; then
  pass
else
  fail "LICENSE: does not begin as the Apache License, Version 2.0 does"
fi

# --- CHANGELOG.md -------------------------------------------------------------
if [ ! -f CHANGELOG.md ]; then
  fail "CHANGELOG.md: missing"
elif grep -Eq '^## \[?Unreleased\]?' CHANGELOG.md; then
  pass
else
  fail "CHANGELOG.md: no '## [Unreleased]' section"
fi

# --- The Markdown files checked -------------------------------------------------
mapfile -t markdown < <(
  { ls README.md CHANGELOG.md 2>/dev/null
    find docs examples bindings -name '*.md' -type f 2>/dev/null; } | sort -u)
if [ "${#markdown[@]}" -lt 3 ]; then
  fail "found only ${#markdown[@]} Markdown files under $src"
fi

# Prints "LINE<TAB>TARGET" for every link of a Markdown file: inline links
# [text](target) and reference definitions [label]: target, outside fenced
# code blocks and inline code spans.
links_of() {
  awk '
    /^[ \t]*(```|~~~)/ { fence = !fence; next }
    fence { next }
    {
      line = $0
      gsub(/`[^`]*`/, "", line)           # inline code is not a link
      if (match(line, /^[ \t]*\[[^]]+\]:[ \t]+[^ \t]+/)) {
        def = substr(line, RSTART, RLENGTH)
        sub(/^[ \t]*\[[^]]+\]:[ \t]+/, "", def)
        print NR "\t" def
      }
      while (match(line, /\]\([^)]*\)/)) {
        target = substr(line, RSTART + 2, RLENGTH - 3)
        sub(/^[ \t]+/, "", target)
        sub(/[ \t].*$/, "", target)       # drop a "title"
        sub(/^</, "", target); sub(/>$/, "", target)
        print NR "\t" target
        line = substr(line, RSTART + RLENGTH)
      }
    }' "$1"
}

# The repository-relative path a link of FILE names, or "" if it leaves
# the repository.
resolve() {
  local file="$1" target="$2" dir path
  dir="$(dirname "$file")"
  path="$(realpath -m --relative-to="$src" "$src/$dir/$target")"
  case "$path" in
    ..|../*|/*) echo "" ;;
    *) echo "$path" ;;
  esac
}

declare -A linked_from   # "INDEX|path" -> 1
for md in "${markdown[@]}"; do
  while IFS=$'\t' read -r line target; do
    case "$target" in
      "") fail "$md:$line: empty link"; continue ;;
      [a-zA-Z]*:*) pass; continue ;;        # http:, https:, mailto:
    esac
    case "$target" in
      *'#'*) fail "$md:$line: link '$target' has an anchor; link the file only"
             continue ;;
      /*) fail "$md:$line: link '$target' is absolute; use a path relative to $md"
          continue ;;
    esac
    path="$(resolve "$md" "$target")"
    if [ -z "$path" ]; then
      fail "$md:$line: link '$target' leaves the repository"
    elif [ ! -e "$src/$path" ]; then
      fail "$md:$line: link '$target' names $path, which does not exist"
    else
      pass
      linked_from["$md|$path"]=1
    fi
  done < <(links_of "$md")
done

# --- The indexes ----------------------------------------------------------------
check_index() {  # check_index INDEX FILE...
  local index="$1"; shift
  if [ ! -f "$index" ]; then
    fail "$index: missing"
    return
  fi
  local f
  for f in "$@"; do
    if [ -n "${linked_from["$index|$f"]+x}" ]; then pass; else
      fail "$index: does not list $f (add a line with a link to it)"
    fi
  done
}
mapfile -t docs_files < <(find docs -type f ! -path 'docs/ja/*' ! -path docs/README.md | sort)
mapfile -t ja_files < <(find docs/ja -type f ! -path docs/ja/README.md 2>/dev/null | sort)
check_index docs/README.md "${docs_files[@]}"
check_index docs/ja/README.md "${ja_files[@]}"

# --- Paths outside the repository ---------------------------------------------
# A document speaks of the repository only: a path of the machine it was
# written on, or of a folder beside the repository, means nothing to a reader.
for md in "${markdown[@]}"; do
  while IFS=: read -r line text; do
    fail "$md:$line: names a path outside the repository: $text"
  done < <(grep -nE '/wor[k]/|\.\./shared|share[d]/seed/' "$md")
  pass
done

echo "$checks passed, $failures failed (${#markdown[@]} Markdown files)"
[ "$failures" -eq 0 ]
