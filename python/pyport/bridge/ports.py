"""@port: a Python function whose calls the host serves with its TypeScript port (the `ports` option of PythonBridge
and PythonPool).

    from pyport import port

    @port                      # or @port("rank_documents")
    def rank_documents(query, docs, k=5): ...

The host names its ports and their modes when it starts the interpreter (PYPORT_PORTS, which the shim reads and
removes before any user code runs), so the decorator decides once, when it decorates:
  no host, no such port, or mode "python" (not recording)
            the function itself, unchanged: no cost per call
  "ts"      each call goes to the host, which runs the port on its WorkerPool. The calling thread waits on a lock,
            without the GIL, so threads calling the port wait (and the port runs) in parallel; an `async def` awaits
            a future that the socket's reader resolves through the event loop
  "shadow"  (and "python" with the `record` option) the function runs here and returns at once; its arguments and
            its result (or exception) go to the host in one message nothing waits for, and the port runs there

Messages, on the bridge's socket (pyport's own: pythonia's Python-to-JS callbacks are not used):
  Python -> host: one JSON line each, on pythonia's channel "pyport" (pythonia.py): {"c": "pyport", "k": kind,
  "n": port name, ...}
    "c"  call (ts mode)      "t" codec flag, "a" the arguments (the codec's tree, positional), "i" call id
    "o"  observed call       "t"/"a" the arguments, "ms" Python's time, then "ok": 1 with "rt"/"r" the result,
                             or "ok": 0 with "e" the exception (type, message, traceback, frames, module)
    "n"  not sampled         "ms"
    "x"  not offered         "ms": the arguments or the result cannot cross, or the call was cancelled
    "f"  fell back           the arguments (or the port's value) could not cross; the original ran here
  host -> Python: "q<call id>,<status>,<codec text>": 0 the port's value; 1 an error {kind, name, message, stack};
  2 run the original here (fallback: the host counted it)
"""
import functools
import inspect
import itertools
import json
import os
import threading
from time import perf_counter

from pyport.bridge import pythonia, replies
from pyport.bridge.codec import UnsupportedValue, decode, encode_tree
from pyport.bridge.errors import exception_info

_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode
_HEAD = pythonia.channel_message("pyport")  # {"c":"pyport", + the message's own members


class PortError(Exception):
    """The TypeScript port failed. `port` is its name; `ts_name`, `ts_message` and `ts_stack` are what it threw
    (its error's name, message and stack), as the host saw them."""

    def __init__(self, message, port=None, ts_name=None, ts_message=None, ts_stack=None):
        super().__init__(message)
        self.port = port
        self.ts_name = ts_name
        self.ts_message = ts_message
        self.ts_stack = ts_stack


class PortTimeoutError(PortError):
    """The port ran past its WorkerPool's timeoutMs; its worker was terminated."""


class PortCrashedError(PortError):
    """The port's worker thread died (process.exit, out of memory); the pool replaced it."""


class PortValueError(PortError):
    """A value cannot cross exactly: an argument on its way to the port, or the port's result on its way back.
    `where` says where in it (args[1][0]['when'], or the host's path in the result)."""

    where = None


class HostClosedError(PortError):
    """The host is gone (the bridge was closed, or the host died): no port can answer any more."""


_KINDS = {"timeout": PortTimeoutError, "value": PortValueError, "crashed": PortCrashedError}

_host = None  # set by attach(), from the shim, before any user code runs


class _Waiter:
    """A thread waiting for its port's answer: blocked on a lock, which holds no GIL."""

    __slots__ = ("lock", "line")

    def __init__(self):
        self.lock = threading.Lock()
        self.lock.acquire()
        self.line = None

    def settle(self, line):
        self.line = line
        self.lock.release()


class _AsyncWaiter:
    """A coroutine awaiting its port's answer: the reader thread resolves its future through the loop."""

    __slots__ = ("loop", "future")

    def __init__(self, loop, future):
        self.loop = loop
        self.future = future

    def settle(self, line):
        try:
            self.loop.call_soon_threadsafe(_resolve, self.future, line)
        except RuntimeError:  # its loop is closed: nobody waits any more
            pass


def _resolve(future, line):
    if not future.done():  # cancelled meanwhile
        future.set_result(line)


class _Host:
    """The host as the ports see it: the socket, the ports it serves, and the calls waiting for it."""

    def __init__(self, channel, specs, hand_over):
        self.channel = channel
        self.specs = specs
        self.hand_over = hand_over
        self.lock = threading.Lock()
        self.waiting = {}
        self.ids = itertools.count(1)
        self.closed = False
        self.forked = False
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        """A forked child (multiprocessing's fork) shares the socket but is not the host's to answer: its ports
        run the Python original, and it sends nothing."""
        self.forked = True
        self.closed = True
        self.waiting = {}
        self.lock = threading.Lock()

    def send(self, text):
        """A message nothing waits for: posted, so the caller pays no system call for it (Channel.post)."""
        if not self.closed:
            self.channel.post(text)

    def call(self, head):
        """Sends a call (`head` + its id) and waits for the answer line, without the GIL."""
        waiter = _Waiter()
        cid = self._register(waiter)
        self.channel.send(head + "%d}" % cid)
        self.hand_over()  # this thread may be the one reading the socket: another one reads the answer then
        waiter.lock.acquire()
        return waiter.line

    def call_async(self, head, loop, future):
        cid = self._register(_AsyncWaiter(loop, future))
        self.channel.send(head + "%d}" % cid)

    def _register(self, waiter):
        with self.lock:
            if self.closed:
                raise HostClosedError("the host is gone (the bridge was closed, or the host exited): no port can "
                                      "answer", ts_name="HostClosed")
            cid = next(self.ids)
            self.waiting[cid] = waiter
        return cid

    def answer(self, line):
        """The reader thread read an answer line ("q<id>,..."): hand it to its waiter."""
        comma = line.find(b",", 1)
        try:
            cid = int(line[1:comma])
        except ValueError:
            return
        with self.lock:
            waiter = self.waiting.pop(cid, None)
        if waiter is not None:
            waiter.settle(line)

    def host_closed(self):
        """End of input: the host is gone. Every waiting port call raises HostClosedError now, and so do later ones."""
        with self.lock:
            self.closed = True
            waiting = list(self.waiting.values())
            self.waiting.clear()
        for w in waiting:
            w.settle(None)


def attach(channel, spec_text, hand_over):
    """From the shim: the host serves these ports (PYPORT_PORTS: {name: {"m": mode, "f": fallback, "s": sample,
    "r": recording}}). Returns the host, whose answer() and host_closed() the socket's reader calls."""
    global _host
    _host = _Host(channel, json.loads(spec_text), hand_over)
    return _host


# -- the decorator -------------------------------------------------------------------------------------------------

def port(fn=None, name=None):
    """Serves calls of the decorated function with the host's TypeScript port of the same name (or `name`), in the
    port's mode. `@port`, `@port("name")`, `@port(name="name")`. Without a host (plain python3), without a port of
    that name, or in mode "python", the function is returned unchanged."""
    if fn is None:
        return functools.partial(_decorate, name=name)
    if isinstance(fn, str):
        if name is not None:
            raise TypeError("@port takes the port's name once: @port(%r) or @port(name=%r)" % (fn, name))
        return functools.partial(_decorate, name=fn)
    return _decorate(fn, name)


def _decorate(fn, name=None):
    if not callable(fn):
        raise TypeError("@port decorates a function, got %s" % type(fn).__name__)
    host = _host
    if host is None:
        return fn
    if name is None:
        name = getattr(fn, "__name__", None)
    spec = host.specs.get(name) if isinstance(name, str) else None
    if spec is None:
        return fn
    mode = spec.get("m")
    if mode == "ts":
        p = _Port(host, fn, name, spec)
        return p.ts_async() if p.is_async else p.ts_sync()
    if mode == "shadow" or spec.get("r"):
        p = _Port(host, fn, name, spec)
        return p.observed_async() if p.is_async else p.observed_sync()
    return fn


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class _Port:
    """One decorated function and its port: binds a call's arguments positionally, encodes them, reads answers."""

    def __init__(self, host, fn, name, spec):
        if inspect.isgeneratorfunction(fn) or inspect.isasyncgenfunction(fn):
            raise TypeError("@port %s: a generator cannot be served by a port, which returns one value; decorate a "
                            "function that returns a list" % name)
        self.host = host
        self.fn = fn
        self.name = name
        self.fallback = bool(spec.get("f"))
        self.sample = float(spec.get("s", 1))
        self.is_async = inspect.iscoroutinefunction(fn)
        self.module = getattr(fn, "__module__", None) or "?"
        self._bind, self.params = _binder(fn, name)
        self.name_json = _json(name)

    # -- arguments ----------------------------------------------------------------------------------------------

    def bind(self, args, kwargs):
        return self._bind(args, kwargs)

    def encode_args(self, argv):
        """-> (flag, JSON text) of the arguments, or raises PortValueError naming where they cannot cross."""
        try:
            tree, tagged, _ = replies.deep(replies.ENCODE_FRAMES_PER_LEVEL, encode_tree, argv)
        except UnsupportedValue as e:
            raise self._args_error(e) from None
        except RecursionError:
            raise self._args_error(UnsupportedValue(
                "value", "they are nested more than %d levels deep or refer to themselves; pass a tree of plain "
                "values" % replies.DEEP_LEVELS)) from None
        body = _json(tree)
        if len(body) > replies.MAX_MESSAGE_CHARS:
            raise self._args_error(UnsupportedValue(
                "arguments", "they are %d characters once encoded, over the bridge's limit of %d per message "
                "(maxMessageChars); send them in pieces" % (len(body), replies.MAX_MESSAGE_CHARS)))
        return ("T" if tagged else "P"), body

    def _args_error(self, e):
        path = list(e.path)
        where = "args" + "".join("[%r]" % s if isinstance(s, str) else "[%s]" % s for s in path)
        param = ""
        if path and isinstance(path[0], int) and path[0] < len(self.params):
            param = " (parameter %r)" % self.params[path[0]]
        hint = e.hint[7:] if e.hint.startswith("return ") else e.hint
        err = PortValueError(
            "%s: cannot send the arguments to the TypeScript port: a %s at %s%s has no exact counterpart in JS; "
            "pass %s, or let the Python original run instead (the port's fallback: 'python')"
            % (self.name, e.type_name, where, param, hint), port=self.name, ts_name=None, ts_message=None)
        err.where = where
        return err

    # -- answers ------------------------------------------------------------------------------------------------

    def read(self, line):
        """An answer line -> (status, value); raises HostClosedError, or the port's error."""
        if line is None:
            raise HostClosedError("%s: the host is gone (the bridge was closed, or the host exited) while this call "
                                  "waited for the TypeScript port" % self.name, port=self.name, ts_name="HostClosed")
        comma = line.find(b",", 1)
        status = line[comma + 1] - 48
        text = line[comma + 3:].decode("utf-8")
        if status == 2:
            return 2, None
        try:
            value = replies.deep(replies.DECODE_FRAMES_PER_LEVEL, decode, text)
        except (UnsupportedValue, RecursionError) as e:
            if self.fallback:
                self.host.send(_HEAD + '"k":"f","n":%s,"counted":1}' % self.name_json)
                return 2, None
            hint = e.hint if isinstance(e, UnsupportedValue) else "it is nested too deeply"
            raise PortValueError("%s: the TypeScript port's result cannot be read in Python: %s"
                                 % (self.name, hint), port=self.name) from None
        if status == 0:
            return 0, value
        raise self._error(value)

    def _error(self, info):
        kind = info.get("kind")
        ts_name = info.get("name")
        ts_message = info.get("message")
        cls = _KINDS.get(kind, PortError)
        err = cls("%s: the TypeScript port failed: %s: %s" % (self.name, ts_name, ts_message), port=self.name,
                  ts_name=ts_name, ts_message=ts_message, ts_stack=info.get("stack"))
        if cls is PortValueError:
            err.where = info.get("where")
        return err

    def _head(self, flag, body):
        return _HEAD + '"k":"c","n":%s,"t":"%s","a":%s,"i":' % (self.name_json, flag, body)

    def _prepare(self, args, kwargs):
        """The call's message head, or None when it must fall back (the arguments cannot cross)."""
        argv = self._bind(args, kwargs)
        try:
            flag, body = self.encode_args(argv)
        except PortValueError:
            if not self.fallback:
                raise
            self.host.send(_HEAD + '"k":"f","n":%s}' % self.name_json)
            return None
        return self._head(flag, body)

    # -- ts mode --------------------------------------------------------------------------------------------------

    def ts_sync(self):
        fn = self.fn
        host = self.host
        prepare = self._prepare
        read = self.read

        @functools.wraps(fn)
        def port_call(*args, **kwargs):
            if host.forked:
                return fn(*args, **kwargs)
            head = prepare(args, kwargs)
            if head is None:
                return fn(*args, **kwargs)
            status, value = read(host.call(head))
            if status == 2:
                return fn(*args, **kwargs)
            return value

        port_call.__pyport__ = (self.name, "ts")
        return port_call

    def ts_async(self):
        fn = self.fn
        host = self.host
        prepare = self._prepare
        read = self.read

        @functools.wraps(fn)
        async def port_call(*args, **kwargs):
            import asyncio

            if host.forked:
                return await fn(*args, **kwargs)
            head = prepare(args, kwargs)
            if head is None:
                return await fn(*args, **kwargs)
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            host.call_async(head, loop, future)
            status, value = read(await future)
            if status == 2:
                return await fn(*args, **kwargs)
            return value

        port_call.__pyport__ = (self.name, "ts")
        return port_call

    # -- shadow mode (and python mode when recording) ------------------------------------------------------------

    def _draw(self):
        sample = self.sample
        if sample >= 1:
            return lambda: True
        if sample <= 0:
            return lambda: False
        from random import random

        return lambda: random() < sample

    def observe_head(self, args, kwargs):
        """The observed call's message head, or None when its arguments cannot cross (it is then not offered)."""
        try:
            flag, body = self.encode_args(self._bind(args, kwargs))
        except Exception:  # PortValueError, or the call's own TypeError (which the function will raise itself)
            return None
        return _HEAD + '"k":"o","n":%s,"t":"%s","a":%s' % (self.name_json, flag, body)

    def note(self, kind, seconds):
        try:
            self.host.send(_HEAD + '"k":"%s","n":%s,"ms":%.6g}' % (kind, self.name_json, seconds * 1000))
        except Exception:
            pass

    def observed(self, head, seconds, value=None, exc=None):
        """Sends what the function did; never raises into the caller, never waits."""
        try:
            if head is None:
                return self.note("x", seconds)
            if exc is not None:
                if not isinstance(exc, Exception):  # cancelled, interrupted: nothing to compare
                    return self.note("x", seconds)
                info = exception_info(exc, skip_frames=1)
                info["module"] = self.module
                tail = ',"ms":%.6g,"ok":0,"e":%s}' % (seconds * 1000, _json(info))
            else:
                tree, tagged, _ = replies.deep(replies.ENCODE_FRAMES_PER_LEVEL, encode_tree, value)
                tail = ',"ms":%.6g,"ok":1,"rt":"%s","r":%s}' % (seconds * 1000, "T" if tagged else "P", _json(tree))
            if len(head) + len(tail) > replies.MAX_MESSAGE_CHARS:
                return self.note("x", seconds)
            self.host.send(head + tail)
        except BaseException:  # a result that cannot cross (or cannot even be converted): not offered
            self.note("x", seconds)

    def observed_sync(self):
        fn = self.fn
        host = self.host
        drawn = self._draw()
        head_of = self.observe_head
        observed = self.observed
        note = self.note

        @functools.wraps(fn)
        def shadowed(*args, **kwargs):
            if host.closed:
                return fn(*args, **kwargs)
            if not drawn():
                t0 = perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    note("n", perf_counter() - t0)
            head = head_of(args, kwargs)  # before the call: what the function received, even if it mutates it
            t0 = perf_counter()
            try:
                value = fn(*args, **kwargs)
            except BaseException as e:
                observed(head, perf_counter() - t0, exc=e)
                raise
            observed(head, perf_counter() - t0, value)
            return value

        shadowed.__pyport__ = (self.name, "shadow")
        return shadowed

    def observed_async(self):
        fn = self.fn
        host = self.host
        drawn = self._draw()
        head_of = self.observe_head
        observed = self.observed
        note = self.note

        @functools.wraps(fn)
        async def shadowed(*args, **kwargs):
            if host.closed:
                return await fn(*args, **kwargs)
            if not drawn():
                t0 = perf_counter()
                try:
                    return await fn(*args, **kwargs)
                finally:
                    note("n", perf_counter() - t0)
            head = head_of(args, kwargs)
            t0 = perf_counter()
            try:
                value = await fn(*args, **kwargs)
            except BaseException as e:
                observed(head, perf_counter() - t0, exc=e)
                raise
            observed(head, perf_counter() - t0, value)
            return value

        shadowed.__pyport__ = (self.name, "shadow")
        return shadowed


def _binder(fn, name):
    """A function binding a call's arguments to the parameters, positionally, defaults filled in (the port gets
    every argument, in order), and the parameter names. Keyword-only parameters and **kwargs cannot be passed to a
    port positionally: refused when decorating."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # no signature (some builtins): positional arguments only
        def bind_any(args, kwargs):
            if kwargs:
                raise TypeError("%s: a port without a signature takes positional arguments only" % name)
            return list(args)
        return bind_any, []
    params = list(sig.parameters.values())
    for p in params:
        if p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD):
            raise TypeError(
                "@port %s: parameter %s is %s, but a TypeScript port receives its arguments by position; make it a "
                "positional parameter" % (name, p.name, "keyword-only" if p.kind == inspect.Parameter.KEYWORD_ONLY
                                          else "**kwargs"))
    n = len(params)
    simple = all(p.kind in _POSITIONAL for p in params)

    def bind(args, kwargs):
        if not kwargs and simple and len(args) == n:
            return list(args)
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return list(bound.args)

    return bind, [p.name for p in params if p.kind in _POSITIONAL]
