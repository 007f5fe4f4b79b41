"""What a decorated function becomes, by the port's mode (ports.py decides which): in ts mode a call that waits for
the host's port; in shadow mode (and python mode when recording) the function itself, observed. Each comes in a
sync and an async twin: an `async def` stays awaitable."""
import functools
from time import perf_counter


def ts_sync(p):
    """Each call runs on the host's port; the thread waits without the GIL. Falls back to the function when the
    port's fallback says so, and in a forked child."""
    fn = p.fn
    host = p.host
    prepare = p.prepare
    read = p.read

    @functools.wraps(fn)
    def port_call(*args, **kwargs):
        if host.forked:
            return fn(*args, **kwargs)
        head = prepare(args, kwargs)
        if head is None:
            return fn(*args, **kwargs)
        status, value = read(host.call(head))
        if status == 2:
            return fn(*args, **kwargs)
        return value

    port_call.__pyport__ = (p.name, "ts")
    return port_call


def ts_async(p):
    fn = p.fn
    host = p.host
    prepare = p.prepare
    read = p.read

    @functools.wraps(fn)
    async def port_call(*args, **kwargs):
        import asyncio

        if host.forked:
            return await fn(*args, **kwargs)
        head = prepare(args, kwargs)
        if head is None:
            return await fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        host.call_async(head, loop, future)
        status, value = read(await future)
        if status == 2:
            return await fn(*args, **kwargs)
        return value

    port_call.__pyport__ = (p.name, "ts")
    return port_call


def observed_sync(p):
    """The function runs and returns as it is; what it received and did goes to the host, which nothing waits for."""
    fn = p.fn
    host = p.host
    drawn = p.draw()
    head_of = p.observe_head
    observed = p.observed
    note = p.note

    @functools.wraps(fn)
    def shadowed(*args, **kwargs):
        if host.closed:
            return fn(*args, **kwargs)
        if not drawn():
            t0 = perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                note("n", perf_counter() - t0)
        head = head_of(args, kwargs)  # before the call: what the function received, even if it mutates it
        t0 = perf_counter()
        try:
            value = fn(*args, **kwargs)
        except BaseException as e:
            observed(head, perf_counter() - t0, exc=e)
            raise
        observed(head, perf_counter() - t0, value)
        return value

    shadowed.__pyport__ = (p.name, "shadow")
    return shadowed

def observed_async(p):
    fn = p.fn
    host = p.host
    drawn = p.draw()
    head_of = p.observe_head
    observed = p.observed
    note = p.note

    @functools.wraps(fn)
    async def shadowed(*args, **kwargs):
        if host.closed:
            return await fn(*args, **kwargs)
        if not drawn():
            t0 = perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                note("n", perf_counter() - t0)
        head = head_of(args, kwargs)
        t0 = perf_counter()
        try:
            value = await fn(*args, **kwargs)
        except BaseException as e:
            observed(head, perf_counter() - t0, exc=e)
            raise
        observed(head, perf_counter() - t0, value)
        return value

    shadowed.__pyport__ = (p.name, "shadow")
    return shadowed
