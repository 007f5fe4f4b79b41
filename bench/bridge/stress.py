"""Fixtures of bench/bridge/at-most-once.ts: each call appends "<id> <pid>" to a log file first, then sleeps, so the
log says which calls ran, how many times, and on which interpreter, whichever interpreter ran them."""
import asyncio
import os
import time


def _log(path, call_id):
    # one short write on an O_APPEND descriptor: lines from several threads and interpreters never interleave
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, b"%d %d\n" % (call_id, os.getpid()))
    finally:
        os.close(fd)


def work(path, call_id, seconds):
    """A synchronous call: runs on one of the interpreter's call threads."""
    _log(path, call_id)
    time.sleep(seconds)
    return call_id


async def work_async(path, call_id, seconds):
    """An `async def` call: runs on the interpreter's event loop."""
    _log(path, call_id)
    await asyncio.sleep(seconds)
    return call_id


def pid():
    return os.getpid()
