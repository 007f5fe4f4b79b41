"""pyport's Python process: pythonia's Bridge.py as the dispatcher of last resort, fed by pyport's own socket, and
the shim that answers the host's requests (requests.py routes them, calls.py runs them). This module boots it and
runs its read loop until the host closes the socket.

Started by src/bridge/python-process.ts as `python3 -u -c <boot> <python dir>` with:
  PYPORT_FD           the file descriptor of the socket to the host (newline-delimited JSON, pythonia's protocol)
  PYPORT_PYTHONIA     the folder holding pythonia's Bridge.py
  PYPORT_CONCURRENCY  how many synchronous calls may run at once (threads)
  PYPORT_MAX_MESSAGE_CHARS  the longest reply the host accepts
  PYPORT_PORTS        (only with the `ports` option) the ports the host serves and their modes, for @port (ports.py)

Threads: one thread always reads the socket (so a cancel is seen while calls run), sync calls run on up to
`concurrency` threads, `async def` calls on the asyncio loop of the main thread. See dispatch.py.

The host calls Bridge.m[0]["pyport"].handle(request) through pythonia's `pcall` (the wire format: pythonia.py); the
requests: requests.py. Lines starting with "q" are the host's answers to port calls (see ports.py), handed to the
thread waiting for each.
"""
import os
import signal
import sys

from pyport.bridge import pythonia, replies, sentinel
from pyport.bridge.calls import Calls
from pyport.bridge.channel import Channel, private_fd, watch_host
from pyport.bridge.requests import Requests, reader


def _lead_own_group():
    """Makes this interpreter the leader of a process group of its own, before it starts anything, so the host can
    stop everything a call starts with one signal. setpgid, not setsid: on Linux a new session is also a new
    scheduler autogroup, and every round trip between the host and Python would cross groups (measured: about
    twice the per-call cost on a loaded 2-core machine). Returns the group id, or None where there are no groups."""
    try:
        os.setpgid(0, 0)
        return os.getpgid(0)
    except (AttributeError, OSError):
        return None


def main():
    env = os.environ
    pgid = _lead_own_group()
    fd = private_fd(int(env.pop("PYPORT_FD")))
    pythonia_dir = env.pop("PYPORT_PYTHONIA")
    concurrency = int(env.pop("PYPORT_CONCURRENCY", "1"))
    replies.MAX_MESSAGE_CHARS = int(env.pop("PYPORT_MAX_MESSAGE_CHARS", replies.MAX_MESSAGE_CHARS))
    ports_spec = env.pop("PYPORT_PORTS", None)
    sentinel.start()  # kills this interpreter's process group (a GIL-holding call, children, a launcher) if the host dies
    watch_host(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the host's to handle; EOF then ends us

    channel = Channel(fd)
    if pgid is not None:
        channel.send(pythonia.channel_message("pyport-group", '"pgid":%d}' % pgid))  # whom the host signals to stop us

    def reply(r, text):
        channel.send(pythonia.reply(r, text))

    calls = Calls(reply, concurrency)
    requests = Requests(calls, reply)
    bridge = pythonia.start_bridge(pythonia_dir, channel, requests)
    ports_host = None
    if ports_spec:  # before any user code runs: @port decides when it decorates
        from pyport.bridge import ports

        ports_host = ports.attach(channel, ports_spec, calls.dispatch.hand_over_reading)

    # Everything pyport needs is imported: only now may the user's files shadow module names. Module names
    # resolve against the bridge's cwd, as with `python -c`; pyport's own package stays importable, last.
    ours = sys.path[0]
    sys.path[0] = os.getcwd()
    sys.path.append(ours)
    sys.argv = ["-c"]

    calls.dispatch.start(reader(channel, pythonia.router(bridge, requests.request), ports_host))
    calls.dispatch.run_loop()
    pythonia.forget_host()
