#!/usr/bin/env python3
"""How often `hookmatrix diff` cries wolf, and how often it sees a real slowdown, on this machine.

The operating characteristics of the regression verdict, measured the nightly way on the default
matrix, for two methods side by side:
  history: the nightly procedure of ci/workflows/hookmatrix.yml: tonight is run with
           `run --rounds R --history NULL_NIGHTS --nights 7`, which measures a cell that regressed
           again (twice) before it counts, and is then judged by
           `diff --history NULL_NIGHTS --nights 7 TONIGHT` (matrix/compare/history.h);
  single:  `diff LAST_NIGHT TONIGHT` on the same nights: one baseline, the way before the
           history (without a re-measurement of its own, so its figures flatter it a little).
Steps:
  1. record: HISTORY identical nights, then NULL more identical nights with DETECT nights of each
     slowdown (+10, +20, +50% of the slowed cell's median) interleaved among them, so that every
     night is judged against the nights just before it, on the machine as it was then. A slowed
     night runs one cell's program spinning that share of the cell's median over the last
     HISTORY identical nights before its trace line
     (bench/slow_hello.bpf.c, attached with --object HOOK=... --trace in every night, slowed or
     not); slowed nights are kept apart from the identical ones, which alone make the history.
  2. judge: each identical night after the first HISTORY: every regression is a false alarm
     (counted per night and per cell comparison); each slowed night: detected when the verdict
     names the slowed cell (HOOK on DEVICE) a regression. What a slowdown "measured": the
     median p50 of the slowed cell over its nights against the same over the identical nights
     judged (each night's kept measurement), in per cent and in ns against the ns spun.
`--judge-only WORK` judges nights recorded earlier again (say, after a change to the rule; the
re-measurements were made under the rule of the recording).
A property of the machine's noise, so it is a benchmark, not a test: the figures are kept, dated,
in docs/benchmarks.md. Needs root, clang, and a built hookmatrix.
  sudo ci/operating-characteristics.py --build build          # 7 + 50 + 3 x 20 nights, ~2 h
  sudo ci/operating-characteristics.py --null 10 --detect 3   # a quicker look
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

METHODS = {
    "history": lambda a, w, last, tonight: (["--history", w.null, "--nights", str(a.nights)] +
                                            a.history_args.split() + [tonight]),
    "single": lambda a, w, last, tonight: [last, tonight],
}


def sh(argv):
    return subprocess.run(argv, capture_output=True, text=True)


class Work:
    """The nights on disk: WORK/null/NNN/results.json and WORK/slowP/NNN/results.json, and
    WORK/plan.json listing every night in the order it ran."""

    def __init__(self, path):
        self.path = path
        self.null = os.path.join(path, "null")
        self.plan_path = os.path.join(path, "plan.json")

    def night_dir(self, kind, n):
        return os.path.join(self.path, kind, f"{n:03d}")


def build_object(a, work, delay_ns):
    out = os.path.join(work.path, f"slow_{delay_ns}.o")
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(here, "..", "bench", "slow_hello.bpf.c")
    r = sh(["clang", "-O2", "-target", "bpf", f"-DDELAY_NS={delay_ns}",
            "-I/usr/include/x86_64-linux-gnu", "-c", src, "-o", out])
    if r.returncode:
        sys.exit("build slow_hello: " + r.stderr)
    return out


def run_night(a, obj, out, work=None):
    """One night; judged nights (`work` given) are run the nightly way, against the history."""
    argv = [os.path.join(a.build, "hookmatrix"), "run", "--rounds", str(a.rounds), "--no-html",
            "--no-junit", "--no-markdown", "--object", f"{a.hook}={obj}", "--trace", "-o", out]
    if work:
        argv += ["--history", work.null, "--nights", str(a.nights)] + a.history_args.split()
    r = sh(argv)
    path = os.path.join(out, "results.json")
    if not os.path.exists(path):
        sys.exit(f"{out}: no results ({r.returncode}): {r.stderr}")
    return path


def cell_reading(a, path):
    """The slowed cell's p50 on a night, and that p50 over the median p50 of the night's cells
    (the run-wide shift `diff` takes out, so the machine's level of that hour is out of it). On a
    night whose cell was measured again, the measurement kept stands over the first run's cells."""
    with open(path) as f:
        cells = json.load(f)["cells"]
    p50s = [c["latency_ns"]["p50"] for c in cells if c.get("latency_ns", {}).get("p50")]
    v = next((c.get("latency_ns", {}).get("p50") for c in cells
              if c["hook"] == a.hook and c["device"] == a.device), None)
    return v, (v / statistics.median(p50s) if v and p50s else None)


def record(a, work):
    os.makedirs(work.null, exist_ok=True)
    plain = build_object(a, work, 0)
    plan = []
    t0 = time.time()
    for n in range(a.history):
        plan.append({"kind": "null", "path": run_night(a, plain, work.night_dir("null", n))})
    level = recent_level(a, plan)
    counts = detect_counts(a)
    print(f"history of {a.history} recorded; {a.hook} on {a.device}: median {level:.0f} ns",
          flush=True)
    # The slowed nights spread evenly among the identical ones, the slowdowns in turn.
    slowed = [pct for i in range(max(counts.values())) for pct, n in counts.items() if i < n]
    per_null = len(slowed) / max(a.null, 1)
    owed = 0.0
    meta = save_plan(a, work, plan, level, t0)
    for n in range(a.null):
        plan.append({"kind": "null",
                     "path": run_night(a, plain, work.night_dir("null", a.history + n), work)})
        owed += per_null
        while owed >= 1 and slowed:
            pct = slowed.pop(0)
            owed -= 1
            i = sum(1 for p in plan if p.get("pct") == pct)
            # "+20%" is 20% of the cell's median as the identical nights just before read it:
            # the program spins in wall time, and the cell's median moves with the machine's
            # load (sized once from the history's 3344 ns, a "+20%" was 18% of the 3676 ns the
            # identical nights read an hour later: docs/benchmarks.md, Dec 7).
            spun = int(recent_level(a, plan) * pct / 100)
            plan.append({"kind": "slow", "pct": pct, "spun_ns": spun,
                         "path": run_night(a, build_object(a, work, spun),
                                           work.night_dir(f"slow{pct}", i), work)})
        print(f"recorded {len(plan)} nights, {(time.time() - t0) / 60:.1f} min", flush=True)
        # Written after every night, so a recording cut short can still be judged (--judge-only).
        meta = save_plan(a, work, plan, level, t0)
    return meta


def recent_level(a, plan):
    """The slowed cell's median p50 over the last --history identical nights of the plan."""
    nulls = [p["path"] for p in plan if p["kind"] == "null"][-a.history:]
    return statistics.median(cell_reading(a, p)[0] for p in nulls)


def detect_counts(a):
    """Slowed nights per slowdown: --detect N for each of --slowdowns, or PCT:N,PCT:N."""
    if ":" in a.detect:
        return {int(p): int(n) for p, n in (x.split(":") for x in a.detect.split(","))}
    return {int(p): int(a.detect) for p in a.slowdowns.split(",")}


def save_plan(a, work, plan, level, t0):
    meta = {"level_ns": level, "rounds": a.rounds, "hook": a.hook, "device": a.device,
            "history": a.history, "minutes": (time.time() - t0) / 60,
            "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nights": plan}
    with open(work.plan_path + ".new", "w") as f:
        json.dump(meta, f, indent=2)
    os.replace(work.plan_path + ".new", work.plan_path)
    return meta


def measured_again(path):
    """The cells of a night that `run --history` measured again: (all of them, those reproduced)."""
    with open(path) as f:
        cells = [c for c in json.load(f)["cells"] if c.get("remeasured")]
    return len(cells), sum(1 for c in cells if c["reason"].endswith(": reproduced"))


def regressions(a, argv):
    r = sh([os.path.join(a.build, "hookmatrix"), "diff", "-j"] + argv)
    if r.returncode not in (0, 1):
        sys.exit("diff " + " ".join(argv) + ": " + r.stderr)
    d = json.loads(r.stdout)
    # Cell comparisons are the cells whose latency was compared (an unsupported cell has none).
    compared = [c for c in d["cells"] if c.get("latency")]
    return ([(c["hook"], c["device"]) for c in d["cells"] if c["change"] == "regression"],
            len(compared))


def judge(a, work, meta):
    false_nights = {m: 0 for m in METHODS}
    false_cells = {m: 0 for m in METHODS}
    compared = {m: 0 for m in METHODS}
    detected = {}
    shifts = {}
    plain = []  # the slowed cell's p50 on the identical nights judged
    ratios = {"identical": []}  # ... and over its night's median cell (cell_reading), per kind
    nulls = 0
    other_nights = {m: 0 for m in METHODS}
    again = [0, 0]  # cells of identical nights measured again, and of those reproduced
    last = None
    seen = 0
    for night in meta["nights"]:
        if night["kind"] == "null":
            seen += 1
            if seen > meta["history"]:
                nulls += 1
                v, ratio = cell_reading(a, night["path"])
                if v:
                    plain.append(v)
                    ratios["identical"].append(ratio)
                again = [x + y for x, y in zip(again, measured_again(night["path"]))]
                line = []
                for m, args in METHODS.items():
                    flagged, cells = regressions(a, args(a, work, last, night["path"]))
                    false_nights[m] += bool(flagged)
                    false_cells[m] += len(flagged)
                    compared[m] += cells
                    line.append(f"{m} {flagged}")
                print(f"identical {os.path.relpath(night['path'], work.path)}: " + "; ".join(line),
                      flush=True)
            last = night["path"]
            continue
        pct = night["pct"]
        hits = detected.setdefault(pct, {m: 0 for m in METHODS})
        hits.setdefault("nights", 0)
        hits["nights"] += 1
        line = []
        for m, args in METHODS.items():
            flagged, _ = regressions(a, args(a, work, last, night["path"]))
            seen_it = (meta["hook"], meta["device"]) in flagged
            hits[m] += seen_it
            # The slowed program runs at its hook on every device; the other hooks' cells are
            # as identical as an identical night's.
            others = [c for c in flagged if c[0] != meta["hook"]]
            other_nights[m] += bool(others)
            if others:
                line.append(f"{m} also flagged {others}")
            line.append(f"{m} {'detected' if seen_it else 'missed'}")
        v, ratio = cell_reading(a, night["path"])
        if v:
            shifts.setdefault(pct, []).append(v)
            ratios.setdefault(pct, []).append(ratio)
        print(f"+{pct}% {os.path.relpath(night['path'], work.path)}: " + "; ".join(line),
              flush=True)
    return {"false_nights": false_nights, "false_cells": false_cells, "compared": compared,
            "null_nights": nulls, "detected": detected, "other_nights": other_nights,
            "measured_again": again,
            "p50": {"identical": plain, **shifts},
            # What a slowdown measured, read as `diff` reads it: against its own night's cells,
            # so the machine's level of the hour (which moved a recording's nights by a quarter
            # beside a compile job) is out of it; the p50s above mix hours.
            "ratio": ratios,
            "measured_shift": {p: statistics.median(r) / statistics.median(ratios["identical"])
                               - 1 for p, r in ratios.items()
                               if p != "identical" and ratios["identical"]}}


def table(meta, s):
    print(f"\nrecorded {meta['recorded']}: {len(meta['nights'])} nights of the default matrix "
          f"(--rounds {meta['rounds']}) in {meta['minutes']:.0f} min; {meta['hook']} on "
          f"{meta['device']} slowed, its median {meta['level_ns'] / 1000:.2f} us")
    head = "| method | false-alarm nights | false-alarm cell comparisons |"
    rule = "| --- | --- | --- |"
    for pct in s["detected"]:
        measured = s["measured_shift"].get(pct)
        head += (f" +{pct}% detected (measured {measured * 100:+.0f}%) |" if measured is not None
                 else f" +{pct}% detected |")
        rule += " --- |"
    print(head + "\n" + rule)
    for m in METHODS:
        row = (f"| {m} | {s['false_nights'][m]} of {s['null_nights']} | "
               f"{s['false_cells'][m]} of {s['compared'][m]} |")
        for hits in s["detected"].values():
            row += f" {hits[m]} of {hits['nights']} |"
        print(row)
    print(f"(measured: {meta['hook']} on {meta['device']} over the median cell of its night, "
          "the slowed nights' median against the identical nights')")
    if s["p50"]["identical"]:
        base = statistics.median(s["p50"]["identical"])
        slowed = {pct: statistics.median(v) for pct, v in s["p50"].items() if pct != "identical"}
        # The yardstick checked by hand: what each slowdown added, against what its program spun
        # (the median of its nights'; a recording before spun_ns was kept spun its level's share).
        spun = {pct: statistics.median(n.get("spun_ns", int(meta["level_ns"] * pct / 100))
                                       for n in meta["nights"] if n.get("pct") == pct)
                for pct in slowed}
        print(f"{meta['hook']} on {meta['device']}, median p50 of its nights (hours of another "
              "load mixed): identical "
              f"{base:.0f} ns; " + "; ".join(
                  f"+{pct}% {v:.0f} ns (+{v - base:.0f} ns of {spun[pct]:.0f} spun)"
                  for pct, v in slowed.items()))
    slowed = sum(h["nights"] for h in s["detected"].values())
    print(f"slowed nights with a cell of another hook than {meta['hook']} flagged too: " +
          ", ".join(f"{m} {s['other_nights'][m]} of {slowed}" for m in METHODS))
    print(f"identical nights: {s['measured_again'][0]} cells measured again by run --history, "
          f"{s['measured_again'][1]} of them reproduced")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default="build", help="the build directory holding hookmatrix")
    p.add_argument("--rounds", type=int, default=40,
                   help="run --rounds of every night (as the workflow's shards)")
    p.add_argument("--history", type=int, default=7, help="identical nights before judging")
    p.add_argument("--nights", type=int, default=7, help="the history's window")
    p.add_argument("--null", type=int, default=50, help="identical nights judged")
    p.add_argument("--detect", default="20",
                   help="slowed nights per slowdown, or per slowdown as PCT:N,PCT:N "
                        "(say 10:8,20:20,50:6 to spend the nights on the goal's +20%%; the "
                        "PCT:N form names the slowdowns itself, so --slowdowns is not used)")
    p.add_argument("--slowdowns", default="10,20,50",
                   help="per cent of the cell's median, each with --detect N nights")
    p.add_argument("--hook", default="tc-egress", help="the cell slowed on purpose: its hook")
    p.add_argument("--device", default="veth", help="... and its device (the matrix's)")
    p.add_argument("--work", help="where the nights go (default: a new temporary folder)")
    p.add_argument("--history-args", default="",
                   help="more options of `run --history` and `diff --history` for the history "
                        "method (say, '--spread 2')")
    p.add_argument("--judge-only", metavar="WORK", help="judge the nights recorded in WORK again")
    a = p.parse_args()
    if a.judge_only:
        work = Work(a.judge_only)
        with open(work.plan_path) as f:
            meta = json.load(f)
    else:
        work = Work(a.work or tempfile.mkdtemp(prefix="hookmatrix-oc-"))
        meta = record(a, work)
    a.hook, a.device = meta["hook"], meta["device"]
    s = judge(a, work, meta)
    table(meta, s)
    with open(os.path.join(work.path, "summary.json"), "w") as f:
        json.dump(s, f, indent=2)
    print(f"(nights, plan.json and summary.json in {work.path})")


if __name__ == "__main__":
    main()
