"""pyport's Python process: pythonia's Bridge.py as the dispatcher, fed by pyport's own pipe, with a shim that
wraps every call in a safe envelope.

Started by src/bridge/python-process.ts as `python3 -u shim.py` with:
  PYPORT_FD        the file descriptor of the socket to the host (newline-delimited JSON, pythonia's protocol)
  PYPORT_PYTHONIA  the folder holding pythonia's Bridge.py

The host calls Bridge.m[0]["pyport"].handle(request) through pythonia's `pcall`; `handle` never raises: it
returns a message "P"/"T" + JSON of [status, payload] with status 0 (value), 1 (Python exception) or
2 (a value that cannot cross). See bridge_codec.py for the value mapping.
"""
import json
import os
import signal
import socket
import sys
import threading
import time
from time import perf_counter

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[0] = os.path.dirname(_HERE)  # import pyport.* without putting python/pyport itself on the path
from pyport.bridge_codec import MAX_SAFE, UnsupportedValue, conversion_failed, decode, encode_tree  # noqa: E402
from pyport.bridge_errors import exception_info  # noqa: E402
from pyport.bridge_modules import Modules  # noqa: E402
from pyport import sentinel  # noqa: E402


_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode
_PLAIN_SCALARS = (str, bool, type(None))


def _message(status, payload, tagged, elapsed=0.0):
    """[status, payload, seconds spent inside the user's function]"""
    return ("T[%d," if tagged else "P[%d,") % status + _json(payload) + (",%.6g]" % elapsed)


# Values nest this deep in both directions. The encoder takes about 3 frames a level (4 for subclasses), and
# Python's JSON reader and writer count against the recursion limit too (1 a level), so the limit is raised
# around them, only when the default one was not enough (a retry: the common shallow value pays nothing).
DEEP_LEVELS = 1000
_ENCODE_FRAMES_PER_LEVEL = 4
_DECODE_FRAMES_PER_LEVEL = 1


def _deep(frames_per_level, work, *args):
    """work(*args), retried with room for DEEP_LEVELS levels of nesting if the recursion limit was hit."""
    try:
        return work(*args)
    except RecursionError:
        pass
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit + frames_per_level * DEEP_LEVELS + 100)
    try:
        return work(*args)
    finally:
        sys.setrecursionlimit(limit)


def _encode_reply(value, elapsed):
    tree, tagged = encode_tree(value)
    return _message(0, tree, tagged, elapsed)


def _result(value, elapsed):
    """Fast path for the common small results; everything else goes through the codec."""
    t = type(value)
    if t in _PLAIN_SCALARS or (t is int and -MAX_SAFE <= value <= MAX_SAFE):
        return "P[0," + _json(value) + (",%.6g]" % elapsed)
    try:
        return _deep(_ENCODE_FRAMES_PER_LEVEL, _encode_reply, value, elapsed)
    except UnsupportedValue as e:
        return _unsupported(e, elapsed)
    except RecursionError:
        return _unsupported(UnsupportedValue("object", "the result is nested more than %d levels deep or refers to "
                                             "itself; return a tree of plain values" % DEEP_LEVELS), elapsed)
    except BaseException as e:  # never reported as if the user's function had raised: it returned
        return _unsupported(conversion_failed(value, e), elapsed)


def _exception(exc, skip_frames=1, elapsed=0.0, **extra):
    info = exception_info(exc, skip_frames)
    info.update(extra)
    return _message(1, info, False, elapsed)


def _unsupported(err, elapsed=0.0, **extra):
    info = err.info()
    info.update(extra)
    return _message(2, info, False, elapsed)


class Shim:
    """What the host calls. One method, so one pythonia round trip per call or per batch."""

    def __init__(self):
        self.modules = Modules()

    def handle(self, request):
        try:
            msg = _deep(_DECODE_FRAMES_PER_LEVEL, decode, request)
        except UnsupportedValue as e:
            return _unsupported(e)
        except RecursionError:
            return _unsupported(UnsupportedValue("value", "the arguments are nested more than %d levels deep; "
                                                 "flatten them" % DEEP_LEVELS, direction="to-python"))
        except BaseException as e:
            return _exception(e, skip_frames=0, internal=True)
        try:
            op = msg[0]
            if op == "c":
                return self.call(msg[1], msg[2], msg[3], msg[4])
            if op == "m":
                return self.map(msg[1], msg[2], msg[3], msg[4], msg[5] if len(msg) > 5 else 0)
            if op == "i":
                return self.load(msg[1])
            return _message(1, {"pythonType": "pyport.ProtocolError", "message": "unknown op %r" % (op,),
                                "traceback": "", "frames": []}, False)
        except BaseException as e:  # the shim itself failed: still answer, never take the process down
            return _exception(e, skip_frames=0, internal=True)

    def _lookup(self, key, name):
        """The function, or an error message (module import failures keep their traceback)."""
        try:
            return self.modules.function(key, name), None
        except BaseException as e:
            return None, _exception(e, skip_frames=self.modules.frames_to_skip(e), stage="import")

    def load(self, key):
        try:
            mod = self.modules.get(key)
        except BaseException as e:
            return _exception(e, skip_frames=self.modules.frames_to_skip(e), stage="import")
        return _message(0, {"name": mod.__name__, "file": getattr(mod, "__file__", None)}, False)

    def call(self, key, name, args, kwargs):
        fn, err = self._lookup(key, name)
        if err is not None:
            return err
        t0 = perf_counter()
        try:
            result = fn(*args, **kwargs) if kwargs else fn(*args)
        except BaseException as e:
            return _exception(e, elapsed=perf_counter() - t0)
        return _result(result, perf_counter() - t0)

    def map(self, key, name, args_list, kwargs, base=0):
        """Every item runs, even after one fails; the first failure (by index) is reported with its index
        (`base` + position: a pool sends slices of one list)."""
        fn, err = self._lookup(key, name)
        if err is not None:
            return err
        kwargs = kwargs or {}
        results = []
        first_error = None
        t0 = perf_counter()
        for i, args in enumerate(args_list):
            try:
                results.append(fn(*args, **kwargs))
            except BaseException as e:
                results.append(None)
                if first_error is None:
                    first_error = (e, base + i)
        elapsed = perf_counter() - t0
        if first_error is not None:
            return _exception(first_error[0], elapsed=elapsed, index=first_error[1])
        try:
            return _deep(_ENCODE_FRAMES_PER_LEVEL, _encode_reply, results, elapsed)
        except UnsupportedValue as e:
            if e.path:
                e.path[0] += base
            return _unsupported(e, elapsed, index=e.path[0] if e.path else None)
        except RecursionError:
            return _unsupported(UnsupportedValue("object", "a result is nested more than %d levels deep or refers to "
                                                 "itself" % DEEP_LEVELS), elapsed)
        except BaseException as e:
            return _unsupported(conversion_failed(results, e), elapsed)


class Ipc:
    """pythonia's Ipc (interface.py), writing to pyport's socket; a write to a vanished host ends the process."""

    def __init__(self, sock):
        self.sock = sock
        self.readline = None

    def queue(self, what):
        if sys.is_finalizing():
            return  # a pythonia Proxy freed at shutdown: nobody is listening any more
        data = what if type(what) is str else json.dumps(what)
        try:
            self.sock.sendall((data + "\n").encode("utf-8"))
        except OSError:
            os._exit(0)


def _watch_host(fd):
    """No Python outlives its host, even in the middle of a long call.

    The host is not necessarily our parent: a launcher script that does not `exec` (conda, uv, a custom
    wrapper) sits between us, so the reliable signal is the socket hang-up, not the parent's pid. An idle main
    loop sees the same hang-up as EOF and exits on its own; this thread covers a busy one.
    """
    try:  # Linux: the kernel kills us when our parent (the host, or the launcher the host kills) dies
        import ctypes

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass
    import select

    parent = os.getppid()

    def watch():
        if hasattr(select, "POLLRDHUP"):
            poller = select.poll()
            poller.register(fd, select.POLLRDHUP)
            while not poller.poll():
                pass
            time.sleep(0.5)  # an idle main loop sees EOF and exits cleanly first
        else:  # no hang-up event to wait for (macOS): notice our parent (host or launcher) going away
            while os.getppid() == parent:
                time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="pyport-host-watch", daemon=True).start()


_HANDLE = ["pyport", "handle"]


def _load_pythonia_bridge(folder):
    sys.path.insert(0, folder)
    try:
        from Bridge import Bridge
    finally:
        sys.path.remove(folder)
        for name in ("Bridge", "proxy", "json_patch"):  # keep user modules of these names importable
            sys.modules.pop(name, None)
    return Bridge


def main():
    fd = int(os.environ.pop("PYPORT_FD"))
    pythonia = os.environ.pop("PYPORT_PYTHONIA")
    sentinel.start()  # kills this interpreter's process group (a GIL-holding call, children, a launcher) if the host dies
    _watch_host(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the host's to handle; EOF then ends us
    sys.path[0] = os.getcwd()  # module names resolve against the bridge's cwd, as with `python -c`

    Bridge = _load_pythonia_bridge(pythonia)
    sock = socket.socket(fileno=fd)
    ipc = Ipc(sock)
    bridge = Bridge(ipc)
    shim = Shim()
    bridge.m[0]["pyport"] = shim
    reader = sock.makefile("rb", buffering=1 << 16)
    ipc.readline = reader.readline
    on_message = bridge.onMessage
    handle = shim.handle
    for line in iter(reader.readline, b""):
        if line[:1] != b"{":
            continue
        j = json.loads(line)
        if j["ffid"] == 0 and j["action"] == "pcall" and j["key"] == _HANDLE:
            # Answered here, not by Bridge.py's generic proxy walk (half of the Python-side cost of a tiny call),
            # and the reply is embedded as JSON ["P"|"T", reply] rather than as an escaped string, so neither side
            # encodes or parses it twice. Every other message goes to Bridge.py.
            text = handle(j["val"][0][0])
            ipc.queue('{"r":%d,"key":"string","val":["%s",%s],"sig":""}' % (j["r"], text[0], text[1:]))
            continue
        on_message(j["r"], j["action"], j["ffid"], j["key"], j["val"])
    if hasattr(os, "JSPyBridge"):
        del os.JSPyBridge  # pythonia's handle back to JS; freeing it at exit would write to a closed socket


if __name__ == "__main__":
    main()
