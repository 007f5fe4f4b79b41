"""The Python side of pyport: the call shim, the profiler and the article runner. Standard library only.

User code imports the port decorator and its errors from here (`from pyport import port, PortError`); they are
loaded on first use, so importing pyport costs nothing otherwise. See ports.py.
"""

_PORT_NAMES = frozenset(("port", "PortError", "PortTimeoutError", "PortCrashedError", "PortValueError", "HostClosedError"))


def __getattr__(name):
    if name in _PORT_NAMES:
        from pyport import ports

        return getattr(ports, name)
    raise AttributeError("module 'pyport' has no attribute %r" % (name,))
