#!/usr/bin/env python3
"""Regenerates the expected lines of a golden scenario file from pipctl.

    python3 scripts/golden.py build/tools/pipctl/pipctl tests/scenarios/default_policy.jsonl

Each scenario of the file is a comment, a request line and an expected line
(tests/scenarios_test.cc). This runs every request line through `pipctl
eval` and writes the answer as the expected line, without what a golden
leaves out so that rewording does not break it: the reasons' messages
(message_ja, message_en), the policy hash, and an error's message. Review
the diff before committing it: a changed expectation is a changed decision.
"""
import json
import subprocess
import sys

DROP = {"message_ja", "message_en", "hash"}


def strip(value, under_error=False):
    if isinstance(value, dict):
        return {k: strip(v, under_error or k == "error")
                for k, v in value.items()
                if k not in DROP and not (under_error and k == "message")}
    if isinstance(value, list):
        return [strip(v, under_error) for v in value]
    return value


def main(pipctl, path):
    lines = open(path, encoding="utf-8").read().split("\n")
    # Request lines are the first non-comment, non-empty line after a blank
    # line or comment; the next one is its expected line.
    requests, expected_at = [], []
    pending = None
    for i, line in enumerate(lines):
        if not line or line.startswith("#"):
            continue
        if pending is None:
            pending = i
            requests.append(line)
        else:
            expected_at.append(i)
            pending = None
    if pending is not None:
        sys.exit(f"{path}: line {pending + 1}: a request line has no expected line")
    out = subprocess.run([pipctl, "eval"], input="\n".join(requests) + "\n",
                         capture_output=True, text=True, encoding="utf-8").stdout
    answers = out.split("\n")[:len(requests)]
    for i, answer in zip(expected_at, answers):
        lines[i] = json.dumps(strip(json.loads(answer)), ensure_ascii=False,
                              separators=(", ", ": "))
    open(path, "w", encoding="utf-8").write("\n".join(lines))


if __name__ == "__main__":
    main(*sys.argv[1:3])
