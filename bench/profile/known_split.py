"""A program whose profile is known by construction, for `pyport bench --suite profile`.

heavy() ~60 % of the CPU, medium() ~30 %, tiny_caller() ~10 % spread over ~1 M calls of tiny(), and sleeper()
waiting (I/O) about as long as medium() computes. With PYPORT_SPLIT_TRUTH=FILE it writes the CPU time each part
really took (time.thread_time around each call: the ground truth the profiler's shares are checked against).

  known_split.py [SCALE]     SCALE multiplies every part (default 1.0)

Not test/fixtures/profile/split.py: that fixture has no SCALE and writes no truth, and gives one function two
thirds of the CPU so the tests' ranking never hangs on sampling noise; this one checks the profiler's shares
against a 60/30/10 split it measures itself.
"""
import json
import os
import sys
import time


def tiny(x):
    return x + 1


def tiny_caller(n):
    s = 0
    for _ in range(n):
        s = tiny(s)
    return s


def heavy(n):
    t = 0
    for i in range(n):
        t += (i % 1000) * 7 % 13
    return t


def medium(n):
    t = 0
    for i in range(n):
        t += (i % 1000) * 7 % 13
    return t


def sleeper(seconds):
    time.sleep(seconds)


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    parts = {}
    c0 = time.thread_time()
    for name, fn, arg in (
        ("heavy", heavy, int(6_000_000 * scale)),
        ("medium", medium, int(3_000_000 * scale)),
        ("sleeper", sleeper, 0.35 * scale),
        ("tiny_caller", tiny_caller, int(1_000_000 * scale)),
    ):
        t0 = time.thread_time()
        fn(arg)
        parts[name] = time.thread_time() - t0
    total = time.thread_time() - c0
    truth = os.environ.get("PYPORT_SPLIT_TRUTH")
    if truth:
        with open(truth, "w") as f:
            json.dump({"cpuS": total, "parts": parts}, f)


main()
