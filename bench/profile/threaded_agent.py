"""A threaded agent whose profile is known by construction, for `pyport bench --suite profile`.

While the main thread plans (CPU), three threads wait: on an API (sleep), on a socket (recv, the data arrives
after a delay) and on a child process (a tool run as a subprocess). Then two workers score at once and share the
GIL (each waits for it about half of its time). With PYPORT_SPLIT_TRUTH=FILE it writes, for each part, the CPU
time it took (time.thread_time in its own thread), its wall time (time.perf_counter) and, where it is known (a
sleep), the time it spent blocked in the kernel; and the program's total:

  {"cpuS": ..., "wallS": ..., "parts": {"plan": {"cpuS": ..., "wallS": ...}, "call_api": {..., "ioS": 0.6}, ...}}

  threaded_agent.py [SCALE]     SCALE multiplies every part (default 1.0)
"""
import time

_CPU0 = time.thread_time()
_WALL0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

parts = {}
other_threads_cpu = [0.0]
_lock = threading.Lock()


def record(name, fn, *args, io_s=None):
    c0, w0 = time.thread_time(), time.perf_counter()
    fn(*args)
    c1, w1 = time.thread_time(), time.perf_counter()
    with _lock:
        p = parts.setdefault(name, {"cpuS": 0.0, "wallS": 0.0})
        p["cpuS"] += c1 - c0
        p["wallS"] += w1 - w0
        if io_s is not None:  # known time blocked in the kernel (a sleep's length)
            p["ioS"] = p.get("ioS", 0.0) + io_s
        if threading.current_thread() is not threading.main_thread():
            other_threads_cpu[0] += time.thread_time()


def plan(n):
    t = 0
    for i in range(n):
        t += (i % 1000) * 7 % 13
    return t


def score(n):
    t = 0
    for i in range(n):
        t += (i % 997) * 3 % 11
    return t


def call_api(seconds):
    time.sleep(seconds)  # the API call


def fetch_page(sock):
    return sock.recv(65536)  # the page arrives when the server sends it


def serve_page(sock, delay):
    time.sleep(delay)
    sock.sendall(b"<html>" + b"x" * 4000 + b"</html>")


def run_tool(seconds):
    subprocess.run([sys.executable, "-c", "import time; time.sleep(%r)" % seconds], check=True)


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    client, server = socket.socketpair()
    waiting = [
        threading.Thread(target=record, args=("call_api", call_api, 0.6 * scale), kwargs={"io_s": 0.6 * scale}, name="api"),
        threading.Thread(target=record, args=("fetch_page", fetch_page, client), name="fetch"),
        threading.Thread(target=serve_page, args=(server, 0.45 * scale), name="server"),
        threading.Thread(target=record, args=("run_tool", run_tool, 0.35 * scale), name="tool"),
    ]
    for t in waiting:
        t.start()
    record("plan", plan, int(4_000_000 * scale))
    workers = [threading.Thread(target=record, args=("score", score, int(2_500_000 * scale)), name="worker-%d" % i) for i in range(2)]
    for t in workers:
        t.start()
    for t in workers + waiting:
        t.join()
    truth = os.environ.get("PYPORT_SPLIT_TRUTH")
    if truth:
        with open(truth, "w") as f:
            json.dump({"cpuS": time.thread_time() - _CPU0 + other_threads_cpu[0], "wallS": time.perf_counter() - _WALL0, "parts": parts}, f)


main()
