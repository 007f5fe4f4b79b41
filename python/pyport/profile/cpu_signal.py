"""The main thread's CPU, sampled where it is spent.

The sampling thread can only look at stacks when it holds the GIL, and a thread that releases the GIL often (an
asyncio loop entering select() after every burst of task code, a thread reading a socket between short bursts of
work) hands it over at those release points: the sampler's snapshots land there, and the CPU used since the
previous snapshot is charged to the wrong code (to the idle event loop, instead of the coroutine that computed).
Waits are rightly seen at release points; CPU is not.

So, where the platform allows it (signal.setitimer), the main thread's CPU comes from SIGPROF instead: the kernel
sends it for every INTERVAL of CPU the process uses, and Python runs the handler in the main thread at the next
bytecode with the frame it interrupted, wherever the time went. Each call charges the main thread's CPU since the
previous call (time.thread_time; the handler's own cost left out) to that stack. System calls interrupted by the
signal restart (signal.siginterrupt False). If the program installs its own SIGPROF handler, pyport notices and
the sampling thread counts the main thread's CPU again (PYPORT_PROFILE_CPU_SIGNAL=0 does so from the start)."""
import signal
import threading
import time


def available():
    return hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF") and threading.current_thread() is threading.main_thread()


class MainThreadCpu:
    """Call start() from the main thread; charge(frame, cpu_s) is called from the handler, under the GIL."""

    def __init__(self, interval_s, charge):
        self.interval_s = interval_s
        self._charge = charge
        self._last = 0.0
        self._busy = False
        self.active = False
        self.samples = 0

    def start(self):
        if not available():
            return False
        try:
            signal.signal(signal.SIGPROF, self._handler)
            signal.siginterrupt(signal.SIGPROF, False)
            self._last = time.thread_time()
            signal.setitimer(signal.ITIMER_PROF, self.interval_s, self.interval_s)
        except (OSError, ValueError, RuntimeError):
            return False
        self.active = True
        return True

    def still_ours(self):
        """False once the program has replaced the handler (then its CPU must be counted another way)."""
        try:
            return self.active and signal.getsignal(signal.SIGPROF) == self._handler
        except (ValueError, RuntimeError):
            return False

    def stop(self):
        if not self.active:
            return
        self.active = False
        try:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            if signal.getsignal(signal.SIGPROF) == self._handler:
                signal.signal(signal.SIGPROF, signal.SIG_IGN)
        except (OSError, ValueError, RuntimeError):
            pass

    def _handler(self, signum, frame):
        if self._busy or not self.active:
            return  # a signal during the handler: its CPU goes to the next one
        self._busy = True
        try:
            now = time.thread_time()
            used = now - self._last
            if frame is not None and used > 0:
                self._charge(frame, used)
                self.samples += 1
        finally:
            self._last = time.thread_time()  # the handler's own cost is charged to nobody
            self._busy = False
