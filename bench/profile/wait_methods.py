"""How well can a sampler tell a thread waiting for the GIL from one waiting on I/O, and at what cost per read?

  python3 bench/profile/wait_methods.py [SECONDS]

Threads whose state is known by construction (two compute; the others block in sleep, socket recv, pipe read,
a child's wait, select, or another thread's Event) are sampled every 2 ms, as pyport's sampler does. Each
sample, every method classifies the time each thread spent neither on CPU nor in the run queue since the last
sample: "GIL" or "I/O". The truth comes from a separate process (it cannot touch the GIL) that reads every
thread's /proc/PID/task/TID/syscall every ~0.2 ms: the share of each thread's blocked time it saw in a futex wait
on the GIL's words. (A thread woken from sleep really does wait for the GIL while two others compute; the Event
counts as I/O: pyport's "I/O wait" is any block but the GIL.) Methods:

  syscall       /proc/self/task/TID/syscall read with ctypes.PyDLL (keeps the GIL): runnable or a futex on
                the GIL's words -> to run, anything else -> I/O; the state at the sample holds for the interval
  syscall+half  the same, but an interval in which the state changed is split half and half between the state
                at the previous sample and the state now                              (pyport's choice)
  syscall-os    the same read with os.pread, which releases the GIL
  wchan         /proc/self/task/TID/wchan: "0" (runnable) or a futex wait -> to run, else I/O
  stat          /proc/self/task/TID/stat state: R -> to run, S/D -> I/O
  others-busy   the old rule: waiting counts as GIL while other threads used CPU
  timing        pyport's fallback without /proc: a CPU clock still for long -> I/O
"""
import os
import select
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from pyport.profile.waits import GIL, IO, ProcStates, Reader, TimingSplit, open_task_file  # noqa: E402,F401

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "--poll" else 3.0
stop = threading.Event()


def spin():
    while not stop.is_set():
        for _ in range(2000):
            pass


def sleeper():
    while not stop.is_set():
        time.sleep(0.05)


a, b = socket.socketpair()
r, w = os.pipe()


def feeder():
    while not stop.is_set():
        time.sleep(0.03)
        b.send(b"x")
        os.write(w, b"x")


def recv():
    while not stop.is_set():
        a.recv(1)


def pipe_read():
    while not stop.is_set():
        os.read(r, 1)


def child():
    while not stop.is_set():
        subprocess.run(["sleep", "0.1"])


def selector():
    s1, _ = socket.socketpair()
    while not stop.is_set():
        select.select([s1], [], [], 0.05)


def event():
    e = threading.Event()
    while not stop.is_set():
        e.wait(0.05)


KINDS = {"compute-1": spin, "compute-2": spin, "sleep": sleeper, "feeder(sleep)": feeder, "socket recv": recv,
         "pipe read": pipe_read, "child wait": child, "select": selector, "Event.wait": event}
TRUTH = {k: (GIL if k.startswith("compute") else IO) for k in KINDS}


def start_threads():
    native = {}
    idents = {}

    def run(kind, fn):
        native[kind] = threading.get_native_id()
        idents[kind] = threading.get_ident()
        fn()

    threads = [threading.Thread(target=run, args=(k, f), daemon=True) for k, f in KINDS.items()]
    for t in threads:
        t.start()
    while len(native) < len(KINDS):
        time.sleep(0.001)
    return native, idents


def pct(x):
    return "%5.1f %%" % (100 * x)


def poll(argv):
    """The truth, from outside the process: python3 wait_methods.py --poll PID NR LO HI TID=KIND..."""
    import json

    pid, nr, lo, hi = int(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    tasks = [a.split("=", 1) for a in argv[4:]]
    fds = {kind: os.open("/proc/%d/task/%s/syscall" % (pid, tid), os.O_RDONLY) for tid, kind in tasks}
    acc = {kind: [0.0, 0.0] for _, kind in tasks}  # blocked seconds: [GIL, I/O]
    ready = threading.Event()
    done = threading.Event()

    def watch():
        ready.set()
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.0002)
            now = time.perf_counter()
            dt, last = now - last, now
            for kind, fd in fds.items():
                try:
                    parts = os.pread(fd, 256, 0).split(None, 2)
                except OSError:
                    continue
                if parts[0] == b"running":
                    continue
                gil = int(parts[0]) == nr and lo <= int(parts[1], 16) <= hi
                acc[kind][0 if gil else 1] += dt

    t = threading.Thread(target=watch)
    t.start()
    ready.wait()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()
    done.set()
    t.join()
    sys.stdout.write(json.dumps(acc) + "\n")


def measure(methods, native, idents, states, seconds):
    """Runs the methods for `seconds` while the outside poller records the truth; returns both."""
    import json

    files = {"syscall": "syscall", "syscall+half": "syscall", "syscall-os": "syscall", "wchan": "wchan", "stat": "stat"}
    fds = {m: {k: open_task_file(native[k], files[m]) for k in KINDS} for m in methods if m in files}
    sched = {k: open_task_file(native[k], "schedstat") for k in KINDS}
    clocks = {k: time.pthread_getcpuclockid(idents[k]) for k in KINDS}
    acc = {m: {k: [0.0, 0.0] for k in KINDS} for m in methods}  # [GIL, I/O]
    cost = {m: [] for m in methods}
    timing = TimingSplit()
    rd = Reader()
    previous = {}
    poller = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--poll", str(os.getpid()), str(states.futex_nr), str(states.lo), str(states.hi)]
        + ["%d=%s" % (native[k], k) for k in KINDS],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    poller.stdout.readline()

    def read(method, fd):
        t0 = time.perf_counter()
        raw = os.pread(fd, 256, 0) if method == "syscall-os" else rd.read(fd)
        cost[method].append(time.perf_counter() - t0)
        return raw or b""

    last_cpu = {k: time.clock_gettime(clocks[k]) for k in KINDS}
    last_q = {k: int(rd.read(sched[k]).split()[1]) / 1e9 for k in KINDS}
    last = time.perf_counter()
    end = last + seconds
    samples = 0
    while time.perf_counter() < end:
        time.sleep(0.002)
        now = time.perf_counter()
        dt, last = now - last, now
        used, rest = {}, {}
        for k in KINDS:
            c = time.clock_gettime(clocks[k])
            used[k] = min(dt, c - last_cpu[k])
            last_cpu[k] = c
            q = int(rd.read(sched[k]).split()[1]) / 1e9
            queued = min(dt - used[k], max(0.0, q - last_q[k]))
            last_q[k] = q
            rest[k] = max(0.0, dt - used[k] - queued)
        busy = sum(used.values())
        computing = sum(1 for k in KINDS if used[k] >= 0.1 * dt)
        samples += 1
        for m in methods:
            for k in KINDS:
                x = rest[k]
                if m in ("syscall", "syscall-os"):
                    raw = read(m, fds[m][k])
                    gil = raw.startswith(b"running") or _is_gil_futex(raw, states)
                    acc[m][k][0 if gil else 1] += x
                elif m == "syscall+half":
                    raw = read(m, fds[m][k])
                    gil = raw.startswith(b"running") or _is_gil_futex(raw, states)
                    before = previous.get(k, gil)
                    previous[k] = gil
                    acc[m][k][0 if gil else 1] += x / 2 if before != gil else x
                    if before != gil:
                        acc[m][k][0 if before else 1] += x / 2
                elif m == "wchan":
                    raw = read(m, fds[m][k]).strip()
                    acc[m][k][0 if raw in (b"0", b"") or raw.startswith(b"futex") else 1] += x
                elif m == "stat":
                    raw = read(m, fds[m][k])
                    state = raw[raw.rfind(b")") + 2:][:1]
                    acc[m][k][0 if state == b"R" else 1] += x
                elif m == "others-busy":
                    g = min(x, max(0.0, busy - used[k]))
                    acc[m][k][0] += g
                    acc[m][k][1] += x - g
                elif m == "timing":
                    for kk, g, i in timing.add(k, k, x, used[k], dt, computing):
                        acc[m][kk][0] += g
                        acc[m][kk][1] += i
    if "timing" in methods:
        for kk, g, i in timing.flush():
            acc["timing"][kk][0] += g
            acc["timing"][kk][1] += i
    out, _ = poller.communicate("")
    truth = json.loads(out.strip().splitlines()[-1])
    for per in fds.values():
        for fd in per.values():
            os.close(fd)
    for fd in sched.values():
        os.close(fd)
    return acc, cost, samples, truth


def _is_gil_futex(raw, states):
    parts = raw.split(None, 2)
    try:
        return int(parts[0]) == states.futex_nr and states.lo <= int(parts[1], 16) <= states.hi
    except (ValueError, IndexError):
        return False


def report(acc, cost, samples, seconds, truth):
    print("%d samples in %.1f s; cells: GIL share of each thread's blocked time (off CPU, out of the run queue)" % (samples, seconds))
    print("%-12s %-9s" % ("method", "µs/read") + "".join("%14s" % k[:13] for k in KINDS) + "  mean error")
    tg = {k: (truth[k][0] / sum(truth[k]) if sum(truth[k]) > 0 else 0.0) for k in KINDS}
    print("%-12s %-9s" % ("truth", "") + "".join("%14s" % pct(tg[k]) for k in KINDS))
    for m, per in acc.items():
        c = cost[m]
        us = "%.1f" % (1e6 * sum(c) / len(c)) if c else "–"
        cells, errs = [], []
        for k in KINDS:
            g, i = per[k]
            share = g / (g + i) if g + i > 0 else 0.0
            errs.append(abs(share - tg[k]))
            cells.append("%14s" % pct(share))
        print("%-12s %-9s" % (m, us) + "".join(cells) + "  %5.1f pts" % (100 * sum(errs) / len(errs)))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--poll":
        return poll(sys.argv[2:])
    native, idents = start_threads()
    time.sleep(0.2)
    t0 = time.perf_counter()
    states = ProcStates.create([native["compute-1"], native["compute-2"]])
    learn_ms = (time.perf_counter() - t0) * 1e3
    if states is None:
        raise SystemExit("could not learn the GIL's futex words here (not Linux, or no ctypes)")
    print("python %s, %d cores, load %s; GIL: futex %d, words %#x-%#x, learned in %.1f ms" % (
        sys.version.split()[0], os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg()), states.futex_nr,
        states.lo + states.BEFORE, states.hi - states.AFTER, learn_ms))
    for methods in (["syscall", "syscall+half", "wchan", "stat", "others-busy", "timing"], ["syscall-os"]):
        acc, cost, samples, truth = measure(methods, native, idents, states, SECONDS)
        report(acc, cost, samples, SECONDS, truth)
    stop.set()


if __name__ == "__main__":
    main()
