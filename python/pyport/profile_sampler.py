"""A thread that samples every thread's Python stack every few milliseconds and charges, to each stack, the
wall time since the last sample split three ways: CPU (the thread's own CPU clock), waiting to run (for the GIL
while other threads ran Python, or for a CPU core taken by other processes: Linux's per-thread run-queue wait)
and waiting on I/O (the rest: sleep, sockets, locks, subprocesses)."""
import os
import sys
import threading
import time

from pyport.profile_paths import code_label, function_key, is_foreign_file

_clock_of_thread = getattr(time, "pthread_getcpuclockid", None)


def cpu_clock(ident):
    """The CPU-time clock of a thread, or None where the platform has none."""
    if _clock_of_thread is None:
        return None
    try:
        return _clock_of_thread(ident)
    except (OSError, OverflowError, ValueError):
        return None


class Sampler(threading.Thread):
    def __init__(self, interval_s):
        super().__init__(name="pyport-sampler", daemon=True)
        self.interval_s = interval_s
        self.clocks = {}  # thread ident -> CPU clock id, filled by each thread for itself when possible
        self.frames = []  # [file, line, name, foreign]
        self._frame_index = {}  # code object -> index in frames
        self.stacks = {}  # (thread ident, stack tuple root-first) -> [samples, cpu_s, gil_s, io_s]
        self.thread_names = {}
        self.samples = 0
        self._stop_event = threading.Event()
        self._last_cpu = {}
        self._unclocked = set()
        self.own_cpu_s = 0.0
        self._schedstat = {}  # thread ident -> fd of /proc/self/task/TID/schedstat (Linux)
        self._last_wait = {}

    def register_thread(self, ident):
        """Called by a thread about itself (safe: the thread is alive), so its CPU clock is known."""
        self.thread_names[ident] = threading.current_thread().name
        native = getattr(threading, "get_native_id", None)
        if native is not None:
            try:
                fd = os.open("/proc/self/task/%d/schedstat" % native(), os.O_RDONLY)
            except OSError:
                fd = None
            if fd is not None:
                self._schedstat[ident] = fd
                self._last_wait[ident] = self._runqueue_wait(ident) or 0.0
        clock = cpu_clock(ident)
        if clock is not None:
            self.clocks[ident] = clock
            self._last_cpu[ident] = time.clock_gettime(clock)

    def _adopt(self, ident):
        """A thread not started through threading (e.g. _thread.start_new_thread): look its clock up from here."""
        clock = cpu_clock(ident)
        if clock is None:
            self._unclocked.add(ident)
            return
        self.clocks[ident] = clock

    def _runqueue_wait(self, ident):
        """Seconds this thread has spent runnable but not running (waiting for a core), or None."""
        fd = self._schedstat.get(ident)
        if fd is None:
            return None
        try:
            return int(os.pread(fd, 100, 0).split()[1]) / 1e9
        except (OSError, ValueError, IndexError):
            return None

    def _forget_ended(self, alive):
        for ident in [i for i in self._schedstat if i not in alive]:
            os.close(self._schedstat.pop(ident))
            self._last_wait.pop(ident, None)

    def stop(self):
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=5)
        self._forget_ended(())

    def _index(self, code):
        i = self._frame_index.get(code)
        if i is None:
            file, line, name = code_label(code)
            i = len(self.frames)
            self.frames.append([file, line, name, is_foreign_file(file)])
            self._frame_index[code] = i
        return i

    def _stack(self, frame):
        out = []
        while frame is not None:
            out.append(self._index(frame.f_code))
            frame = frame.f_back
        out.reverse()
        return tuple(out)

    def _cpu_now(self, ident):
        clock = self.clocks.get(ident)
        if clock is None:
            return None
        try:
            return time.clock_gettime(clock)
        except OSError:  # the thread ended between the stack snapshot and now
            return None

    def run(self):
        me = threading.get_ident()
        t0 = time.thread_time()
        try:
            self._loop(me)
        finally:
            self.own_cpu_s = time.thread_time() - t0

    def _loop(self, me):
        last = time.perf_counter()
        while not self._stop_event.wait(self.interval_s):
            now = time.perf_counter()
            dt = now - last
            last = now
            frames = sys._current_frames()
            cpu = {}
            for ident in frames:
                if ident == me:
                    continue
                if ident not in self.clocks and ident not in self._unclocked:
                    self._adopt(ident)
                c = self._cpu_now(ident)
                if c is None:
                    cpu[ident] = 0.0
                    continue
                prev = self._last_cpu.get(ident)
                self._last_cpu[ident] = c
                cpu[ident] = min(dt, c - prev) if prev is not None else 0.0
            busy = sum(cpu.values())
            self.samples += 1
            for ident, frame in frames.items():
                if ident == me:
                    continue
                used = max(0.0, cpu[ident])
                waiting = max(0.0, dt - used)
                queued = 0.0
                w = self._runqueue_wait(ident)
                if w is not None:
                    queued = min(waiting, max(0.0, w - self._last_wait.get(ident, w)))
                    self._last_wait[ident] = w
                gil = queued + min(waiting - queued, max(0.0, busy - used))
                key = (ident, self._stack(frame))
                acc = self.stacks.get(key)
                if acc is None:
                    acc = self.stacks[key] = [0, 0.0, 0.0, 0.0]
                acc[0] += 1
                acc[1] += used
                acc[2] += gil
                acc[3] += waiting - gil
            if self.samples % 50 == 0:
                self._forget_ended(frames)
            del frames

    def export(self):
        for t in threading.enumerate():
            self.thread_names.setdefault(t.ident, t.name)
        return {
            "samples": self.samples,
            "intervalMs": self.interval_s * 1000,
            "frames": [{"file": f, "line": l, "name": n, "foreign": fo} for f, l, n, fo in self.frames],
            "stacks": [
                {"thread": ident, "stack": list(stack), "n": a[0], "cpuS": a[1], "gilS": a[2], "ioS": a[3]}
                for (ident, stack), a in self.stacks.items()
            ],
        }

