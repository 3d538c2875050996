#!/usr/bin/env python3
"""Instructions per call of the functions of a callgrind profile.

    valgrind --tool=callgrind --callgrind-out-file=/tmp/x.cg \
        build/benchmarks/pip_bench --benchmark_filter='^BM_CApiPb_RetentionDue_Typical$' \
        --benchmark_min_time=0.2
    python3 scripts/callgrind_percall.py /tmp/x.cg '^pip_retention_due_pb$'

For each function whose name matches the regular expression, prints the
inclusive instruction count of all its calls divided by their number, both
summed from the file's `calls=` records (every caller's). With
--benchmark_min_time=0.2 or more, the one-time set-up of the first call is
a small part of the figure. Python 3, standard library only.
"""
import re
import sys


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    path, pattern = argv[1], re.compile(argv[2])
    names = {}  # compressed id -> name
    calls = {}  # id -> number of calls
    inclusive = {}  # id -> instructions of those calls
    callee = None
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(fn|cfn)=\((\d+)\)(?: (.*))?$", line)
        if m:
            kind, key, name = m.groups()
            if name:
                names[key] = name
            if kind == "cfn":
                callee = key
            i += 1
            continue
        m = re.match(r"^calls=(\d+)", line)
        if m and callee is not None and i + 1 < len(lines):
            cost = lines[i + 1].split()
            calls[callee] = calls.get(callee, 0) + int(m.group(1))
            inclusive[callee] = inclusive.get(callee, 0) + (
                int(cost[1]) if len(cost) > 1 else 0)
            i += 2
            continue
        i += 1
    found = False
    for key, n in sorted(calls.items(), key=lambda kv: names.get(kv[0], "")):
        name = names.get(key, "?")
        if n and pattern.search(name):
            found = True
            print("%10.0f per call %10d calls  %s" % (inclusive[key] / n, n, name))
    if not found:
        sys.stderr.write("no called function matches %r\n" % argv[2])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
