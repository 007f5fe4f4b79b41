"""What a thread that used no CPU was waiting for: to run (the GIL, or a CPU core) or on I/O (anything else the
kernel blocked it for: sleep, sockets, pipes, files, child processes, locks and queues of other threads).

Linux ("proc"): the kernel says, per thread and per sample. /proc/self/task/TID/syscall names the system call a
blocked thread is in ("running" when it is runnable); for a futex wait its first argument is the futex word. A
thread waiting for the GIL is in a futex wait on the GIL's condition variable or mutex: their addresses are
learned at start-up: the profiler's main thread computes while the sampler holds the GIL and reads what it waits on. So: runnable, or
a futex wait on the GIL -> waiting to run; any other blocking call -> I/O (a futex that is not the GIL's is another
thread's lock, join(), queue or Event: I/O wait too, marked as waiting on other threads). The sampler holds each
state for the interval since the last sample, split half and half when the state changed. The file is read with libc's pread
through ctypes.PyDLL, which keeps the GIL: os.pread releases it, and the sampler then waits up to a switch
interval to get it back (measured by bench/profile/wait_methods.py).

Elsewhere, or when /proc cannot be read ("timing"): a thread waiting for the GIL gets it within a few switch
intervals, so its CPU clock never stands still for long; a blocked thread's does. A still CPU clock for longer
than max(15 ms, 3 x switch interval x computing threads) is I/O, shorter stills are waits to run (decided when the
still period ends, so short I/O waits count as waits to run)."""
import os
import sys
import threading
import time

GIL = "gil"
IO = "io"
LOCK = "lock"  # I/O wait spent on another thread: a futex that is not the GIL's (a lock, join(), a queue, an Event)

try:
    import ctypes

    _libc = ctypes.PyDLL(None)  # PyDLL: the GIL is kept during the call
    _pread = _libc.pread
    _pread.restype = ctypes.c_ssize_t
    _pread.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_long]
except (ImportError, AttributeError, OSError, TypeError):
    ctypes = None
    _pread = None


class Reader:
    """Reads a small /proc file from the start, keeping the GIL when ctypes is there."""

    def __init__(self, size=256):
        self._buf = ctypes.create_string_buffer(size) if _pread is not None else None
        self.keeps_gil = self._buf is not None

    def read(self, fd):
        if self._buf is None:
            try:
                return os.pread(fd, 256, 0)
            except OSError:
                return None
        n = _pread(fd, self._buf, len(self._buf), 0)
        return self._buf.raw[:n] if n > 0 else None


def open_task_file(native_id, name):
    try:
        return os.open("/proc/self/task/%d/%s" % (native_id, name), os.O_RDONLY)
    except OSError:
        return None


def learn_gil_futex(native_ids, timeout_s=1.0, reader=None, enough=4):
    """(futex syscall number, lowest address, highest address) that threads waiting for the GIL wait on, or None.
    native_ids: threads that compute in pure Python meanwhile, so whenever one is blocked it waits for the GIL,
    which the calling thread holds while it reads (the profiler's main thread computes while its sampler learns)."""
    if sys.platform != "linux":
        return None
    reader = reader or Reader()
    if not reader.keeps_gil:
        return None  # os.pread would hand the GIL to the computing threads on every read: nothing to see
    seen = {}
    fds = [fd for fd in (open_task_file(i, "syscall") for i in native_ids) if fd is not None]
    try:
        deadline = time.perf_counter() + timeout_s
        while fds and sum(seen.values()) < enough and time.perf_counter() < deadline:
            for fd in fds:
                parts = (reader.read(fd) or b"running").split()
                if len(parts) >= 2 and parts[0] != b"running" and parts[0] != b"-1":
                    key = (int(parts[0]), int(parts[1], 16))
                    seen[key] = seen.get(key, 0) + 1
    except ValueError:
        seen = {}
    finally:
        for fd in fds:
            os.close(fd)
    if sum(seen.values()) < min(3, enough):
        return None
    # the system call they block in is the futex, and the words they wait on are the GIL's
    by_nr = {}
    for (nr, addr), n in seen.items():
        by_nr.setdefault(nr, []).append((n, addr))
    nr, words = max(by_nr.items(), key=lambda kv: sum(n for n, _ in kv[1]))
    addrs = [a for _, a in words]
    return nr, min(addrs), max(addrs)


class ProcStates:
    """Linux: each thread's state at the moment of the sample, from the kernel."""

    method = "proc"
    # the GIL's condition variables and mutexes lie side by side in one struct (~200 bytes on 3.9-3.13): a wait
    # on any word near the ones seen is a wait for the GIL
    BEFORE = 64
    AFTER = 192

    def __init__(self, futex_nr, lowest, highest, reader=None):
        self.futex_nr = futex_nr
        self.lo = lowest - self.BEFORE
        self.hi = highest + self.AFTER
        self.reader = reader or Reader()

    @classmethod
    def create(cls, computing_native_ids, timeout_s=1.0):
        """Learns the GIL's futex words from threads computing meanwhile; None where that cannot be done."""
        reader = Reader()
        learned = learn_gil_futex(computing_native_ids, timeout_s, reader)
        return None if learned is None else cls(*learned, reader=reader)

    def describe(self):
        return "proc: /proc/self/task/TID/syscall at each sample (GIL: futex %d near %#x)" % (self.futex_nr, self.lo + self.BEFORE)

    def open(self, native_id):
        return open_task_file(native_id, "syscall")

    def state(self, fd):
        """GIL (runnable, or waiting on the GIL's futex), LOCK (another futex), IO (any other blocking call) or None."""
        raw = self.reader.read(fd)
        if not raw:
            return None
        if raw.startswith(b"running"):
            return GIL
        parts = raw.split(None, 2)
        try:
            if int(parts[0]) == self.futex_nr:
                return GIL if self.lo <= int(parts[1], 16) <= self.hi else LOCK
        except (ValueError, IndexError):
            return None
        return IO


class TimingSplit:
    """The portable fallback: splits a thread's waits once its CPU clock moves again (see the module's doc)."""

    method = "timing"
    MIN_STILL_S = 0.015
    BUSY = 0.1  # an interval in which the thread used at least this share of it as CPU ends a still period

    def __init__(self):
        self._pending = {}  # ident -> [still seconds, [(key, wait)...]]
        self._switch = sys.getswitchinterval()

    def describe(self):
        return "timing: a thread's CPU clock still for longer than a GIL waiter waits is I/O (no /proc here)"

    def threshold(self, computing):
        return max(self.MIN_STILL_S, 3 * self._switch * max(1, computing))

    def add(self, ident, key, waiting, used, dt, computing):
        """Returns [(key, gil, io)] increments, possibly for earlier samples of this thread."""
        pending = self._pending.get(ident)
        if used >= self.BUSY * dt:
            out = self._settle(ident, computing)
            self._pending.pop(ident, None)  # it computes again: a new still period starts from zero
            out.append((key, waiting, 0.0))
            return out
        if pending is None:
            pending = self._pending[ident] = [0.0, []]
        pending[0] += dt
        pending[1].append((key, waiting))
        if pending[0] >= self.threshold(computing):
            return self._settle(ident, computing)  # already long enough: I/O, and so is the rest of this still
        return []

    def _settle(self, ident, computing):
        pending = self._pending.pop(ident, None)
        if pending is None:
            return []
        io = pending[0] >= self.threshold(computing)
        out = [(key, 0.0, w) if io else (key, w, 0.0) for key, w in pending[1]]
        if io:  # the still period goes on being I/O until the thread computes again
            self._pending[ident] = [pending[0], []]
        return out

    def flush(self, computing=1):
        out = []
        for ident in list(self._pending):
            out += self._settle(ident, computing)
        self._pending.clear()
        return out

    def forget(self, ident, computing=1):
        return self._settle(ident, computing)
