#!/usr/bin/env python3
"""Checks (or rewrites) the pipctl examples of the documentation.

    python3 scripts/doc_examples.py build/tools/pipctl/pipctl            # check
    python3 scripts/doc_examples.py build/tools/pipctl/pipctl --update   # rewrite

An example is a fenced block of a Markdown file that starts with a command
of the form

    $ echo '<one JSON request>' \\
        | pipctl eval [| python3 -m json.tool ...]

followed by what it prints, up to the closing fence or the next command. The command runs from
the repository's root with `pipctl` (or `build/tools/pipctl/pipctl`) replaced
by the binary given; its output must equal the lines shown. A line shown as
`…(…省略)…` (indented or not) stands for any number of lines: a long text
shortened on purpose. An example run with `--policy` (a policy being
edited, not the repository's) is not checked. With --update the lines shown
are replaced by the output, so that no example is edited by hand; an
example with a shortened part is reported instead, to be edited. Files read: README.md and every Markdown file under docs/, examples/
and bindings/. Standard library only.
"""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PIPCTL = re.compile(r"(?<![\w/.-])(?:build/tools/pipctl/)?pipctl(?= )")


def markdown_files():
    yield ROOT / "README.md"
    for folder in ("docs", "examples", "bindings"):
        yield from sorted((ROOT / folder).rglob("*.md"))


def examples(lines):
    """Yields (first output line, end line, command) of each example."""
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ echo '"):
            i += 1
            continue
        command = [lines[i][2:]]
        j = i
        while command[-1].endswith("\\") and j + 1 < len(lines):
            j += 1
            command.append(lines[j].strip())
        joined = " ".join(c[:-1].rstrip() if c.endswith("\\") else c
                          for c in command)
        if not PIPCTL.search(joined) or "--policy" in joined:
            i = j + 1
            continue
        end = j + 1
        while end < len(lines) and not lines[end].startswith(("```", "$ ")):
            end += 1
        yield j + 1, end, joined
        i = end


def elided(line):
    text = line.strip()
    return text.startswith("…(") and text.endswith(")…")


def matches(shown, got):
    """Whether `got` is `shown`, each elided line standing for any lines."""
    if not shown:
        return not got
    if elided(shown[0]):
        return any(matches(shown[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and shown[0] == got[0] and matches(shown[1:], got[1:])


def run(pipctl, command):
    result = subprocess.run(["bash", "-o", "pipefail", "-c",
                             PIPCTL.sub(pipctl, command)],
                            cwd=ROOT, capture_output=True, text=True,
                            check=False)
    # pipctl answers an invalid line with an error line and a non-zero exit
    # code; what is shown is the line.
    return result.stdout.rstrip("\n").split("\n")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    pipctl = str(pathlib.Path(argv[1]).resolve())
    update = "--update" in argv[2:]
    failed = 0
    checked = 0
    for path in markdown_files():
        lines = path.read_text(encoding="utf-8").split("\n")
        changed = False
        # From the last example to the first, so that rewriting one keeps
        # the line numbers of those above it.
        for start, end, command in reversed(list(examples(lines))):
            checked += 1
            got = run(pipctl, command)
            shown = lines[start:end]
            if matches(shown, got):
                continue
            if update and not any(elided(line) for line in shown):
                lines[start:end] = got
                changed = True
                continue
            failed += 1
            rel = path.relative_to(ROOT)
            print(f"{rel}:{start + 1}: the output shown is not what "
                  f"`{command[:80]}...` prints now; run "
                  f"scripts/doc_examples.py --update and review the diff",
                  file=sys.stderr)
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}", file=sys.stderr)
    print(f"{checked} examples, {failed} differ", file=sys.stderr)
    if checked == 0:
        print("no example found: the format above has changed", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
