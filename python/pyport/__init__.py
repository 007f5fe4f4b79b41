"""The Python side of pyport. Standard library only.

  pyport.bridge    the call shim of PythonBridge and PythonPool, @port, `pyport run`'s entry
  pyport.profile   the profiler of `pyport profile` and its calibration probes

User code imports the port decorator and its errors from here (`from pyport import port, PortError`); they are
loaded on first use, so importing pyport costs nothing otherwise. See bridge/ports.py.
"""

_PORT_NAMES = frozenset(("port", "PortError", "PortTimeoutError", "PortCrashedError", "PortValueError", "HostClosedError"))


def __getattr__(name):
    if name in _PORT_NAMES:
        from pyport.bridge import ports

        return getattr(ports, name)
    raise AttributeError("module 'pyport' has no attribute %r" % (name,))
