"""Calibration for pyport's port advisor. Standard library only.

Prints one JSON line with the time of the calibration kernel (trial-division sum of primes, the article's
algorithm), then answers JSON-line calls on stdin one by one until stdin closes, so the host can time round
trips through a pipe.
"""
import json
import sys
import time


def sum_primes(start, end):
    total = 0
    for num in range(start, end):
        is_prime = True
        for i in range(2, int(num**0.5) + 1):
            if num % i == 0:
                is_prime = False
                break
        if is_prime:
            total += num
    return total


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
