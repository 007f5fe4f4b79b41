"""pyport's Python process: pythonia's Bridge.py as the dispatcher of last resort, fed by pyport's own socket, and
the shim that answers the host's requests.

Started by src/bridge/python-process.ts as `python3 -u -c <boot> <python dir>` with:
  PYPORT_FD           the file descriptor of the socket to the host (newline-delimited JSON, pythonia's protocol)
  PYPORT_PYTHONIA     the folder holding pythonia's Bridge.py
  PYPORT_CONCURRENCY  how many synchronous calls may run at once (threads)
  PYPORT_MAX_MESSAGE_CHARS  the longest reply the host accepts

Threads: one thread always reads the socket (so a cancel is seen while calls run), sync calls run on up to
`concurrency` threads, `async def` calls on the asyncio loop of the main thread. See dispatch.py.

The host calls Bridge.m[0]["pyport"].handle(request) through pythonia's `pcall`. A request is the codec's text of
[op, ..., call id]: "c" call, "m" map, "i" import; ["k", call id] cancels, ["d"] drains. Replies: see replies.py.
"""
import inspect
import os
import signal
import sys
from time import perf_counter
from types import FunctionType

from pyport import replies, sentinel
from pyport.bridge_codec import UnsupportedValue, decode
from pyport.bridge_modules import Modules
from pyport.channel import Channel, private_fd, watch_host
from pyport.dispatch import Dispatcher, Job, is_awaitable

_HANDLE = ["pyport", "handle"]
_ENVELOPE = '{"r":%d,"key":"string","val":["%s",%s],"sig":""}'


class Shim:
    def __init__(self, channel, concurrency):
        self.channel = channel
        self.modules = Modules()
        self._async = {}  # function -> is it a coroutine function
        self.dispatch = Dispatcher(concurrency, self.answer, self._cancelled, replies.internal)

    def answer(self, job, text):
        self.reply(job.r, text)

    def reply(self, r, text):
        # Embedded as JSON ["P"|"T", reply] in Bridge.py's reply format, not as an escaped string.
        self.channel.queue(_ENVELOPE % (r, text[0], text[1:]))

    @staticmethod
    def _cancelled(job, started):
        return replies.cancelled(started, 0.0, job.queued_seconds)

    # -- requests, on the reader thread: decode, route, never block ----------------------------------------------

    def request(self, r, text):
        try:
            msg = replies.deep(replies.DECODE_FRAMES_PER_LEVEL, decode, text)
        except UnsupportedValue as e:
            return self.reply(r, replies.unsupported(e))
        except RecursionError:
            return self.reply(r, replies.unsupported(UnsupportedValue(
                "value", "the arguments are nested more than %d levels deep; flatten them" % replies.DEEP_LEVELS,
                direction="to-python")))
        except BaseException as e:
            return self.reply(r, replies.internal(e))
        try:
            op = msg[0]
            if op == "c":  # ["c", module key, function, args, kwargs, call id]
                self.call(r, msg[5], msg[1], msg[2], msg[3], msg[4])
            elif op == "m":  # ["m", module key, function, args list, kwargs, index base, call id]
                self.map(r, msg[6], msg[1], msg[2], msg[3], msg[4], msg[5])
            elif op == "i":  # ["i", module key, call id]
                self.load(r, msg[2], msg[1])
            elif op == "k":
                self.reply(r, replies.message(replies.OK, self.dispatch.cancel(msg[1])))
            elif op == "d":
                self.reply(r, replies.message(replies.OK, self.dispatch.drain()))
            else:
                self.reply(r, replies.message(replies.RAISED, {
                    "pythonType": "pyport.ProtocolError", "message": "unknown op %r" % (op,), "traceback": "",
                    "frames": [], "internal": True}))
        except BaseException as e:  # the shim itself failed: still answer, never take the process down
            self.reply(r, replies.internal(e))

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

    def call(self, r, cid, key, name, args, kwargs):
        fn, err = self._target(key, name)
        if err is not None:
            return self.reply(r, err)
        if fn is not None and self._is_async(fn):
            job = Job(r, cid, None)
            self.dispatch.submit_async(job, lambda: fn(*args, **kwargs) if kwargs else fn(*args), self._on_result(job))
        else:
            job = Job(r, cid, lambda job: self._run(job, fn, key, name, args, kwargs))
            self.dispatch.submit_sync(job)

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
        t0 = perf_counter()
        try:
            value = fn(*args, **kwargs) if kwargs else fn(*args)
        except BaseException as e:
            return replies.exception(e, elapsed=perf_counter() - t0, queued=job.queued_seconds)
        if is_awaitable(value):  # an awaitable returned by a sync function is awaited too
            self.dispatch.await_on_loop(job, value, self._on_result(job))
            return None
        return replies.result(value, perf_counter() - t0, job.queued_seconds)

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


def _load_pythonia_bridge(folder):
    sys.path.insert(0, folder)
    try:
        from Bridge import Bridge
    finally:
        sys.path.remove(folder)
        for name in ("Bridge", "proxy", "json_patch"):  # keep user modules of these names importable
            sys.modules.pop(name, None)
    return Bridge


def _reader(channel, bridge, shim):
    """read_one() for the dispatcher's leader thread: reads one message and routes it; False at the end of input."""
    import json

    readline = channel.readline
    on_message = bridge.onMessage
    request = shim.request

    def read_one():
        line = readline()
        if not line:
            return False
        if line[:1] == b"{":
            j = json.loads(line)
            if j["ffid"] == 0 and j["action"] == "pcall" and j["key"] == _HANDLE:
                request(j["r"], j["val"][0][0])
            else:
                on_message(j["r"], j["action"], j["ffid"], j["key"], j["val"])
        return True

    return read_one


def main():
    env = os.environ
    fd = private_fd(int(env.pop("PYPORT_FD")))
    pythonia = env.pop("PYPORT_PYTHONIA")
    concurrency = int(env.pop("PYPORT_CONCURRENCY", "1"))
    replies.MAX_MESSAGE_CHARS = int(env.pop("PYPORT_MAX_MESSAGE_CHARS", replies.MAX_MESSAGE_CHARS))
    sentinel.start()  # kills this interpreter's process group (a GIL-holding call, children, a launcher) if the host dies
    watch_host(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the host's to handle; EOF then ends us

    Bridge = _load_pythonia_bridge(pythonia)
    channel = Channel(fd)
    bridge = Bridge(channel)
    shim = Shim(channel, concurrency)
    bridge.m[0]["pyport"] = shim

    # Everything pyport needs is imported: only now may the user's files shadow module names. Module names
    # resolve against the bridge's cwd, as with `python -c`; pyport's own package stays importable, last.
    ours = sys.path[0]
    sys.path[0] = os.getcwd()
    sys.path.append(ours)
    sys.argv = ["-c"]

    shim.dispatch.start(_reader(channel, bridge, shim))
    shim.dispatch.run_loop()
    if hasattr(os, "JSPyBridge"):
        del os.JSPyBridge  # pythonia's handle back to JS; freeing it at exit would write to a closed socket
