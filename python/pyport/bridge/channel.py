"""The socket to the host: one message a line (their format: pythonia.py, ports.py), written from any thread."""
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
    """pyport's socket to the host. A write to a vanished host ends the process."""

    def __init__(self, fd):
        self.sock = socket.socket(fileno=fd)
        self.lock = threading.Lock()
        self.reader = self.sock.makefile("rb", buffering=1 << 16)
        self.readline = self.reader.readline

    def send(self, what):
        """Writes one message (its text, without the newline)."""
        if sys.is_finalizing():
            return  # e.g. a pythonia Proxy freed at shutdown: nobody is listening any more
        try:
            data = (what + "\n").encode("utf-8")
        except UnicodeEncodeError:
            data = (_escape_surrogates(what) + "\n").encode("utf-8")
        try:
            with self.lock:
                self.sock.sendall(data)
        except OSError:
            os._exit(0)

    def lines(self):
        return iter(self.readline, b"")


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
