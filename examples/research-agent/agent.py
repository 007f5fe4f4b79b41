"""A small research agent, standard library only.

For each question it calls a (simulated) web-search tool, ranks the documents it gets back with BM25, and
writes a short answer citing the best ones. The tool call is I/O (it waits); ranking is CPU work (tokenising
and scoring every document), and it is the function a profiler points at: rank_documents.

rank_documents is decorated with @port: run by a pyport host (PythonBridge's `ports` option, or `pyport run`),
each call is served in the port's mode (python, ts or shadow). Under plain python3 the decorator does nothing.
"""

import math
import random
import re
import time

try:
    from pyport import port
except ImportError:  # without pyport: @port and @port("name") leave the function as it is
    port = lambda f=None, *a, **k: f if callable(f) else (lambda g: g)

TOPICS = {
    "rust": "rust borrow checker ownership lifetimes cargo crates memory safety zero cost abstractions traits",
    "python": "python interpreter gil threads asyncio generators decorators packaging wheels typing",
    "typescript": "typescript types compiler generics node runtime modules bundlers inference javascript",
    "agents": "agents tools planning memory retrieval prompts reasoning evaluation orchestration llm",
    "search": "search index ranking bm25 tokens inverted postings relevance queries recall precision",
    "workers": "workers threads pool parallel cores scheduling queue latency throughput isolation",
}
FILLER = (
    "the a of to and in is that for on with as by this it from at be are was or an which "
    "system design team build data model result process approach article study example report"
).split()
STOPWORDS = frozenset(
    "the a an of to and in is that for on with as by this it from at be are was or which what how why "
    "does do when who tell me about".split()
)
SUFFIXES = ("ations", "ation", "ings", "ing", "ness", "ers", "ies", "ed", "es", "er", "ly", "s")
TOKEN = re.compile(r"[a-z0-9]+")
K1 = 1.5
B = 0.75

_rng = random.Random(20261126)
_KB = []


def _knowledge_base(size=600, words=140):
    """A fixed, deterministic pool of documents the search tool draws from."""
    if _KB:
        return _KB
    topics = sorted(TOPICS)
    for i in range(size):
        topic = topics[i % len(topics)]
        vocab = TOPICS[topic].split()
        other = TOPICS[topics[(i * 7 + 3) % len(topics)]].split()
        text = []
        for _ in range(words):
            r = _rng.random()
            pool = vocab if r < 0.35 else other if r < 0.45 else FILLER
            word = _rng.choice(pool)
            if _rng.random() < 0.15:
                word += _rng.choice(("s", "ing", "ed", "ers"))
            text.append(word.capitalize() if _rng.random() < 0.1 else word)
        _KB.append({"id": f"doc-{i:04d}", "title": f"{topic.title()} notes #{i}", "text": " ".join(text)})
    return _KB


def sample_questions(n, seed=7):
    """Questions a user might ask, deterministic for a given seed."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    out = []
    for _ in range(n):
        vocab = TOPICS[rng.choice(topics)].split() + TOPICS[rng.choice(topics)].split()
        terms = rng.sample(vocab, rng.choice((3, 4, 5, 6, 8)))
        out.append("tell me about " + " ".join(terms))
    return out


def search(query, limit=80, latency_s=0.03):
    """The web-search tool: waits like a network call, returns candidate documents."""
    time.sleep(latency_s)
    kb = _knowledge_base()
    terms = set(tokenize(query))
    hit_ids = {d["id"] for d in kb if terms & _title_terms(d)}
    hits = [d for d in kb if d["id"] in hit_ids]
    rest = [d for d in kb if d["id"] not in hit_ids]
    rng = random.Random(query)
    docs = (hits + rng.sample(rest, len(rest)))[:limit]
    rng.shuffle(docs)
    return docs


_TITLE_TERMS = {}


def _title_terms(doc):
    terms = _TITLE_TERMS.get(doc["id"])
    if terms is None:
        terms = _TITLE_TERMS[doc["id"]] = set(tokenize(doc["title"]))
    return terms


def stem(word):
    for suffix in SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokenize(text):
    return [stem(t) for t in TOKEN.findall(text.lower()) if t not in STOPWORDS]


@port
def rank_documents(query, docs, k=5):
    """BM25 over the candidate documents; the top k with score and query-term coverage (percent)."""
    terms = list(dict.fromkeys(tokenize(query)))
    if not terms or not docs:
        return []
    tokenized = [tokenize(d["title"] + " " + d["text"]) for d in docs]
    avg_len = sum(len(t) for t in tokenized) / len(tokenized)
    df = {}
    for toks in tokenized:
        for term in set(toks):
            df[term] = df.get(term, 0) + 1
    n = len(docs)
    scored = []
    for doc, toks in zip(docs, tokenized):
        tf = {}
        for t in toks:
            tf[t] = tf.get(t, 0) + 1
        score = 0.0
        matched = 0
        for term in terms:
            f = tf.get(term, 0)
            if f == 0:
                continue
            matched += 1
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * len(toks) / avg_len))
        if matched:
            # round() rounds halves to even: 12.5 -> 12, 62.5 -> 62.
            scored.append({"id": doc["id"], "title": doc["title"], "score": score, "coverage": round(100 * matched / len(terms))})
    scored.sort(key=lambda s: (-s["score"], s["id"]))
    return scored[:k]


def compose_answer(question, ranked):
    """The answer the agent gives: cheap string work over the ranked sources."""
    if not ranked:
        return f"I found nothing about: {question}"
    cites = "; ".join(f"{r['title']} ({r['coverage']}% of your terms)" for r in ranked)
    return f"On '{question}', the best sources are: {cites}."


def answer(question, search_latency_s=0.03):
    """The whole agent: search (I/O), rank (CPU, the port), compose."""
    return compose_answer(question, rank_documents(question, search(question, latency_s=search_latency_s)))


if __name__ == "__main__":
    # python3 agent.py [N]: answers N questions (default 3), prints the first answer and the time taken.
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    start = time.perf_counter()
    answers = [answer(q) for q in sample_questions(n)]
    print(answers[0])
    print(f"{n} questions in {time.perf_counter() - start:.2f} s")
