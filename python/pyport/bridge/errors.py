"""Exceptions raised by user code, turned into plain data the host rebuilds as PythonError."""
import traceback


def _type_name(exc):
    t = type(exc)
    mod = t.__module__
    return t.__qualname__ if mod in ("builtins", None) else "%s.%s" % (mod, t.__qualname__)


def _safe_str(exc):
    try:
        return str(exc)
    except BaseException:  # a broken __str__ must not take the shim down
        return "<str() of the exception failed>"


def exception_info(exc, skip_frames=0):
    """exc -> {pythonType, message, traceback, frames}. `skip_frames` drops the shim's own frames."""
    tb = exc.__traceback__
    for _ in range(skip_frames):
        if tb is not None:
            tb = tb.tb_next
    try:
        text = "".join(traceback.format_exception(type(exc), exc, tb))
        frames = [
            {"file": f.filename, "line": f.lineno, "function": f.name, "code": f.line or ""}
            for f in traceback.extract_tb(tb)
        ]
    except BaseException:
        text, frames = "%s: %s\n" % (_type_name(exc), _safe_str(exc)), []
    return {"pythonType": _type_name(exc), "message": _safe_str(exc), "traceback": text, "frames": frames}
