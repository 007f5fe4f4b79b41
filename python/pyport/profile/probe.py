"""Calibration for pyport's port advisor. Standard library only.

Prints one JSON line with the time of the calibration kernel (trial-division sum of primes, the article's
algorithm), then answers JSON-line calls on stdin one by one until stdin closes, so the host can time round
trips through a pipe.
"""
import json
import os
import sys
import time

# Run as a script: import pyport's modules from python/ (this file is python/pyport/profile/probe.py).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyport.profile.kernel import CPU_PERF, article_sum_primes, load  # noqa: E402

# The article's own function, taken from its script (with `return total` appended), so the calibration times
# exactly the algorithm pyport's TypeScript kernel mirrors.
sum_primes = article_sum_primes(load(CPU_PERF))


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    best = float("inf")
    total = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        total = sum_primes(2, limit)
        best = min(best, time.perf_counter() - t0)
    out = sys.stdout
    out.write(json.dumps({"kernel": {"limit": limit, "sum": total, "bestS": best}}) + "\n")
    out.flush()
    for line in sys.stdin:
        call = json.loads(line)
        out.write(json.dumps({"id": call["id"], "ok": True, "value": call["args"][0]}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
