#!/usr/bin/env python3
"""Checks (or rewrites) the programs shown in the documentation.

    python3 scripts/doc_programs.py            # check
    python3 scripts/doc_programs.py --update   # rewrite the blocks from the files

A fenced block whose info string is one of c, cpp, c++, python, java, js,
javascript, ts or typescript is a program block. Each one shows a file of the
repository that is built and run by the tests, and says which, on the line
before it (blank lines allowed in between):

    <!-- example: examples/readme/quickstart.cc -->          the whole file
    <!-- example: examples/readme/hot_path.cc#snapshot -->   one region of it

PATH is relative to the repository's root and lies under examples/ or
bindings/*/examples/. Without a region the block's lines are the file's
lines; with region R they are the lines strictly between the file's line
that holds `[START R]` and the one that holds `[END R]` (behind a comment
marker of any language), without their common leading indentation.

A block that is not a program (a signature, a fragment discussed in a table)
is marked `<!-- fragment -->` instead and is not checked.

Without --update, a block that differs from its file, or a program block
with neither mark, fails with file:line and a diff; with --update the blocks
are rewritten from the files, so that no program in the docs is edited by
hand (an unmarked block is still reported). Files read: README.md and every
Markdown file under docs/, examples/ and bindings/ (build folders skipped).
Standard library only.
"""
import difflib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LANGUAGES = {"c", "cpp", "c++", "python", "java", "js", "javascript", "ts",
             "typescript"}
# Any indentation: a block inside a list item is a block too.
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
EXAMPLE = re.compile(r"^\s*<!--\s*example:\s*(?P<path>[^\s#]+)"
                     r"(?:#(?P<region>[\w.-]+))?\s*-->\s*$")
FRAGMENT = re.compile(r"^\s*<!--\s*fragment\s*-->\s*$")
ALLOWED = re.compile(r"^(examples|bindings/[^/]+/examples)/[^/].*")
SKIPPED = {"build", "node_modules", ".git", "target"}


def markdown_files(root):
    """README.md, then every Markdown file under docs/, examples/, bindings/."""
    if (root / "README.md").is_file():
        yield root / "README.md"
    for folder in ("docs", "examples", "bindings"):
        for path in sorted((root / folder).rglob("*.md")):
            parts = path.relative_to(root).parts
            if not any(p in SKIPPED or p.startswith("build") for p in parts[:-1]):
                yield path


def blocks(lines):
    """Yields (fence line index, first body index, end index, info, indent)
    of every fenced block; the body is lines[first:end], lines[end] the
    closing fence (or len(lines) for a block left open)."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group("fence")
        end = i + 1
        while end < len(lines):
            close = lines[end].strip()
            if close.startswith(fence[0] * len(fence)) and \
                    not close.strip(fence[0]):
                break
            end += 1
        yield i, i + 1, end, m.group("info").lower(), m.group("indent")
        i = end + 1


def mark_before(lines, fence_index):
    """The line before a block, blank lines skipped ("" if none)."""
    k = fence_index - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return lines[k] if k >= 0 else ""


def dedent(lines):
    width = min((len(l) - len(l.lstrip()) for l in lines if l.strip()),
                default=0)
    return [l[width:] if l.strip() else "" for l in lines]


def expected_lines(root, path, region):
    """The lines a block must hold, or an error message."""
    if not ALLOWED.match(path) or ".." in pathlib.PurePosixPath(path).parts:
        return None, (f"'{path}' is not under examples/ or "
                      "bindings/*/examples/")
    file = root / path
    if not file.is_file():
        return None, f"'{path}' does not exist"
    text = file.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if region is None:
        return lines, None
    start = [i for i, l in enumerate(lines) if f"[START {region}]" in l]
    end = [i for i, l in enumerate(lines) if f"[END {region}]" in l]
    if len(start) != 1 or len(end) != 1 or end[0] <= start[0]:
        return None, (f"'{path}' has no single [START {region}] ... "
                      f"[END {region}] pair")
    return dedent(lines[start[0] + 1:end[0]]), None


def check_text(root, rel, text, update):
    """Checks one Markdown text. Returns (new text, problems, programs)."""
    lines = text.split("\n")
    problems = []
    programs = 0
    replacements = []
    for fence, first, end, info, indent in blocks(lines):
        if info not in LANGUAGES:
            continue
        before = mark_before(lines, fence)
        if FRAGMENT.match(before):
            continue
        m = EXAMPLE.match(before)
        if not m:
            problems.append(
                f"{rel}:{fence + 1}: a {info} block without "
                "'<!-- example: PATH -->' or '<!-- example: PATH#REGION -->' "
                "before it (or '<!-- fragment -->' for what is not a program)")
            continue
        programs += 1
        want, error = expected_lines(root, m.group("path"), m.group("region"))
        if error:
            problems.append(f"{rel}:{fence + 1}: {error}")
            continue
        # A block indented (in a list item) shows the file indented as much.
        want = [indent + l if l else "" for l in want]
        shown = lines[first:end]
        if shown == want:
            continue
        if update:
            replacements.append((first, end, want))
            continue
        label = m.group("path") + (f"#{m.group('region')}"
                                   if m.group("region") else "")
        diff = "\n".join(difflib.unified_diff(
            shown, want, f"{rel}:{first + 1}", label, lineterm=""))
        problems.append(f"{rel}:{first + 1}: the block differs from {label}; "
                        "run scripts/doc_programs.py --update\n" + diff)
    for first, end, want in reversed(replacements):
        lines[first:end] = want
    return "\n".join(lines), problems, programs


def main(argv):
    args = argv[1:]
    update = "--update" in args
    root = ROOT
    if "--root" in args:  # for the tests of this script
        root = pathlib.Path(args[args.index("--root") + 1]).resolve()
    problems = []
    programs = 0
    for path in markdown_files(root):
        rel = path.relative_to(root)
        text = path.read_text(encoding="utf-8")
        new, found, count = check_text(root, rel, text, update)
        problems += found
        programs += count
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {rel}", file=sys.stderr)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{programs} program blocks, {len(problems)} problems",
          file=sys.stderr)
    if programs == 0:
        print("no program block found: the files read or the marks have "
              "changed", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
