"""asyncio: a stack per task, so the coroutine doing the awaiting is charged with its own waits.

A thread running an event loop has BaseEventLoop.run_forever on its stack (its `self` is the loop). Each sample,
every task of that loop except the one running now (which is on the thread's own stack) is charged the time
since the last sample on its coroutine chain (the task's coroutine, then what it awaits, cr_await by cr_await):
as I/O wait when the future it waits on is still pending (a socket, a sleep, a lock; marked as waiting on other
tasks when that future is a task or gather()), as waiting to run when it is ready but the loop is busy running
something else. The sampler tends to look right after a task
has yielded (the loop gives the GIL up in select()), so a task is charged the interval minus the CPU it used in it,
which the main thread's SIGPROF samples record per task (cpu_signal.py); the task running at the sample is
charged, as waiting to run on its coroutine chain, the CPU other code used in the interval. Loops whose run_forever is not Python code
(uvloop) are not seen: their tasks' waits stay on the thread's stack."""
import sys

from pyport.profile.waits import GIL, IO, LOCK

RUN_FOREVER = "BaseEventLoop.run_forever"
_BASE_EVENTS = ("asyncio/base_events.py", "asyncio\\base_events.py")


def is_run_forever(file, name):
    return name == RUN_FOREVER and file.endswith(_BASE_EVENTS)


def coroutine_frames(coro, limit=200):
    """The frames of a suspended coroutine and of what it awaits in turn, outermost first."""
    out = []
    while coro is not None and len(out) < limit:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None) or getattr(coro, "ag_frame", None)
        if frame is None:
            break
        out.append(frame)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None) or getattr(coro, "ag_await", None)
    return out


class LoopTasks:
    def __init__(self):
        self._loops = {}  # thread ident -> (run_forever frame, loop)

    def loop_of(self, ident, run_forever_frame):
        known = self._loops.get(ident)
        if known is not None and known[0] is run_forever_frame:
            return known[1]
        try:
            loop = run_forever_frame.f_locals.get("self")
        except Exception:  # noqa: BLE001 - a frame being torn down
            loop = None
        self._loops[ident] = (run_forever_frame, loop)
        return loop

    def forget(self, alive):
        for ident in [i for i in self._loops if i not in alive]:
            del self._loops[ident]

    @staticmethod
    def current(loop):
        """The task running now on loop (from the loop's own thread), or None."""
        asyncio = sys.modules.get("asyncio")
        try:
            return asyncio.current_task(loop) if asyncio is not None and loop is not None else None
        except Exception:  # noqa: BLE001
            return None

    @staticmethod
    def frames_of(task):
        """The frames of a task's coroutine chain, outermost first (also while it runs), or []."""
        try:
            return coroutine_frames(task.get_coro())
        except Exception:  # noqa: BLE001
            return []

    @staticmethod
    def waiting(loop):
        """[(task, coroutine frames outermost first, GIL, IO or LOCK)] for the loop's tasks not running now."""
        asyncio = sys.modules.get("asyncio")
        if asyncio is None or loop is None:
            return []
        try:
            tasks = asyncio.all_tasks(loop)
            current = asyncio.current_task(loop)
        except Exception:  # noqa: BLE001 - a loop closing, or an asyncio we do not know
            return []
        out = []
        for task in tasks:
            if task is current:
                continue
            try:
                coro = task.get_coro()
                if getattr(coro, "cr_running", False):
                    continue
                frames = coroutine_frames(coro)
                waiter = getattr(task, "_fut_waiter", None)
                pending = waiter is not None and not waiter.done()
                on_tasks = pending and (isinstance(waiter, asyncio.Task) or type(waiter).__name__ == "_GatheringFuture")
            except Exception:  # noqa: BLE001
                continue
            if frames:
                out.append((task, frames, (LOCK if on_tasks else IO) if pending else GIL))
        return out
