"""Python's side of bench/hybrid/port-calls.ts: functions decorated with @port, called from Python threads.

The host serves each port name in its own mode (PYPORT_PORTS): primes_ts in ts mode, primes_py in python mode (the
function itself), primes_shadow and tiny_shadow in shadow mode with sample 1, tiny in ts mode. primes_plain is never decorated: it is
the baseline of the shadow overhead. Every timing here is taken in Python (perf_counter), around the calls only.
"""
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter

try:
    from pyport import port
except ImportError:  # plain python3, without pyport
    port = lambda f=None, *a, **k: f if callable(f) else (lambda g: g)


def _sum_primes(lo, hi):
    """Sum of the primes in [lo, hi), by trial division: the same loop as port-kernels.ts's sumPrimes."""
    total = 0
    for n in range(max(lo, 2), hi):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            total += n
    return total


@port("primes_ts")
def primes_ts(lo, hi):
    return _sum_primes(lo, hi)


@port("primes_py")
def primes_py(lo, hi):
    return _sum_primes(lo, hi)


@port("primes_shadow")
def primes_shadow(lo, hi):
    return _sum_primes(lo, hi)


def primes_plain(lo, hi):
    return _sum_primes(lo, hi)


@port("tiny")
def tiny(x):
    return x + 1


@port("tiny_shadow")
def tiny_shadow(x):
    return x + 1


def tiny_py(x):
    """The host -> Python tiny call (not a port)."""
    return x + 1


def sequential(name, calls):
    """Calls `name` once per argument list, one after another, on this thread: {seconds, results}."""
    fn = globals()[name]
    t0 = perf_counter()
    results = [fn(*a) for a in calls]
    return {"seconds": perf_counter() - t0, "results": results}


def threaded(name, calls_per_thread):
    """One Python thread per list of argument lists; each thread makes its calls in turn. The pool's threads are
    started before the clock starts. {seconds, results}: results[i] is thread i's list of results."""
    fn = globals()[name]
    with ThreadPoolExecutor(len(calls_per_thread)) as ex:
        list(ex.map(lambda _: None, range(len(calls_per_thread) * 4)))  # start the threads
        t0 = perf_counter()
        results = list(ex.map(lambda calls: [fn(*a) for a in calls], calls_per_thread))
        seconds = perf_counter() - t0
    return {"seconds": seconds, "results": results}


def alternating(a, b, calls, blocks):
    """Calls `a` and `b` on the same arguments in alternating blocks (a block of a, then one of b, `blocks` times), so
    both see the same machine load: {seconds: [a's total, b's total], results: [a's results, b's results]}."""
    fa, fb = globals()[a], globals()[b]
    seconds = [0.0, 0.0]
    results = [[], []]
    per = max(1, len(calls) // blocks)
    for start in range(0, len(calls), per):
        chunk = calls[start:start + per]
        for k, fn in ((0, fa), (1, fb)):
            t0 = perf_counter()
            out = [fn(*c) for c in chunk]
            seconds[k] += perf_counter() - t0
            results[k].extend(out)
    return {"seconds": seconds, "results": results}
