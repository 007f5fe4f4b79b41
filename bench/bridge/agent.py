"""Workloads of `pyport bench --suite bridge`: tiny calls, payloads, the article's sum_primes, waits (a
coroutine and a blocking sleep) for the concurrency rows, and an object and a generator for the handle rows."""
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


class Adder:
    """add() as a method: the handle row calls it on one instance, against the module function above."""

    def add(self, a, b):
        return a + b


class Token:
    """A small object with state, made by the hundred thousand for the handle memory row."""

    __slots__ = ("i", "calls")

    def __init__(self, i):
        self.i = i
        self.calls = 0

    def bump(self):
        self.calls += 1
        return self.i + self.calls


def count(n):
    """A generator of 0 .. n-1: the stream row sums what arrives."""
    yield from range(n)


def live_objects():
    """How many objects the interpreter holds for handles (pyport's registry): 0 once every handle is released."""
    from pyport.bridge.objects import registry

    return len(registry)
