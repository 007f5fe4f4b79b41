"""Where each request runs: synchronous work on up to `concurrency` threads, coroutines on one asyncio loop.

Every call the host sends is a Job with the host's call id. Its state decides what a cancel (a timeout or an abort
on the host) can still do, under one lock, so a call runs at most once:
  QUEUED   not started: a cancel drops it, and it never runs
  RUNNING  a thread runs it: nothing in Python can stop a thread, so the host must retire this interpreter
  ASYNC    a task on the loop (or a sync call's awaitable result): cancelled with CancelledError, finally runs
  DONE     answered
"""
import asyncio
import collections
import concurrent.futures
import inspect
import threading
from time import perf_counter

QUEUED, RUNNING, ASYNC, DONE = "queued", "running", "async", "done"


class Job:
    __slots__ = ("r", "cid", "state", "received", "started", "task", "cancel_requested", "run")

    def __init__(self, r, cid, run):
        self.r = r
        self.cid = cid
        self.run = run  # run(job) -> reply text, or None when it handed itself to the loop (see Dispatcher.await_on_loop)
        self.state = QUEUED
        self.received = perf_counter()
        self.started = self.received
        self.task = None
        self.cancel_requested = False

    @property
    def queued_seconds(self):
        return self.started - self.received


_NEVER_AWAITABLE = frozenset((int, float, str, bool, type(None), list, tuple, dict, bytes, set))


def is_awaitable(value):
    if type(value) in _NEVER_AWAITABLE:
        return False
    return inspect.isawaitable(value) or isinstance(value, concurrent.futures.Future)


class _HandedOver:
    """Marks a reading thread that handed the reading over (Dispatcher.hand_over_reading); `job` is a call it had
    taken to run, if any."""
    __slots__ = ("job",)

    def __init__(self, job):
        self.job = job


class Dispatcher:
    """Runs calls on "call threads" in a leader/follower pattern: one thread at a time reads the socket (the leader);
    when it reads a sync call that may start now, it hands the reading to an idle thread and runs the call itself.
    So a call starts without a thread handoff, and the socket is read while `concurrency` calls run: a cancel is seen
    at once. (A call whose function has always been quick is run by the leader without a handover at all: see
    Calls._run_now in calls.py.) At most concurrency + 1 call threads exist, and one more while a call run by the reading thread
    waits for a port (see hand_over_reading)."""

    def __init__(self, concurrency, answer, cancelled_reply, internal_error):
        """answer(job, text) sends a reply; cancelled_reply(job, started) builds the reply of a cancelled job;
        internal_error(exc) the reply when pyport itself failed around a call."""
        self.concurrency = concurrency
        self.answer = answer
        self.cancelled_reply = cancelled_reply
        self.internal_error = internal_error
        self.loop = asyncio.new_event_loop()
        self.lock = threading.Lock()
        self.sleepers = []  # one held lock per idle call thread; releasing it wakes that thread (cheaper than Condition)
        self.jobs = {}
        self.pending = collections.deque()
        self.running = 0
        self.threads = 0
        self.leading = False
        self.draining = False
        self.drained = set()  # ids dropped by drain(): a late cancel of one says 'dropped', not 'done'
        self.local = threading.local()

    # -- the call threads -------------------------------------------------------------------------------------

    def start(self, read_one):
        """read_one() reads and handles one message; it returns False at the end of input."""
        self.read_one = read_one
        self._spawn()

    def _spawn(self):
        self.threads += 1
        try:
            threading.Thread(target=self._serve, name="pyport-call-%d" % self.threads, daemon=True).start()
        except RuntimeError:  # no thread to be had (memory, limits): a thread that finishes its call will lead
            self.threads -= 1

    def _serve(self):
        lock = self.lock
        local = self.local
        local.inline = None
        sleep = threading.Lock()
        while True:
            with lock:
                job = self._next_pending()
                role = job is not None or not self.leading
                if job is None and role:
                    self.leading = True
                if not role:
                    sleep.acquire()
                    self.sleepers.append(sleep)
            if not role:
                sleep.acquire()  # until a leader hands over or work is queued
                sleep.release()
                continue
            if job is None:  # lead: read until a call is ours to run
                local.reading = True
                while local.inline is None:
                    if not self.read_one():
                        self.stop()
                        return
                local.reading = False
                job = local.inline
                local.inline = None
                if type(job) is _HandedOver:  # a port call made while this thread read: another thread leads now
                    job = job.job
                    if job is None:
                        continue
                else:
                    with lock:
                        self.leading = False
                        self._wake_or_spawn()
            self._run(job)

    def hand_over_reading(self):
        """From code about to wait for the host (a port call, pyport/bridge/ports.py): if this thread is the one reading the
        socket (a quick call run inline, or anything else a message runs), another thread takes the reading over, so
        the answer it waits for can be read. This thread then finishes what it runs and no longer leads."""
        local = self.local
        if not getattr(local, "reading", False):
            return
        local.reading = False
        local.inline = _HandedOver(local.inline)  # ends this thread's reading loop once its message is handled
        with self.lock:
            self.leading = False
            if self.sleepers:
                self.sleepers.pop().release()
            else:
                self._spawn()

    def _wake_or_spawn(self):
        """Under the lock: an idle call thread comes back to lead; a new one only if every thread runs a call (a
        thread about to finish takes the lead by itself), so there are at most concurrency + 1."""
        if self.sleepers:
            self.sleepers.pop().release()
        elif self.threads <= self.running:
            self._spawn()

    def _next_pending(self):
        """Under the lock: the next queued job, if a slot is free (it is then counted as running)."""
        while self.pending and self.running < self.concurrency:
            job = self.pending.popleft()
            if job.state == QUEUED:
                job.state = RUNNING
                self.running += 1
                return job
        return None

    def _run(self, job):
        job.started = perf_counter()
        try:
            text = job.run(job)
        except BaseException as e:  # run() answers everything; this is a last resort, never a dead thread
            text = self.internal_error(e)
        with self.lock:
            self.running -= 1
        if text is not None:
            self.finish(job, text)

    # -- submitting (from the leader) -------------------------------------------------------------------------

    def may_run_now(self):
        """From the leader: a sync call may start at once (a free slot, nothing queued before it, not draining)."""
        return self.running < self.concurrency and not self.pending and not self.draining

    def adopt(self, job):
        """Registers a job the leader started itself (its awaitable result is then awaited like an async call)."""
        with self.lock:
            job.state = RUNNING
            self.jobs[job.cid] = job

    def submit_sync(self, job):
        """In order: the leader runs it itself if a slot is free and nothing waits, else it queues."""
        with self.lock:
            if self._refuse(job):
                return
            self.jobs[job.cid] = job
            if self.running < self.concurrency and not self.pending:
                job.state = RUNNING
                self.running += 1
                self.local.inline = job
                return
            self.pending.append(job)

    def submit_async(self, job, make_awaitable, on_result):
        """make_awaitable() is called on the loop thread (a coroutine function's call creates its coroutine there);
        on_result(value, exception) builds the reply."""
        with self.lock:
            if self._refuse(job):
                return
            self.jobs[job.cid] = job
        self.loop.call_soon_threadsafe(self._start_async, job, make_awaitable, on_result)

    def _refuse(self, job):
        if self.draining:  # the host stops sending before it drains; this is only a guard
            self.answer(job, self.cancelled_reply(job, False))
            return True
        return False

    # -- cancelling (from the reader thread) ------------------------------------------------------------------

    def cancel(self, cid):
        """'dropped' (never ran, never will), 'cancelling' (async: CancelledError raised in it), 'running' (a thread
        runs it and cannot be stopped) or 'done' (already answered)."""
        with self.lock:
            job = self.jobs.get(cid)
            if job is None:
                return "dropped" if cid in self.drained else "done"
            if job.state == QUEUED:
                self._drop(job)
                dropped = job
            elif job.state == RUNNING:
                return "running"
            else:
                job.cancel_requested = True
                if job.task is not None:
                    self.loop.call_soon_threadsafe(job.task.cancel)
                return "cancelling"
        self.answer(dropped, self.cancelled_reply(dropped, False))
        return "dropped"

    def drain(self):
        """Drops every job not started yet and refuses new ones: the host retires this interpreter. Returns the
        ids dropped; their calls are free to run elsewhere."""
        with self.lock:
            self.draining = True
            dropped = [j for j in self.jobs.values() if j.state == QUEUED]
            for j in dropped:
                self._drop(j)
                self.drained.add(j.cid)
        for j in dropped:
            self.answer(j, self.cancelled_reply(j, False))
        return [j.cid for j in dropped]

    def _drop(self, job):
        job.state = DONE
        del self.jobs[job.cid]

    # -- running ----------------------------------------------------------------------------------------------

    def finish(self, job, text):
        with self.lock:
            if job.state == DONE:
                return
            job.state = DONE
            self.jobs.pop(job.cid, None)
        self.answer(job, text)

    def run_on_main(self, job):
        """Runs the job on the main thread, between the loop's tasks (imports: module code that installs a signal
        handler needs the main thread, and an import is never queued behind calls)."""
        with self.lock:
            if self._refuse(job):
                return
            self.jobs[job.cid] = job
            job.state = RUNNING
        self.loop.call_soon_threadsafe(self._run_main, job)

    def _run_main(self, job):
        job.started = perf_counter()
        try:
            text = job.run(job)
        except BaseException as e:
            text = self.internal_error(e)
        self.finish(job, text)

    def wait_on_loop(self, awaitable):
        """From a worker thread: the awaitable's value, awaited on the loop (a map item that returned one)."""
        async def wait():
            return await awaitable
        if isinstance(awaitable, concurrent.futures.Future):
            return awaitable.result()
        return asyncio.run_coroutine_threadsafe(wait(), self.loop).result()

    def await_on_loop(self, job, awaitable, on_result):
        """From a worker thread: the sync call returned an awaitable; await it on the loop, then answer with
        on_result(value, exception). The job becomes cancellable like an async call."""
        with self.lock:
            job.state = ASYNC
        self.loop.call_soon_threadsafe(self._start_async, job, lambda: awaitable, on_result)

    def _start_async(self, job, make_awaitable, on_result):
        with self.lock:
            if job.state == DONE:
                return
            was_queued = job.state == QUEUED
            if was_queued:
                job.started = perf_counter()
            job.state = ASYNC
            cancelled_early = job.cancel_requested
        if cancelled_early:  # only a sync call's awaitable can be cancelled before it is awaited: its sync part ran
            self.finish(job, self.cancelled_reply(job, not was_queued))
            return
        try:
            awaitable = make_awaitable()
            if isinstance(awaitable, concurrent.futures.Future):
                awaitable = asyncio.wrap_future(awaitable, loop=self.loop)
            task = asyncio.ensure_future(self._await(job, awaitable, on_result), loop=self.loop)
        except BaseException as e:
            self.finish(job, on_result(None, e))
            return
        with self.lock:
            job.task = task
            cancel_now = job.cancel_requested
        if cancel_now:
            task.cancel()

    async def _await(self, job, awaitable, on_result):
        try:
            value = await awaitable
        except asyncio.CancelledError:
            self.finish(job, self.cancelled_reply(job, True))
            return
        except BaseException as e:
            self.finish(job, on_result(None, e))
            return
        self.finish(job, on_result(value, None))

    # -- the loop, on the main thread -------------------------------------------------------------------------

    def run_loop(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()
        tasks = asyncio.all_tasks(self.loop)
        for t in tasks:
            t.cancel()
        if tasks:  # let their finally blocks run, briefly
            try:
                self.loop.run_until_complete(asyncio.wait(tasks, timeout=1.0))
            except BaseException:
                pass

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
