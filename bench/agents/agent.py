"""The reference agent of `pyport bench --suite agents` (standard library only); its TypeScript twin is agent.ts.

An agent runs `steps` steps. Each step is a tool call (a search that returns 80 short documents), a simulated
network wait (between 0.5 and 1.5 times `io_s` seconds, drawn per agent and step: agents fall out of step as real
ones do, instead of all thinking at the same instant), then "thinking": BM25 ranking of the documents against `rounds` queries drawn
from the step. `rounds` is calibrated at the start of a run so that one think costs about --think-ms of Python CPU.

Everything is derived from (agent, step) by one integer generator that agent.ts repeats exactly, so every variant
computes the same answers, and the suite checks that they do.
"""
import math
import time

try:
    from pyport import port
except ImportError:  # plain python3, without pyport on the path
    def port(fn=None, name=None):
        return fn if callable(fn) else (lambda f: f)

CORPUS_SIZE = 400
DOCS_PER_SEARCH = 80
WORDS_PER_DOC = 12
VOCABULARY = 240
QUERY_TERMS = 4
TOP = 3
K1 = 1.2
B = 0.75
MASK = 0xFFFFFFFF


def lcg(seed):
    """The next value of a 32-bit linear congruential generator (Numerical Recipes' constants)."""
    return (seed * 1664525 + 1013904223) & MASK


def word(i):
    return "w%d" % i


def build_corpus():
    seed = 12345
    corpus = []
    for _ in range(CORPUS_SIZE):
        words = []
        for _ in range(WORDS_PER_DOC):
            seed = lcg(seed)
            # skewed towards low word numbers, as real text is: some terms are common, most are rare
            words.append(word((seed >> 8) % VOCABULARY * ((seed >> 4) % 4 + 1) // 4))
        corpus.append(" ".join(words))
    return corpus


CORPUS = build_corpus()


def tool_call(agent, step):
    """The search tool: the ids and texts of DOCS_PER_SEARCH documents, and the query terms the step asks about."""
    seed = lcg((agent * 7919 + step * 104729 + 1) & MASK)
    ids = []
    for _ in range(DOCS_PER_SEARCH):
        seed = lcg(seed)
        ids.append((seed >> 8) % CORPUS_SIZE)
    return ids, [CORPUS[i] for i in ids], seed


def wait_seconds(agent, step, io_s):
    """How long this step's network call takes: io_s times a factor in [0.5, 1.5)."""
    u = (lcg((agent * 31337 + step * 7 + 99) & MASK) >> 8) / 16777216.0
    return io_s * (0.5 + u)


def queries(seed, rounds):
    out = []
    for _ in range(rounds):
        terms = []
        for _ in range(QUERY_TERMS):
            seed = lcg(seed)
            terms.append(word((seed >> 8) % (VOCABULARY // 2)))
        out.append(terms)
    return out


@port("think")
def think(ids, docs, seed, rounds):
    """BM25-rank the documents against `rounds` queries; [[top ids], best score] of the last query, plus a checksum
    of every query's top ids. The CPU-heavy step: the one ported to TypeScript in pyport.hybrid."""
    tokenised = [d.split() for d in docs]
    n = len(tokenised)
    avg = sum(len(t) for t in tokenised) / n
    tf = []
    df = {}
    for terms in tokenised:
        counts = {}
        for t in terms:
            counts[t] = counts.get(t, 0) + 1
        tf.append(counts)
        for t in counts:
            df[t] = df.get(t, 0) + 1
    checksum = 0
    top = []
    best = 0.0
    for q in queries(seed, rounds):
        scores = []
        for i in range(n):
            counts = tf[i]
            norm = K1 * (1 - B + B * len(tokenised[i]) / avg)
            s = 0.0
            for t in q:
                f = counts.get(t, 0)
                if f:
                    d = df[t]
                    s += math.log(1 + (n - d + 0.5) / (d + 0.5)) * f * (K1 + 1) / (f + norm)
            scores.append((-s, i))
        scores.sort()
        top = [ids[i] for _, i in scores[:TOP]]
        best = -scores[0][0]
        checksum = (checksum * 31 + sum(top)) & MASK
    return [top, best, checksum]


def agent_step(agent, step, io_s, rounds):
    ids, docs, seed = tool_call(agent, step)
    time.sleep(wait_seconds(agent, step, io_s))  # the network wait of the tool call
    return think(ids, docs, seed, rounds)


def run_agent(agent, steps, io_s, rounds):
    """One agent, start to finish, on the calling thread: [its answers per step, its latency in seconds]."""
    t0 = time.perf_counter()
    answers = [agent_step(agent, step, io_s, rounds) for step in range(steps)]
    return [answers, time.perf_counter() - t0]


def calibrate(think_ms, samples=30):
    """The number of query rounds for which one think costs about think_ms of this process's CPU (median)."""
    inputs = [tool_call(a, 0) for a in range(samples)]
    rounds = 8
    for _ in range(3):
        times = []
        for ids, docs, seed in inputs:
            t0 = time.thread_time()
            think(ids, docs, seed, rounds)
            times.append(time.thread_time() - t0)
        times.sort()
        per = max(times[len(times) // 2], 1e-6)
        rounds = max(1, round(rounds * think_ms / 1000 / per))
    return rounds


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps({"rounds": calibrate(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)}))
