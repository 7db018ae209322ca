#!/usr/bin/env python3
"""How the cost of compiling grows with the script: generates a small and a ten times larger
script (gen_script.py), runs `callc check`, `callc build` and `callc run` on the bytecode built
(load: deserialise, verify, start a call) on each as a child process, and measures each run's
time and peak memory with wait4. Fails when the larger costs more than LIMIT times the smaller,
in CPU time or in peak RSS: linear work gives about 10x, and anything quadratic about 100x.

    scale_test.py CALLC [--small N] [--large N] [--limit X] [--report-only]

The two sizes are compared within one run, as a ratio, so that the machine's speed cancels out.
The time compared is CPU time (user + system), which other jobs on a busy machine do not
stretch as they stretch wall time; wall time is printed too. Each command runs a few times and
the best run counts, to keep a stray pause out of the ratio. --report-only prints the figures
without judging them (the sanitizer build: see tests/CMakeLists.txt).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(argv, log):
    """Runs argv with stdout and stderr to `log`; returns (exit status, wall s, cpu s, peak RSS MiB)."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
               (os.POSIX_SPAWN_DUP2, 1, 2)]
    start = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(argv, log, repeats, expect=None):
    """The best of `repeats` runs, each in time and in memory. Fails on a non-zero exit, and on any
    output but the calendar's range unless `expect` is given, which the output must then contain."""
    best = None
    for _ in range(repeats):
        code, wall, cpu, rss = run(argv, log)
        with open(log, encoding="utf-8", errors="replace") as f:
            output = f.read()
        said = "\n".join(line for line in output.splitlines() if ": calendar covers " not in line).strip()
        if code != 0 or (said if expect is None else expect not in output):
            sys.exit(f"FAIL: `{' '.join(argv)}` exited {code}; a generated script must compile clean and load:\n{output[:4000]}")
        best = (wall, cpu, rss) if best is None else tuple(min(a, b) for a, b in zip(best, (wall, cpu, rss)))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("callc")
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--large", type=int, default=20000)
    ap.add_argument("--limit", type=float, default=15.0)
    ap.add_argument("--report-only", action="store_true")
    args = ap.parse_args()
    callc = os.path.abspath(args.callc)

    work = tempfile.mkdtemp(prefix="callscript_scale_")
    try:
        figures = {}
        for states, repeats in ((args.small, 3), (args.large, 2)):
            d = os.path.join(work, str(states))
            gen = subprocess.run([sys.executable, os.path.join(HERE, "gen_script.py"), str(states), d],
                                 capture_output=True, text=True)
            if gen.returncode != 0:
                sys.exit(f"FAIL: the generator failed:\n{gen.stderr}")
            print(f"generated {gen.stdout.strip()}")
            script, log = os.path.join(d, "main.call"), os.path.join(d, "log.txt")
            out = os.path.join(d, "main.callbc")
            # A day inside the generated calendar (2025), so that the script compiles without W0003.
            today = ["--today", "2025-06-02"]
            figures[(states, "check")] = measure([callc, "check", "--color", "never", *today, script], log, repeats)
            figures[(states, "build")] = measure([callc, "build", "--color", "never", *today, script, "-o", out], log, repeats)
            # Loading the bytecode (deserialising, the verifier) and starting a call, with no events.
            events = os.path.join(d, "none.events")
            open(events, "w").close()
            figures[(states, "load")] = measure([callc, "run", "--events", events, out], log, repeats, expect="state ringing")

        print(f"{'states':>7} {'command':8} {'wall s':>8} {'cpu s':>8} {'peak RSS MiB':>13}")
        for (states, command), (wall, cpu, rss) in figures.items():
            print(f"{states:>7} {command:8} {wall:8.3f} {cpu:8.3f} {rss:13.1f}")
        failed = []
        for command in ("check", "build", "load"):
            small, large = figures[(args.small, command)], figures[(args.large, command)]
            # A floor of 10 ms keeps a run too short to time from making the ratio meaningless.
            cpu_ratio = max(large[1], 0.01) / max(small[1], 0.01)
            rss_ratio = large[2] / small[2]
            print(f"{command}: {args.large} states cost {cpu_ratio:.1f}x the CPU time and {rss_ratio:.1f}x the peak memory "
                  f"of {args.small} (limit {args.limit:g}x)")
            if cpu_ratio > args.limit:
                failed.append(f"{command} CPU time {cpu_ratio:.1f}x")
            if rss_ratio > args.limit:
                failed.append(f"{command} peak memory {rss_ratio:.1f}x")
        if failed and not args.report_only:
            sys.exit("FAIL: cost grows faster than the script: " + ", ".join(failed))
        print("ok" if not failed else "ratios over the limit, not judged (--report-only)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
