"""Iterators the host streams: items go in batches of up to `most`, cut short once a batch has taken STREAM_WINDOW_S
(so a slow token stream still arrives token by token). An exception after some items is raised at the next batch,
so the host gets every item yielded before it. An iterator that ends or raises is released."""
from time import perf_counter

from pyport.bridge import replies
from pyport.bridge.objects import registry

STREAM_WINDOW_S = 0.005


def _batch(items, done, oid, t0, job):
    if done:
        registry.release([oid])
    return replies.result({"items": items, "done": done}, perf_counter() - t0, job.queued_seconds)


def _raised(exc, items, oid, t0, job):
    if items:  # send what came before it first
        registry.errors[oid] = exc
        return _batch(items, False, oid, t0, job)
    registry.release([oid])
    return replies.exception(exc, skip_frames=0, elapsed=perf_counter() - t0, queued=job.queued_seconds)


def next_sync(job, it, oid, most):
    t0 = perf_counter()
    pending = registry.errors.pop(oid, None)
    if pending is not None:
        return _raised(pending, [], oid, t0, job)
    items = []
    try:
        while len(items) < most:
            try:
                items.append(next(it))
            except StopIteration:
                return _batch(items, True, oid, t0, job)
            if perf_counter() - t0 > STREAM_WINDOW_S:
                break
    except BaseException as e:
        return _raised(e, items, oid, t0, job)
    return _batch(items, False, oid, t0, job)


async def next_async(job, it, oid, most):
    """The reply text itself (on_async_items passes it on)."""
    t0 = perf_counter()
    pending = registry.errors.pop(oid, None)
    if pending is not None:
        return _raised(pending, [], oid, t0, job)
    items = []
    try:
        while len(items) < most:
            try:
                items.append(await it.__anext__())
            except StopAsyncIteration:
                return _batch(items, True, oid, t0, job)
            if perf_counter() - t0 > STREAM_WINDOW_S:
                break
    except Exception as e:  # CancelledError (a timeout) goes on to the dispatcher
        return _raised(e, items, oid, t0, job)
    return _batch(items, False, oid, t0, job)


def on_async_items(job, oid):
    def on_result(text, exc):
        if exc is not None:
            registry.release([oid])
            return replies.exception(exc, skip_frames=0, queued=job.queued_seconds)
        return text
    return on_result


def close_sync(job, it, oid):
    """Closes a generator (its finally blocks run) and releases it."""
    try:
        close = getattr(it, "close", None)
        if close is not None:
            close()
    except BaseException as e:
        return replies.exception(e, queued=job.queued_seconds)
    finally:
        registry.release([oid])
    return replies.message(replies.OK, True)


def on_closed(job, oid):
    def on_result(_value, exc):
        registry.release([oid])
        if exc is not None:
            return replies.exception(exc, skip_frames=0, queued=job.queued_seconds)
        return replies.message(replies.OK, True)
    return on_result
