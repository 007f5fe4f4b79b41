"""Running the host's calls: where each one runs (the asyncio loop, a call thread, or the reading thread itself when
its function has always been quick) and how: a call, a map over an args list, an import, a call on an object, an
attribute read, the next items of an iterator or closing it. Each answers with a reply text (replies.py), sent by
the dispatcher (dispatch.py) or, for what fails before it is queued, at once through `reply`.

requests.py decodes and routes each request to a method here; boot.py wires the two to the socket.
"""
import inspect
from time import perf_counter
from types import FunctionType

from collections.abc import AsyncIterator

from pyport.bridge import replies, streams
from pyport.bridge.modules import Modules
from pyport.bridge.dispatch import Dispatcher, Job, is_awaitable
from pyport.bridge.objects import registry

QUICK_S = 0.001  # a call this short costs less than handing the socket's reading to another thread
QUICK_STREAK = 8


class Calls:
    def __init__(self, reply, concurrency):
        """`reply(r, text)` answers request `r` on the socket; `concurrency` is how many synchronous calls may run at
        once (threads)."""
        self.reply = reply
        self.modules = Modules()
        self._async = {}  # function -> is it a coroutine function
        self._streaks = {}  # function -> how many of its last calls in a row were quick
        self.dispatch = Dispatcher(concurrency, self.answer, self._cancelled, replies.internal)

    def answer(self, job, text):
        self.reply(job.r, text)

    @staticmethod
    def _cancelled(job, started):
        return replies.cancelled(started, 0.0, job.queued_seconds)

    # -- requests, on the reader thread: find the target, hand the work on, never block ---------------------------

    def _target(self, key, name):
        """(function, None), or (None, reply) when it cannot be found; None, None if its module is not loaded yet."""
        if key not in self.modules.loaded:
            return None, None
        try:
            return self.modules.function(key, name), None
        except BaseException as e:
            return None, replies.exception(e, skip_frames=self.modules.frames_to_skip(e))

    def _is_async(self, fn):
        """inspect.iscoroutinefunction, cached for plain functions and methods (by their function: a bound method is
        a new object each time, and caching it would keep its instance alive)."""
        f = getattr(fn, "__func__", fn)
        if type(f) is not FunctionType:
            return inspect.iscoroutinefunction(fn)
        kind = self._async.get(f)
        if kind is None:
            kind = self._async[f] = inspect.iscoroutinefunction(fn)
        return kind

    def _quick(self, fn):
        """Has this function returned within QUICK_S its last QUICK_STREAK times? (Plain functions and methods.)"""
        return self._streaks.get(getattr(fn, "__func__", fn), 0) >= QUICK_STREAK

    def _timed(self, fn, seconds):
        f = getattr(fn, "__func__", fn)
        if type(f) is FunctionType:
            self._streaks[f] = self._streaks.get(f, 0) + 1 if seconds < QUICK_S else 0

    def call(self, r, cid, key, name, args, kwargs):
        fn, err = self._target(key, name)
        if err is not None:
            return self.reply(r, err)
        self._submit(r, cid, fn, key, name, args, kwargs)

    def call_object(self, r, cid, oid, method, args, kwargs):
        try:
            obj = registry.get(oid)
            fn = getattr(obj, method) if method else obj
        except BaseException as e:
            return self.reply(r, replies.exception(e, skip_frames=0))
        self._submit(r, cid, fn, None, method, args, kwargs)

    def get_attribute(self, r, cid, oid, name):
        def get(job):
            t0 = perf_counter()
            try:
                value = getattr(registry.get(oid), name)
            except BaseException as e:
                return replies.exception(e, elapsed=perf_counter() - t0, queued=job.queued_seconds)
            return replies.result(value, perf_counter() - t0, job.queued_seconds)
        self.dispatch.submit_sync(Job(r, cid, get))

    def next_items(self, r, cid, oid, most):
        try:
            it = registry.get(oid)
        except KeyError as e:
            return self.reply(r, replies.exception(e, skip_frames=0))
        if isinstance(it, AsyncIterator):
            job = Job(r, cid, None)
            self.dispatch.submit_async(job, lambda: streams.next_async(job, it, oid, most), streams.on_async_items(job, oid))
        else:
            self.dispatch.submit_sync(Job(r, cid, lambda job: streams.next_sync(job, it, oid, most)))

    def close_iterator(self, r, cid, oid):
        it = registry.objects.get(oid)
        if it is None:
            return self.reply(r, replies.message(replies.OK, False))
        if hasattr(it, "aclose"):
            job = Job(r, cid, None)
            self.dispatch.submit_async(job, it.aclose, streams.on_closed(job, oid))
        else:
            self.dispatch.submit_sync(Job(r, cid, lambda job: streams.close_sync(job, it, oid)))

    def _submit(self, r, cid, fn, key, name, args, kwargs):
        if fn is not None and self._is_async(fn):
            job = Job(r, cid, None)
            self.dispatch.submit_async(job, lambda: fn(*args, **kwargs) if kwargs else fn(*args), self._on_result(job))
        elif fn is not None and self._quick(fn) and self.dispatch.may_run_now():
            self._run_now(r, cid, fn, args, kwargs)
        else:
            job = Job(r, cid, lambda job: self._run(job, fn, key, name, args, kwargs))
            self.dispatch.submit_sync(job)

    def _run_now(self, r, cid, fn, args, kwargs):
        """A call whose function has always been quick, run by the reading thread itself, at once: no other thread is
        woken, and nothing can be read (so nothing can cancel it) until it returns."""
        text = self._invoke(Job(r, cid, None), fn, args, kwargs, registered=False)
        if text is not None:
            self.reply(r, text)

    def map(self, r, cid, key, name, args_list, kwargs, base):
        fn, err = self._target(key, name)
        if err is not None:
            return self.reply(r, err)
        if fn is not None and self._is_async(fn):
            job = Job(r, cid, None)
            self.dispatch.submit_async(job, lambda: _gather(fn, args_list, kwargs), self._on_map(job, base))
        else:
            job = Job(r, cid, lambda job: self._run_map(job, fn, key, name, args_list, kwargs, base))
            self.dispatch.submit_sync(job)

    def load(self, r, cid, key):
        """Imports run on the main thread, never queued behind calls; the socket is still read meanwhile."""
        job = Job(r, cid, lambda job: self._load(job, key))
        self.dispatch.run_on_main(job)

    # -- work, on worker threads ------------------------------------------------------------------------------

    def _resolve(self, fn, key, name):
        if fn is not None:
            return fn, None
        try:
            return self.modules.function(key, name), None
        except BaseException as e:
            return None, replies.exception(e, skip_frames=self.modules.frames_to_skip(e), stage="import")

    def _run(self, job, fn, key, name, args, kwargs):
        fn, err = self._resolve(fn, key, name)
        if err is not None:
            return err
        return self._invoke(job, fn, args, kwargs, registered=True)

    def _invoke(self, job, fn, args, kwargs, registered):
        """Calls fn: the reply text, or None when it returned an awaitable, which is then awaited on the loop (a job
        the dispatcher does not know yet, `registered` False, is adopted so that it can be cancelled)."""
        t0 = perf_counter()
        try:
            value = fn(*args, **kwargs) if kwargs else fn(*args)
        except BaseException as e:
            return replies.exception(e, elapsed=perf_counter() - t0, queued=job.queued_seconds)
        elapsed = perf_counter() - t0
        self._timed(fn, elapsed)
        if is_awaitable(value):  # an awaitable returned by a sync function is awaited too
            if not registered:
                self.dispatch.adopt(job)
            self.dispatch.await_on_loop(job, value, self._on_result(job))
            return None
        return replies.result(value, elapsed, job.queued_seconds)

    def _on_result(self, job):
        def on_result(value, exc):
            elapsed = perf_counter() - job.started
            if exc is not None:
                return replies.exception(exc, elapsed=elapsed, queued=job.queued_seconds)
            return replies.result(value, elapsed, job.queued_seconds)
        return on_result

    def _run_map(self, job, fn, key, name, args_list, kwargs, base):
        """Every item runs, even after one fails; the first failure (by index) is reported with its index
        (`base` + position: the host sends slices of one list)."""
        fn, err = self._resolve(fn, key, name)
        if err is not None:
            return err
        kwargs = kwargs or {}
        values = []
        t0 = perf_counter()
        for args in args_list:
            try:
                value = fn(*args, **kwargs)
                if is_awaitable(value):
                    value = self.dispatch.wait_on_loop(value)
                values.append(value)
            except BaseException as e:
                values.append(_Failed(e))
        return self._on_map(job, base, perf_counter() - t0)(values, None)

    def _on_map(self, job, base, elapsed=None):
        def on_map(values, exc):
            spent = elapsed if elapsed is not None else perf_counter() - job.started
            queued = job.queued_seconds
            if exc is not None:
                return replies.exception(exc, elapsed=spent, queued=queued)
            for i, v in enumerate(values):
                if isinstance(v, _Failed):
                    return replies.exception(v.exc, elapsed=spent, queued=queued, index=base + i)
                if isinstance(v, BaseException):  # from gather(return_exceptions=True)
                    return replies.exception(v, skip_frames=0, elapsed=spent, queued=queued, index=base + i)
            return replies.result(values, spent, queued, index_base=base)
        return on_map

    def _load(self, job, key):
        try:
            mod = self.modules.get(key)
        except BaseException as e:
            return replies.exception(e, skip_frames=self.modules.frames_to_skip(e), stage="import")
        return replies.message(replies.OK, {"name": mod.__name__, "file": getattr(mod, "__file__", None)})


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc):
        self.exc = exc


async def _gather(fn, args_list, kwargs):
    import asyncio

    kwargs = kwargs or {}
    return await asyncio.gather(*[fn(*args, **kwargs) for args in args_list], return_exceptions=True)
