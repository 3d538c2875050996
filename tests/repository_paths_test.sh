#!/usr/bin/env bash
# Nothing in the repository names a file outside it: no path of the machine
# a file was written on (a home folder, a checkout's parent) and no folder
# beside the checkout. Every text file is read except .git, build folders
# (build/, build-*/), Python caches and fuzzing leftovers (.gitignore). Each
# hit is printed as file:line:text.
# Usage: repository_paths_test.sh SOURCE_DIR
set -u
src="$(cd "${1:-$(dirname "$0")/..}" && pwd -P)"
cd "$src" || exit 2

# Each pattern is written so that it does not match itself ([k] is k).
patterns=(
  '/wor[k]/'                    # the folder the repository was developed in
  '\.\./share[d]'               # a folder beside the checkout
  'share[d]/seed/'
  '(^|[^[:alnum:]_.])/hom[e]/[[:alnum:]_.-]+/'   # a home folder
  '(^|[^[:alnum:]_.])/Users/[[:alnum:]_.-]+/'   # a macOS home folder
  '(^|[^[:alnum:]_.])/roo[t]/'  # root's home folder
)
pattern="$(IFS='|'; echo "${patterns[*]}")"

files=$(find . \( -name .git -o -name 'build' -o -name 'build-*' -o -name __pycache__ \) -prune \
          -o -type f ! -name 'crash-*' ! -name 'leak-*' ! -name 'timeout-*' ! -name 'oom-*' \
          -print | wc -l)
if [ "$files" -lt 100 ]; then
  echo "FAIL only $files files under $src: not the repository?"
  exit 1
fi

hits="$(find . \( -name .git -o -name 'build' -o -name 'build-*' -o -name __pycache__ \) -prune \
          -o -type f ! -name 'crash-*' ! -name 'leak-*' ! -name 'timeout-*' ! -name 'oom-*' \
          -print0 | xargs -0 grep -nIE -e "$pattern" -- 2>/dev/null)"
if [ -n "$hits" ]; then
  echo "FAIL these lines name a path outside the repository:"
  echo "$hits"
  exit 1
fi
echo "$files files, none names a path outside the repository"
