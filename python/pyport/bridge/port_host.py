"""The host as @port sees it: the socket, the ports the host serves (PYPORT_PORTS), and the port calls waiting for
an answer, each on a lock (a thread, without the GIL) or a future (a coroutine). The socket's reader hands each
answer line to its waiter; end of input fails them all with HostClosedError."""
import itertools
import json
import os
import threading

from pyport.bridge.port_errors import HostClosedError

current = None  # set by attach(), from the shim or `pyport run`'s entry, before any user code runs


class _Waiter:
    """A thread waiting for its port's answer: blocked on a lock, which holds no GIL."""

    __slots__ = ("lock", "line")

    def __init__(self):
        self.lock = threading.Lock()
        self.lock.acquire()
        self.line = None

    def settle(self, line):
        self.line = line
        self.lock.release()


class _AsyncWaiter:
    """A coroutine awaiting its port's answer: the reader thread resolves its future through the loop."""

    __slots__ = ("loop", "future")

    def __init__(self, loop, future):
        self.loop = loop
        self.future = future

    def settle(self, line):
        try:
            self.loop.call_soon_threadsafe(_resolve, self.future, line)
        except RuntimeError:  # its loop is closed: nobody waits any more
            pass


def _resolve(future, line):
    if not future.done():  # cancelled meanwhile
        future.set_result(line)


class _Host:
    """The host as the ports see it: the socket, the ports it serves, and the calls waiting for it."""

    def __init__(self, channel, specs, hand_over):
        self.channel = channel
        self.specs = specs
        self.hand_over = hand_over
        self.lock = threading.Lock()
        self.waiting = {}
        self.ids = itertools.count(1)
        self.closed = False
        self.forked = False
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        """A forked child (multiprocessing's fork) shares the socket but is not the host's to answer: its ports
        run the Python original, and it sends nothing."""
        self.forked = True
        self.closed = True
        self.waiting = {}
        self.lock = threading.Lock()

    def send(self, text):
        """A message nothing waits for: posted, so the caller pays no system call for it (Channel.post)."""
        if not self.closed:
            self.channel.post(text)

    def call(self, head):
        """Sends a call (`head` + its id) and waits for the answer line, without the GIL."""
        waiter = _Waiter()
        cid = self._register(waiter)
        self.channel.send(head + "%d}" % cid)
        self.hand_over()  # this thread may be the one reading the socket: another one reads the answer then
        waiter.lock.acquire()
        return waiter.line

    def call_async(self, head, loop, future):
        cid = self._register(_AsyncWaiter(loop, future))
        self.channel.send(head + "%d}" % cid)

    def _register(self, waiter):
        with self.lock:
            if self.closed:
                raise HostClosedError("the host is gone (the bridge was closed, or the host exited): no port can "
                                      "answer", ts_name="HostClosed")
            cid = next(self.ids)
            self.waiting[cid] = waiter
        return cid

    def answer(self, line):
        """The reader thread read an answer line ("q<id>,..."): hand it to its waiter."""
        comma = line.find(b",", 1)
        try:
            cid = int(line[1:comma])
        except ValueError:
            return
        with self.lock:
            waiter = self.waiting.pop(cid, None)
        if waiter is not None:
            waiter.settle(line)

    def host_closed(self):
        """End of input: the host is gone. Every waiting port call raises HostClosedError now, and so do later ones."""
        with self.lock:
            self.closed = True
            waiting = list(self.waiting.values())
            self.waiting.clear()
        for w in waiting:
            w.settle(None)


def attach(channel, spec_text, hand_over):
    """From the shim: the host serves these ports (PYPORT_PORTS: {name: {"m": mode, "f": fallback, "s": sample,
    "r": recording}}). Returns the host, whose answer() and host_closed() the socket's reader calls."""
    global current
    current = _Host(channel, json.loads(spec_text), hand_over)
    return current
