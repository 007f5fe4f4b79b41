"""A thread that samples every thread's Python stack every few milliseconds and charges, to each stack, the
wall time since the last sample split four ways: CPU (the thread's own CPU clock), waiting for a CPU core
(Linux's per-thread run-queue wait: other processes had the cores), waiting for the GIL, and waiting on I/O
(blocked in the kernel for anything else: sleep, sockets, files, child processes, other threads' locks). Which
of the last two comes from what the thread itself was doing at the sample (see waits.py)."""
import os
import sys
import threading
import time

from pyport.profile.frames import FrameTable
from pyport.profile.tasks import LoopTasks
from pyport.profile.waits import GIL, LOCK, ProcStates, Reader, TimingSplit, open_task_file

_clock_of_thread = getattr(time, "pthread_getcpuclockid", None)


def cpu_clock(ident):
    """The CPU-time clock of a thread, or None where the platform has none."""
    if _clock_of_thread is None:
        return None
    try:
        return _clock_of_thread(ident)
    except (OSError, OverflowError, ValueError):
        return None


def _buckets(state, seconds):
    """(GIL wait, I/O wait, of which on other threads) for `seconds` blocked in `state`."""
    if state == GIL:
        return seconds, 0.0, 0.0
    return 0.0, seconds, seconds if state == LOCK else 0.0


class Sampler(threading.Thread):
    def __init__(self, interval_s, wait_method="auto"):
        super().__init__(name="pyport-sampler", daemon=True)
        self.interval_s = interval_s
        self.wait_method = wait_method  # "auto" (proc where it works, else timing) or "timing"
        self.states = None  # ProcStates once learned
        self.timing = TimingSplit()
        self.ready = threading.Event()  # set once the sampler knows how to tell GIL waits from I/O
        self._reader = Reader()
        self._syscall = {}  # thread ident -> fd of /proc/self/task/TID/syscall (Linux)
        self._native = {}  # thread ident -> native id
        self._last_state = {}  # thread ident -> its wait state at the last sample
        self.clocks = {}  # thread ident -> CPU clock id, filled by each thread for itself when possible
        self.frames = FrameTable()
        # (thread ident, stack tuple root-first, asyncio task?) -> [samples, cpu_s, gil_s, io_s, core_s, lock_s]
        # (lock_s: the part of io_s spent waiting on other threads or tasks)
        self.stacks = {}
        self.tasks = LoopTasks()
        self.thread_names = {}
        self.samples = 0
        self._stop_event = threading.Event()
        self._last_cpu = {}
        self._unclocked = set()
        self.own_cpu_s = 0.0
        self._schedstat = {}  # thread ident -> fd of /proc/self/task/TID/schedstat (Linux)
        self._last_wait = {}
        self.lock = threading.Lock()  # self.stacks and self.frames are also written by the main thread's SIGPROF handler
        self.cpu_signal = None  # cpu_signal.MainThreadCpu while it samples the main thread's CPU
        self.main_ident = None
        self.cpu_by_signal = False  # whether it did, at any point
        self._task_credit = {}  # asyncio task -> CPU its code was credited by SIGPROF samples, not yet used up

    def register_thread(self, ident):
        """Called by a thread about itself (safe: the thread is alive), so its CPU clock is known."""
        self.thread_names[ident] = threading.current_thread().name
        native = getattr(threading, "get_native_id", None)
        if native is not None:
            self._native[ident] = native()
            fd = open_task_file(native(), "schedstat")
            if fd is not None:
                self._schedstat[ident] = fd
                self._last_wait[ident] = self._runqueue_wait(ident) or 0.0
            fd = open_task_file(native(), "syscall")
            if fd is not None:
                self._syscall[ident] = fd
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
            return int(self._reader.read(fd).split()[1]) / 1e9
        except (AttributeError, ValueError, IndexError):
            return None

    def _forget_ended(self, alive):
        for ident in [i for i in self._native if i not in alive]:
            for table in (self._schedstat, self._syscall):
                fd = table.pop(ident, None)
                if fd is not None:
                    os.close(fd)
            self._last_wait.pop(ident, None)
            self._native.pop(ident, None)
            self._last_state.pop(ident, None)
            for k, gil, io in self.timing.forget(ident):
                a = self.stacks[k]
                a[2] += gil
                a[3] += io

    def stop(self):
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=5)
        self._forget_ended(())

    def _cpu_now(self, ident):
        clock = self.clocks.get(ident)
        if clock is None:
            return None
        try:
            return time.clock_gettime(clock)
        except OSError:  # the thread ended between the stack snapshot and now
            return None

    def learn(self, computing):
        """Learns the GIL's futex words while the threads `computing` (idents) compute; falls back to timing."""
        if self.wait_method != "timing":
            natives = [self._native[i] for i in computing if i in self._native]
            self.states = ProcStates.create(natives) if natives else None

    def method(self):
        return (self.states or self.timing).method

    def describe_method(self):
        return (self.states or self.timing).describe()

    def run(self):
        me = threading.get_ident()
        t0 = time.thread_time()
        try:
            try:
                self.learn(list(self._native))
            finally:
                self.ready.set()
            self._loop(me)
        finally:
            self.own_cpu_s = time.thread_time() - t0

    def _loop(self, me):
        last = time.perf_counter()
        while not self._stop_event.wait(self.interval_s):
            now = time.perf_counter()
            dt = now - last
            last = now
            with self.lock:
                self._sample(me, dt)

    def _sample(self, me, dt):
        frames = sys._current_frames()
        if self.cpu_signal is not None and not self.cpu_signal.still_ours():
            self.cpu_signal = None  # the program took SIGPROF over: count the main thread's CPU here again
        signal_cpu = self.cpu_signal is not None and self.cpu_signal.active
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
        computing = sum(1 for i, c in cpu.items() if c >= 0.1 * dt)
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
            stack, loop_frame = self.frames.stack(frame)
            key = (ident, stack, False)
            acc = self.stacks.get(key)
            if acc is None:
                acc = self.stacks[key] = [0, 0.0, 0.0, 0.0, 0.0, 0.0]
            if loop_frame is not None:
                self._sample_tasks(ident, loop_frame, dt, used)
            acc[0] += 1
            if not (signal_cpu and ident == self.main_ident):
                acc[1] += used  # the main thread's CPU comes from its SIGPROF samples instead
            acc[4] += queued
            for k, gil, io, lock in self._split(ident, key, waiting - queued, used, dt, computing):
                a = self.stacks[k]
                a[2] += gil
                a[3] += io
                a[5] += lock
        if self.samples % 50 == 0:
            self._forget_ended(frames)
            self.tasks.forget(frames)
        del frames

    def charge_main_cpu(self, frame, used):
        """From the main thread's SIGPROF handler: its CPU since the last signal, spent in frame's stack."""
        with self.lock:
            stack, loop_frame = self.frames.stack(frame)
            if loop_frame is not None:
                task = self.tasks.current(self.tasks.loop_of(self.main_ident, loop_frame))
                if task is not None:
                    self._task_credit[task] = self._task_credit.get(task, 0.0) + used
            key = (self.main_ident, stack, False)
            acc = self.stacks.get(key)
            if acc is None:
                acc = self.stacks[key] = [0, 0.0, 0.0, 0.0, 0.0, 0.0]
            acc[0] += 1
            acc[1] += used
            self.cpu_by_signal = True

    def _sample_tasks(self, ident, run_forever_frame, dt, used):
        """Charges each task of the loop this thread runs with its waits in the interval, on its own coroutine stack.

        A task's running time in the interval is taken from the CPU its code was credited by the main thread's
        SIGPROF samples, kept as a running balance: signals come every few ms of CPU (kernel ticks) and samples every
        few ms of wall time, so a given interval may hold none of a task's signals, or more than it ran; each
        interval uses up at most the thread's CPU in it and the rest carries over, so the sums agree."""
        loop = self.tasks.loop_of(ident, run_forever_frame)
        balanced = ident == self.main_ident and self.cpu_by_signal
        left = used  # the thread's CPU in the interval, not yet given to a task

        def ran(task):
            nonlocal left
            if not balanced:
                return 0.0
            r = min(self._task_credit.get(task, 0.0), left)
            if r > 0:
                self._task_credit[task] -= r
                left -= r
            return r

        current = self.tasks.current(loop)
        if current is not None and balanced:
            # the task running now waited for the loop while other code used the thread's CPU in the interval: at
            # its await then, so on its coroutine chain (not on the plain function it may be running now)
            wait = used - ran(current)
            chain = self.tasks.frames_of(current)
            if wait > 0 and chain:
                key = (ident, self.frames.chain(chain), True)
                acc = self.stacks.get(key)
                if acc is None:
                    acc = self.stacks[key] = [0, 0.0, 0.0, 0.0, 0.0, 0.0]
                acc[2] += wait
        seen = {current} if current is not None else set()
        for task, chain, state in self.tasks.waiting(loop):
            seen.add(task)
            key = (ident, self.frames.chain(chain), True)
            acc = self.stacks.get(key)
            if acc is None:
                acc = self.stacks[key] = [0, 0.0, 0.0, 0.0, 0.0, 0.0]
            acc[0] += 1
            # it may have run for part of the interval (and yielded just before this sample): not waiting then
            wait = dt - ran(task)
            acc[2 if state == GIL else 3] += wait
            if state == LOCK:
                acc[5] += wait
        if balanced:
            for task in [t for t in self._task_credit if t not in seen]:
                del self._task_credit[task]  # finished

    def _split(self, ident, key, blocked, used, dt, computing):
        """[(stack key, GIL wait, I/O wait)] for the time the thread was neither on CPU nor in the run queue."""
        fd = self._syscall.get(ident) if self.states is not None else None
        state = self.states.state(fd) if fd is not None else None
        if state is None:
            return [(k, gil, io, 0.0) for k, gil, io in self.timing.add(ident, key, blocked, used, dt, computing)]
        before = self._last_state.get(ident, state)
        self._last_state[ident] = state
        if before == state:
            return [(key, *_buckets(state, blocked))]
        # the state changed since the last sample (a join() returned and the thread now waits for the GIL): the
        # change happened somewhere in the interval, so half of it goes to each state
        return [(key, *_buckets(before, blocked / 2)), (key, *_buckets(state, blocked / 2))]

    def export(self):
        for k, gil, io in self.timing.flush():
            a = self.stacks[k]
            a[2] += gil
            a[3] += io
        for t in threading.enumerate():
            self.thread_names.setdefault(t.ident, t.name)
        return {
            "samples": self.samples,
            "intervalMs": self.interval_s * 1000,
            "waitMethod": self.method(),
            "waitMethodDetail": self.describe_method(),
            "mainCpu": "signal" if self.cpu_by_signal else "thread",
            "frames": self.frames.export(),
            "stacks": [
                {"thread": ident, "stack": list(stack), "task": task, "n": a[0],
                 "cpuS": a[1], "gilS": a[2], "ioS": a[3], "coreS": a[4], "lockS": a[5]}
                for (ident, stack, task), a in self.stacks.items()
            ],
        }

