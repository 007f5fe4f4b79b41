"""One @port-decorated function and its port: binds a call's arguments to the signature (positionally), encodes
them as the port's message, decodes the host's answer, and reports what a shadowed call did. The wrappers that
callers call are built from it in port_wrappers.py."""
import inspect
import json

from pyport.bridge import pythonia, replies
from pyport.bridge.codec import UnsupportedValue, decode, encode_tree
from pyport.bridge.errors import exception_info
from pyport.bridge.port_errors import HostClosedError, PortValueError, from_host

_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode
HEAD = pythonia.channel_message("pyport")  # {"c":"pyport", + the message's own members

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


class Port:
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
                self.host.send(HEAD + '"k":"f","n":%s,"counted":1}' % self.name_json)
                return 2, None
            hint = e.hint if isinstance(e, UnsupportedValue) else "it is nested too deeply"
            raise PortValueError("%s: the TypeScript port's result cannot be read in Python: %s"
                                 % (self.name, hint), port=self.name) from None
        if status == 0:
            return 0, value
        raise from_host(self.name, value)

    def _head(self, flag, body):
        return HEAD + '"k":"c","n":%s,"t":"%s","a":%s,"i":' % (self.name_json, flag, body)

    def prepare(self, args, kwargs):
        """The call's message head, or None when it must fall back (the arguments cannot cross)."""
        argv = self._bind(args, kwargs)
        try:
            flag, body = self.encode_args(argv)
        except PortValueError:
            if not self.fallback:
                raise
            self.host.send(HEAD + '"k":"f","n":%s}' % self.name_json)
            return None
        return self._head(flag, body)

    # -- shadow mode (and python mode when recording) ------------------------------------------------------------

    def draw(self):
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
        return HEAD + '"k":"o","n":%s,"t":"%s","a":%s' % (self.name_json, flag, body)

    def note(self, kind, seconds):
        try:
            self.host.send(HEAD + '"k":"%s","n":%s,"ms":%.6g}' % (kind, self.name_json, seconds * 1000))
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
