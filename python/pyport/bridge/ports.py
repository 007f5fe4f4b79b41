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

The pieces: port_host.py (the host, the socket's answers, the waiting calls), port_call.py (one decorated function:
its arguments and the host's answers), port_wrappers.py (what the function becomes in each mode), port_errors.py
(PortError and its subclasses).

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

from pyport.bridge import port_host
from pyport.bridge import port_wrappers as wrappers
from pyport.bridge.port_call import Port
from pyport.bridge.port_errors import (  # noqa: F401 (re-exported: `from pyport import PortError, ...`)
    HostClosedError,
    PortCrashedError,
    PortError,
    PortTimeoutError,
    PortValueError,
)
from pyport.bridge.port_host import attach  # noqa: F401 (the shim and `pyport run` attach the host here)


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
    host = port_host.current
    if host is None:
        return fn
    if name is None:
        name = getattr(fn, "__name__", None)
    spec = host.specs.get(name) if isinstance(name, str) else None
    if spec is None:
        return fn
    mode = spec.get("m")
    if mode == "ts":
        p = Port(host, fn, name, spec)
        return wrappers.ts_async(p) if p.is_async else wrappers.ts_sync(p)
    if mode == "shadow" or spec.get("r"):
        p = Port(host, fn, name, spec)
        return wrappers.observed_async(p) if p.is_async else wrappers.observed_sync(p)
    return fn
