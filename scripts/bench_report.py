#!/usr/bin/env python3
"""Turns the JSON of benchmarks/pip_bench (scripts/bench.sh) into the tables
of docs/performance.md.

    python3 scripts/bench_report.py build/bench.json            # print
    python3 scripts/bench_report.py build/bench.json --update docs/performance.md

Every figure is the median of the repetitions (or the single run when there
are none), in CPU time per operation, and is also given as a ratio to
BM_Baseline_BitsetLookup measured in the same run. --update replaces the text
between the markers <!-- bench:begin --> and <!-- bench:end -->.
Python 3 standard library only.
"""
import argparse
import json
import re
import sys

BASELINE = "BM_Baseline_BitsetLookup/real_time/threads:1"

# (benchmark, what it measures, target as (kind, value)); kinds: "ns" is a
# ceiling on CPU time, "x" a ceiling on the ratio to the baseline, "rate" a
# floor on items per second.
TARGETS = [
    (BASELINE, "bare bitset lookup, ids resolved (the floor)", None),
    ("BM_Baseline_StringLookup_3Categories",
     "bare lookup, 3 category ids + purpose id as strings", None),
    ("BM_Handles_PurposeAllowed_Typical/real_time/threads:1",
     "purpose_allowed, handles, no consent needed", [("ns", 5), ("x", 5)]),
    ("BM_Handles_PurposeAllowed_StringIds_3Categories",
     "purpose_allowed, ids as strings, 3 categories", [("ns", 60)]),
    ("BM_Handles_PurposeAllowed_Consents/10",
     "purpose_allowed, handles, 10 consent records", [("ns", 150)]),
    ("BM_Handles_PurposeAllowed_Worst",
     "purpose_allowed, handles, every category, third party, 10 consents", None),
    ("BM_Handles_ConsentCheck/10", "consent_check, handles, 10 consent records",
     None),
    ("BM_Handles_RetentionDue_Typical", "retention_due, handles, one record",
     [("ns", 25)]),
    ("BM_Handles_RetentionDue_Worst",
     "retention_due, handles, accounting with every hold", None),
    ("BM_Handles_RequestValidate", "request_validate, handles", [("ns", 100)]),
    ("BM_Handles_RetentionSweep/1000000/0",
     "batch sweep, 1M records, due bitmap", [("rate", 50e6)]),
    ("BM_Handles_RetentionSweep/1000000/1",
     "batch sweep, 1M records, bitmap + retain_until", None),
    ("BM_CApi_RetentionDueBatch/1000000",
     "batch sweep through the C API, 1M records, due bitmap", None),
    ("BM_Proto_PurposeAllowed_Typical/real_time/threads:1",
     "purpose_allowed, C++ proto API", None),
    ("BM_Proto_ConsentCheck/10", "consent_check, C++ proto API, 10 consents",
     None),
    ("BM_Proto_RetentionDue_Typical", "retention_due, C++ proto API", None),
    ("BM_Proto_RequestValidate", "request_validate, C++ proto API", None),
    ("BM_Proto_PurposeAllowed_Audited",
     "purpose_allowed, C++ proto API, with the JSON-lines audit log (batched)",
     None),
    ("BM_CApiPb_PurposeAllowed_Typical/real_time/threads:1",
     "purpose_allowed, C API, protobuf bytes in and out", [("ns", 600)]),
    ("BM_CApiPb_ConsentCheck", "consent_check, C API protobuf, 10 consents",
     None),
    ("BM_CApiPb_RetentionDue_Typical", "retention_due, C API protobuf", None),
    ("BM_CApiPb_RequestValidate", "request_validate, C API protobuf", None),
    ("BM_CApiJson_PurposeAllowed_Typical/real_time/threads:1",
     "purpose_allowed, C API, JSON in and out", [("ns", 3000)]),
    ("BM_PipctlJson_PurposeAllowed_Typical",
     "purpose_allowed, one `pipctl eval` JSON line", [("ns", 3000)]),
    ("BM_CApiJson_ConsentCheck", "consent_check, C API JSON, 10 consents", None),
    ("BM_CApiJson_RetentionDue_Typical", "retention_due, C API JSON", None),
    ("BM_CApiJson_RequestValidate", "request_validate, C API JSON", None),
    ("BM_Policy_LoadValidateCompile_Default",
     "load + validate + compile the default policy", [("ns", 2e6)]),
    ("BM_Policy_LoadValidateCompile_Scaled/1",
     "load + validate + compile, the default policy (75 KB)", None),
    ("BM_Policy_LoadValidateCompile_Scaled/10",
     "the same grown 10x by clause texts (750 KB): linear", None),
    ("BM_Policy_LoadValidateCompile_Scaled/100",
     "the same grown 100x (7.5 MB): linear", None),
    ("BM_Policy_Refuse_UnknownClauseReferences/1000",
     "refuse a policy of 1,000 unknown clause references", None),
    ("BM_Policy_Refuse_UnknownClauseReferences/4000",
     "refuse a policy of 4,000 unknown clause references: linear", None),
    ("BM_Policy_Snapshot", "Engine::snapshot()", None),
]

THREADED = [
    "BM_Baseline_BitsetLookup",
    "BM_Handles_PurposeAllowed_Typical",
    "BM_Proto_PurposeAllowed_Typical",
    "BM_CApiPb_PurposeAllowed_Typical",
    "BM_CApiJson_PurposeAllowed_Typical",
    "BM_Proto_PurposeAllowed_DuringReload",
    "BM_Handles_PurposeAllowed_DuringReload",
]

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") != "median":
                continue
        elif name in runs:
            continue  # a median, when present, was recorded already
        b = dict(b)
        scale = UNIT_NS[b.get("time_unit", "ns")]
        b["cpu_ns"] = b["cpu_time"] * scale
        b["real_ns"] = b["real_time"] * scale
        runs[name] = b
    return data.get("context", {}), runs


def fmt_ns(ns):
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.2f us" % (ns / 1e3)
    if ns >= 100:
        return "%.0f ns" % ns
    return "%.1f ns" % ns


def fmt_rate(r):
    return "%.1f M/s" % (r / 1e6)


def target_text(target, run, base):
    if not target:
        return "", ""
    texts, ok = [], True
    for kind, value in target:
        if kind == "ns":
            texts.append("<= " + fmt_ns(value))
            ok &= run["cpu_ns"] <= value
        elif kind == "x":
            texts.append("<= %gx" % value)
            ok &= run["cpu_ns"] / base <= value
        elif kind == "rate":
            texts.append(">= " + fmt_rate(value))
            ok &= run.get("items_per_second", 0) >= value
    return ", ".join(texts), ("met" if ok else "**missed**")


def report(context, runs):
    out = []
    base = runs.get(BASELINE, {}).get("cpu_ns")
    if not base:
        sys.exit("no %s in the JSON: run every benchmark" % BASELINE)
    out.append("Machine: %s CPUs at %s MHz, load average %s at the start; "
               "%s. pip built Release (scripts/bench.sh); the Google "
               "Benchmark library itself reports a %s build." % (
                   context.get("num_cpus", "?"), context.get("mhz_per_cpu", "?"),
                   ", ".join("%.2f" % x for x in context.get("load_avg", [])),
                   context.get("date", ""),
                   context.get("library_build_type", "?")))
    out.append("")
    out.append("| benchmark | what | CPU time | x baseline | target | |")
    out.append("| --- | --- | ---: | ---: | --- | --- |")
    for name, what, target in TARGETS:
        run = runs.get(name)
        if run is None:
            continue
        shown = fmt_ns(run["cpu_ns"])
        per_op = run["cpu_ns"]
        if "RetentionSweep" in name or "RetentionDueBatch" in name:
            # A sweep is read per record, and as records per second.
            per_op = run["cpu_ns"] / run["records"]
            shown = "%s a record (%s)" % (fmt_ns(per_op),
                                          fmt_rate(run["items_per_second"]))
        t, status = target_text(target, run, base)
        out.append("| `%s` | %s | %s | %.1f | %s | %s |" % (
            name, what, shown, per_op / base, t, status))

    out.append("")
    out.append("Threads on one shared engine (wall-clock throughput, all "
               "threads together; target for pip: 2 threads >= 1.8x one):")
    out.append("")
    out.append("| benchmark | 1 thread | 2 threads | 2 / 1 | "
               "2 / 1 ÷ the baseline's 2 / 1 |")
    out.append("| --- | ---: | ---: | ---: | ---: |")

    def scaling(name):
        one = runs.get(name + "/real_time/threads:1")
        two = runs.get(name + "/real_time/threads:2")
        if not one or not two:
            return None
        return one["items_per_second"], two["items_per_second"]

    # The bare lookup shares nothing between threads, so its scaling is what
    # the host gives two threads; pip's is read against it too.
    base_scaling = scaling(THREADED[0])
    for name in THREADED:
        rates = scaling(name)
        if rates is None:
            continue
        r1, r2 = rates
        relative = ""
        if base_scaling is not None:
            relative = "%.2f" % ((r2 / r1) /
                                 (base_scaling[1] / base_scaling[0]))
        out.append("| `%s` | %s | %s | %.2fx | %s |" % (
            name, fmt_rate(r1), fmt_rate(r2), r2 / r1, relative))

    def series(prefix, label):
        rows = []
        for name, run in runs.items():
            m = re.fullmatch(re.escape(prefix) + r"/(\d+)", name)
            if m:
                rows.append((int(m.group(1)), run))
        rows.sort()
        if not rows:
            return
        out.append("")
        out.append("| %s | `%s` | x baseline | per unit |" % (label, prefix))
        out.append("| ---: | ---: | ---: | ---: |")
        for n, run in rows:
            out.append("| %d | %s | %.1f | %s |" % (
                n, fmt_ns(run["cpu_ns"]), run["cpu_ns"] / base,
                fmt_ns(run["cpu_ns"] / n)))

    out.append("")
    out.append("How cost grows:")
    series("BM_Handles_PurposeAllowed_Categories", "categories per request")
    series("BM_Handles_PurposeAllowed_Consents", "consent records per subject")
    series("BM_Handles_ConsentCheck", "consent records per subject")
    series("BM_Proto_PurposeAllowed_Consents", "consent records per subject")

    sweeps = []
    for name, run in runs.items():
        m = re.fullmatch(r"BM_Handles_RetentionSweep/(\d+)/(\d)", name)
        if m:
            sweeps.append((int(m.group(2)), int(m.group(1)), run))
    if sweeps:
        out.append("")
        out.append("| records per sweep | retain_until | time per sweep | "
                   "per record | records/s |")
        out.append("| ---: | --- | ---: | ---: | ---: |")
        for dates, n, run in sorted(sweeps):
            out.append("| %d | %s | %s | %s | %s |" % (
                n, "yes" if dates else "no", fmt_ns(run["cpu_ns"]),
                fmt_ns(run["cpu_ns"] / n), fmt_rate(run["items_per_second"])))

    mem = next((r for n, r in runs.items()
                if n.startswith("BM_Policy_EngineHeapBytes")), None)
    if mem and "engine_heap_bytes" in mem:
        out.append("")
        out.append("Steady-state heap of one engine with the default policy "
                   "(mallinfo2 before/after, engine kept): %.0f KiB "
                   "(target <= 1024 KiB)." % (mem["engine_heap_bytes"] / 1024))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json")
    parser.add_argument("--update", metavar="MARKDOWN",
                        help="replace the block between the bench markers")
    args = parser.parse_args()
    context, runs = load(args.json)
    text = report(context, runs)
    if not args.update:
        sys.stdout.write(text)
        return
    with open(args.update) as f:
        doc = f.read()
    begin, end = "<!-- bench:begin -->\n", "<!-- bench:end -->"
    if begin not in doc or end not in doc:
        sys.exit("%s has no bench markers" % args.update)
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.update, "w") as f:
        f.write(head + begin + text + end + tail)


if __name__ == "__main__":
    main()
