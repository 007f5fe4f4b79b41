"""The replies the shim sends: "P"/"T" + JSON of [status, payload, seconds in the function, seconds queued].

status 0 a value, 1 a Python exception, 2 a value that cannot cross, 3 cancelled ({"started": bool}).
A reply never raises: whatever goes wrong while building it is reported as what it is.
"""
import json
import os
import sys

from pyport.bridge.codec import MAX_SAFE, UnsupportedValue, conversion_failed, encode_tree
from pyport.bridge.errors import exception_info
from pyport.bridge.objects import registry

OK, RAISED, UNSUPPORTED, CANCELLED = 0, 1, 2, 3

_json = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode
_PLAIN_SCALARS = (str, bool, type(None))

# The host cannot hold a line longer than V8's string limit; a result over this many characters is refused here,
# as a typed error, instead of reaching the host at all.
MAX_MESSAGE_CHARS = int(os.environ.get("PYPORT_MAX_MESSAGE_CHARS") or 256 * 1024 * 1024)

# Values nest this deep in both directions. The encoder takes about 3 frames a level (4 for subclasses), and
# Python's JSON reader and writer count against the recursion limit too (1 a level), so the limit is raised
# around them, only when the default one was not enough (a retry: the common shallow value pays nothing).
DEEP_LEVELS = 1000
ENCODE_FRAMES_PER_LEVEL = 4
DECODE_FRAMES_PER_LEVEL = 1


def deep(frames_per_level, work, *args):
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


def message(status, payload, tagged=False, elapsed=0.0, queued=0.0):
    return ("T[%d," if tagged else "P[%d,") % status + _json(payload) + (",%.6g,%.6g]" % (elapsed, queued))


def _encode(value, elapsed, queued):
    tree, tagged, refs = encode_tree(value, registry)
    text = message(OK, tree, tagged, elapsed, queued)
    if refs and len(text) > MAX_MESSAGE_CHARS:
        registry.release(refs)  # refused below: the host never sees these handles
    return text


def _chars(n):
    for unit, size in (("Gi", 1 << 30), ("Mi", 1 << 20), ("ki", 1 << 10)):
        if n >= size:
            return "%.1f %s characters" % (n / size, unit)
    return "%d characters" % n


def _too_large(value, chars, elapsed, queued):
    err = UnsupportedValue(
        type(value).__name__,
        "the result is %s once encoded, over the bridge's limit of %s per message (maxMessageChars); return it in "
        "pieces (several calls, or a generator, which streams as a PythonIterator)" % (_chars(chars), _chars(MAX_MESSAGE_CHARS)))
    return unsupported(err, elapsed, queued)


def result(value, elapsed=0.0, queued=0.0, index_base=None):
    """The reply for a returned value: the value, or why it cannot cross. Never blamed on the function.
    `index_base` marks `value` as a map's results: a failure is named by its index in the whole list."""
    try:
        t = type(value)
        if t in _PLAIN_SCALARS or (t is int and -MAX_SAFE <= value <= MAX_SAFE):
            text = "P[0," + _json(value) + (",%.6g,%.6g]" % (elapsed, queued))
        else:
            text = deep(ENCODE_FRAMES_PER_LEVEL, _encode, value, elapsed, queued)
    except UnsupportedValue as e:
        if index_base is None:
            return unsupported(e, elapsed, queued)
        if e.path and isinstance(e.path[0], int):
            e.path[0] += index_base
        return unsupported(e, elapsed, queued, index=e.path[0] if e.path else None)
    except RecursionError:
        return unsupported(UnsupportedValue("object", "the result is nested more than %d levels deep or refers to "
                                            "itself; return a tree of plain values" % DEEP_LEVELS), elapsed, queued)
    except MemoryError:
        return unsupported(UnsupportedValue(type(value).__name__, "encoding the result ran out of memory; return it "
                                            "in pieces (several calls, or a generator, which streams)"), elapsed, queued)
    except BaseException as e:  # the value's own code raised while it was converted: it returned, it did not raise
        return unsupported(conversion_failed(value, e), elapsed, queued)
    if len(text) > MAX_MESSAGE_CHARS:
        return _too_large(value, len(text), elapsed, queued)
    return text


def exception(exc, skip_frames=1, elapsed=0.0, queued=0.0, **extra):
    info = exception_info(exc, skip_frames)
    info.update(extra)
    return message(RAISED, info, False, elapsed, queued)


def unsupported(err, elapsed=0.0, queued=0.0, **extra):
    info = err.info()
    info.update(extra)
    return message(UNSUPPORTED, info, False, elapsed, queued)


def cancelled(started, elapsed=0.0, queued=0.0):
    return message(CANCELLED, {"started": started}, False, elapsed, queued)


def internal(exc):
    """pyport itself failed around a call (not the user's code)."""
    return exception(exc, skip_frames=0, internal=True)
