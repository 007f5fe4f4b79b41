"""The exceptions a port call raises in Python (`from pyport import PortError, ...`), and how an error the host
describes ({kind, name, message, stack, where}) becomes one."""


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


def from_host(port, info):
    """The exception for a port's failure as the host describes it: which PortError subclass (`kind`), and the
    TypeScript error's name, message and stack."""
    kind = info.get("kind")
    ts_name = info.get("name")
    ts_message = info.get("message")
    cls = _KINDS.get(kind, PortError)
    err = cls("%s: the TypeScript port failed: %s: %s" % (port, ts_name, ts_message), port=port,
              ts_name=ts_name, ts_message=ts_message, ts_stack=info.get("stack"))
    if cls is PortValueError:
        err.where = info.get("where")
    return err
