"""Workloads of `pyport bench --suite bridge`: tiny calls, payloads, the article's sum_primes, and waits (a
coroutine and a blocking sleep) for the concurrency rows."""
import asyncio
import time


def add(a, b):
    return a + b


def size(x):
    return len(x)


def blob(n):
    return "x" * n


def sum_primes(start, end):
    """The article's cpu_perf.py sum_primes (trial division), returning the total instead of discarding it."""
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


def echo(x):
    return x


async def nap(seconds, i):
    """An agent's I/O wait as a coroutine: the bridge awaits it on the interpreter's event loop, so any number
    overlap on one interpreter. Returns i, so the suite can check every call was answered."""
    await asyncio.sleep(seconds)
    return i


def doze(seconds, i):
    """The same wait as blocking code: it overlaps with others only on the threads `concurrency: N` gives."""
    time.sleep(seconds)
    return i
