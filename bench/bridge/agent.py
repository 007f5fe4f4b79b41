"""Workloads of `pyport bench --suite bridge`: tiny calls, payloads, and the article's sum_primes."""


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
