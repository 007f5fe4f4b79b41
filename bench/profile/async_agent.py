"""An asyncio agent whose profile is known by construction, for `pyport bench --suite profile`.

One event loop runs, at once: an LLM call and two searches (each awaits an API: asyncio.sleep), a tool run as a
child process (awaits its exit), a summary computed in chunks (CPU; it yields to the loop between chunks) and a
ranking that calls a plain function per document (CPU). Then the agent awaits its next message with nothing else
to do. With PYPORT_SPLIT_TRUTH=FILE it writes each part's CPU (time.thread_time, counted only while that part's own
code runs: between its awaits), wall time (time.perf_counter from its start to its end) and, where it is known (a
sleep), the time it awaited I/O; and the program's:

  {"cpuS": ..., "wallS": ..., "parts": {"summarise": {"cpuS": ..., "wallS": ...}, "search": {..., "ioS": 0.7}, ...}}

  async_agent.py [SCALE]     SCALE multiplies every part (default 1.0)
"""
import time

_CPU0 = time.thread_time()
_WALL0 = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

parts = {}


def note(name, cpu, wall, io=None):
    p = parts.setdefault(name, {"cpuS": 0.0, "wallS": 0.0})
    p["cpuS"] += cpu
    p["wallS"] += wall
    if io is not None:  # known time awaiting an I/O future (a sleep's length)
        p["ioS"] = p.get("ioS", 0.0) + io


async def call_llm(seconds):
    w0 = time.perf_counter()
    await asyncio.sleep(seconds)  # the model's answer
    note("call_llm", 0.0, time.perf_counter() - w0, seconds)


async def search(seconds):
    w0 = time.perf_counter()
    await asyncio.sleep(seconds)  # a search API
    note("search", 0.0, time.perf_counter() - w0, seconds)


async def run_tool(seconds):
    w0 = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(%r)" % seconds)
    await proc.wait()
    note("run_tool", 0.0, time.perf_counter() - w0)


async def summarise(n, chunk=100_000):
    w0 = time.perf_counter()
    cpu = 0.0
    t = 0
    for start in range(0, n, chunk):
        c0 = time.thread_time()
        for i in range(start, min(n, start + chunk)):
            t += (i % 1000) * 7 % 13
        cpu += time.thread_time() - c0
        await asyncio.sleep(0)  # let the loop run the others
    note("summarise", cpu, time.perf_counter() - w0)
    return t


def score(doc):
    t = 0
    for i, ch in enumerate(doc):
        t += (ord(ch) * i) % 7
    return t


async def rank(docs, every=200):
    for k in range(0, len(docs), every):
        c0, w0 = time.thread_time(), time.perf_counter()
        for d in docs[k:k + every]:
            score(d)
        note("score", time.thread_time() - c0, time.perf_counter() - w0)
        await asyncio.sleep(0)


async def next_message(seconds):
    await asyncio.sleep(seconds)  # nothing to do until the user writes again: the loop is idle


async def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    docs = ["document %d about the GIL, threads and asyncio event loops" % i for i in range(int(12_000 * scale))]
    await asyncio.gather(
        call_llm(0.7 * scale),
        search(0.3 * scale),
        search(0.4 * scale),
        run_tool(0.35 * scale),
        summarise(int(3_000_000 * scale)),
        rank(docs),
    )
    await next_message(0.2 * scale)


asyncio.run(main())
truth = os.environ.get("PYPORT_SPLIT_TRUTH")
if truth:
    with open(truth, "w") as f:
        json.dump({"cpuS": time.thread_time() - _CPU0, "wallS": time.perf_counter() - _WALL0, "parts": parts}, f)
