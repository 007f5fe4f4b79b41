"""The socket to the host: one message a line (their format: pythonia.py, ports.py), written from any thread."""
import atexit
import fcntl
import os
import re
import select
import signal
import socket
import sys
import threading
import time

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogates(text):
    # A lone surrogate can only sit inside a JSON string, where its \\u escape means the same thing.
    return _SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), text)


def private_fd(fd):
    """Moves the host's socket off the well-known fd, so user code writing to fd 3 (or closing it) cannot corrupt
    the channel; the new fd is not inherited by child processes."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100)
    os.close(fd)
    return moved


class Channel:
    """pyport's socket to the host. A write to a vanished host ends the process.

    Two kinds of writes: send() for a message someone waits for (a reply, a port call), written at once; post() for
    one nothing waits for (what a shadowed call did), kept and written with the next send(), or by a flusher thread
    at most POST_DELAY_S after it was posted, or at exit. So a shadowed function pays no system call and wakes no
    host thread per call (measured: about 3 % of a 1.4 ms function, on 2 cores), and the host still sees every
    observation before the reply of the call that made it, in order."""

    POST_DELAY_S = 0.02
    POST_MAX_BYTES = 1 << 16  # a bigger backlog is written at once, by the thread that posts

    def __init__(self, fd):
        self.sock = socket.socket(fileno=fd)
        self.lock = threading.Lock()  # the socket's writes and the posted backlog
        self.reader = self.sock.makefile("rb", buffering=1 << 16)
        self.readline = self.reader.readline
        self._posted = []
        self._posted_bytes = 0
        self._flusher = None  # threading.Event that wakes the flusher thread, once one runs
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        # the parent's backlog is the parent's to write; the flusher thread does not exist in the child
        self._posted = []
        self._posted_bytes = 0
        self._flusher = None
        self.lock = threading.Lock()

    def send(self, what):
        """Writes one message (its text, without the newline), after anything posted before it."""
        if sys.is_finalizing():
            return  # e.g. a pythonia Proxy freed at shutdown: nobody is listening any more
        self._write(_line(what))

    def post(self, what):
        """Queues one message nothing waits for; it is written with the next send(), or within POST_DELAY_S."""
        data = _line(what)
        with self.lock:
            first = not self._posted
            self._posted.append(data)
            self._posted_bytes += len(data)
            full = self._posted_bytes >= self.POST_MAX_BYTES
            wake = self._flusher
            if first and wake is None:
                wake = self._flusher = threading.Event()
                atexit.register(self.flush)
                threading.Thread(target=self._flush_loop, args=(wake,), name="pyport-post-flush", daemon=True).start()
        if full:
            self.flush()
        elif first:
            wake.set()

    def flush(self):
        """Writes what was posted and not yet written."""
        if sys.is_finalizing():
            return
        self._write(b"")

    def _write(self, data):
        """Writes what was posted, then `data` (b"" for nothing more), in one write."""
        try:
            with self.lock:
                if self._posted:
                    self._posted.append(data)
                    data = b"".join(self._posted)
                    self._posted = []
                    self._posted_bytes = 0
                if data:
                    self.sock.sendall(data)
        except OSError:
            os._exit(0)

    def _flush_loop(self, wake):
        while True:
            wake.wait()
            wake.clear()
            time.sleep(self.POST_DELAY_S)
            self.flush()

    def lines(self):
        return iter(self.readline, b"")


def _line(what):
    try:
        return (what + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (_escape_surrogates(what) + "\n").encode("utf-8")


def watch_host(fd):
    """No Python outlives its host, even in the middle of a long call.

    The host is not necessarily our parent: a launcher script that does not `exec` (conda, uv, a custom
    wrapper) sits between us, so the reliable signal is the socket hang-up, not the parent's pid. An idle reader
    sees the same hang-up as EOF and exits on its own; this thread covers a busy one.
    """
    try:  # Linux: the kernel kills us when our parent (the host, or the launcher the host kills) dies
        import ctypes

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:
        pass

    parent = os.getppid()

    def watch():
        if hasattr(select, "POLLRDHUP"):
            poller = select.poll()
            poller.register(fd, select.POLLRDHUP)
            while not poller.poll():
                pass
            time.sleep(0.5)  # an idle reader sees EOF and exits cleanly first
        else:  # no hang-up event to wait for (macOS): notice our parent (host or launcher) going away
            while os.getppid() == parent:
                time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="pyport-host-watch", daemon=True).start()
