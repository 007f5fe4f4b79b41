"""The Python variants of `pyport bench --suite agents`, each a way to run N reference agents (agent.py) at once:

  threads     one thread per agent; thinking holds the GIL
  asyncio     one coroutine per agent, thinking inline on the event loop
  processes   one coroutine per agent; thinking in a process pool of one process per core, the waits overlapped

    python3 variants.py MODE AGENTS STEPS IO_SECONDS ROUNDS

prints {"event": "start"} when the agents start (pools are warm), then one line {"event": "done", "wallS",
"latencies", "answers"} when the last one ends, then waits for a line on stdin before it tears anything down, so
the suite can read the CPU and memory of every process between the two lines. pyport.hybrid runs run_threads()
through a PythonBridge whose host serves agent.think as a TypeScript port.
"""
import asyncio
import json
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

import agent


def run_threads(agents, steps, io_s, rounds):
    """Every agent on its own thread: [wall seconds, [latency per agent], [answers per agent]]."""
    out = [None] * agents
    ready = threading.Barrier(agents + 1)

    def one(i):
        ready.wait()
        out[i] = agent.run_agent(i, steps, io_s, rounds)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(agents)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    ready.wait()
    for t in threads:
        t.join()
    return [time.perf_counter() - t0, [o[1] for o in out], [o[0] for o in out]]


async def _async_agent(i, steps, io_s, rounds, executor):
    t0 = time.perf_counter()
    answers = []
    loop = asyncio.get_running_loop()
    for step in range(steps):
        ids, docs, seed = agent.tool_call(i, step)
        await asyncio.sleep(agent.wait_seconds(i, step, io_s))
        if executor is None:
            answers.append(agent.think(ids, docs, seed, rounds))
        else:
            answers.append(await loop.run_in_executor(executor, agent.think, ids, docs, seed, rounds))
    return [answers, time.perf_counter() - t0]


async def _run_async(agents, steps, io_s, rounds, executor):
    t0 = time.perf_counter()
    out = await asyncio.gather(*(_async_agent(i, steps, io_s, rounds, executor) for i in range(agents)))
    return [time.perf_counter() - t0, [o[1] for o in out], [o[0] for o in out]]


def run_asyncio(agents, steps, io_s, rounds):
    return asyncio.run(_run_async(agents, steps, io_s, rounds, None))


def _warm(_):
    return os.getpid()


def run_processes(agents, steps, io_s, rounds, workers):
    with ProcessPoolExecutor(workers) as executor:
        # every worker process started and imported before the clock starts
        list(executor.map(_warm, range(workers * 4)))
        announce("start")
        result = asyncio.run(_run_async(agents, steps, io_s, rounds, executor))
        finish(result)
    return result


def announce(event, **fields):
    sys.stdout.write(json.dumps(dict(event=event, **fields)) + "\n")
    sys.stdout.flush()


def finish(result):
    """Reports the run and waits for the suite to have read the processes' CPU and memory."""
    wall, latencies, answers = result
    announce("done", wallS=wall, latencies=latencies, answers=answers)
    sys.stdin.readline()


def main(argv):
    if len(argv) != 5 or argv[0] not in ("threads", "asyncio", "processes"):
        sys.stderr.write("usage: variants.py threads|asyncio|processes AGENTS STEPS IO_SECONDS ROUNDS\n")
        return 2
    mode = argv[0]
    agents, steps, io_s, rounds = int(argv[1]), int(argv[2]), float(argv[3]), int(argv[4])
    if mode == "processes":
        run_processes(agents, steps, io_s, rounds, os.cpu_count() or 1)
        return 0
    announce("start")
    finish((run_threads if mode == "threads" else run_asyncio)(agents, steps, io_s, rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
