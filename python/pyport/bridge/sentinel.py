"""The sentinel: a tiny process that stops everything an interpreter started once its host is gone.

The host (src/bridge/python-process.ts) starts each interpreter, or the launcher script that runs it, as the
leader of a process group of its own (a new session), and stops the whole group: on a timeout, on close(), and as
soon as the leader exits. What it cannot cover is its own death (SIGKILL, the OOM killer): no JavaScript runs then.
Python's own watch (PR_SET_PDEATHSIG, a thread waiting for the socket to hang up) stops only the interpreter, not
what it started nor a launcher script in between, and no thread runs while a C call holds the GIL.

So the host also hands the interpreter a "lifeline": one more socket (PYPORT_SENTINEL names its descriptor) on which
nothing is ever sent, whose other end only the host holds. It reads EOF exactly when the host's end closes: when
the host dies (or, after the leader has exited, when the host lets it go). The shim starts the sentinel first
thing: a /bin/sh in the interpreter's process group that blocks in `read` on the lifeline, then gives the
interpreter GRACE seconds to end by itself (an idle one reads EOF on its own socket, runs its atexit handlers and
exits), then sends SIGKILL to the whole group, itself included: the interpreter even inside a GIL-holding C call,
everything it started, and a launcher script. While the host lives, the sentinel does nothing; it dies with the
group when the host stops it.

The sentinel is not the interpreter's child (the shell it is started by backgrounds it and exits), so `os.wait()`
loops and child listings in user code never see it. It costs one posix_spawn of /bin/sh (well under a
millisecond of the interpreter's start; no fork of the interpreter, so no copy-on-write of its heap), about as much
memory as an idle shell, and no CPU while it waits. It kills a whole group only when that group was made for this
interpreter (it leads its own session and the host is not in it); otherwise it kills only the interpreter.
"""
import os
import stat
import _thread

# Seconds the interpreter gets to end by itself once its host has gone: as long as the shim's watcher thread gives it.
GRACE = "0.5"

_ENV = "PYPORT_SENTINEL"  # "<lifeline fd>:<host pid>", set by the host

# $1: what to kill (0: our process group; else the interpreter's pid). Ignores the signals a host's escalation or a
# terminal sends to the group: it goes last, by its own SIGKILL. An asynchronous list in a non-interactive shell
# stays in the shell's process group. `sleep` may not take fractions (strict POSIX): then a second.
_SCRIPT = """trap '' HUP INT QUIT TERM
cd /
{ while read -r line; do :; done; sleep %s 2>/dev/null || sleep 1; kill -s KILL "$1"; } <&%d %d<&- &
"""


def start():
    """Starts the sentinel for this interpreter. Returns True if it runs; False where it cannot (a host that gave
    no lifeline, no /bin/sh, no posix_spawn)."""
    spec = os.environ.pop(_ENV, "")  # pyport's plumbing, not the user's: gone before any user code runs
    fd, _, host = spec.partition(":")
    if not (fd.isdigit() and host.isdigit()):
        return False
    fd, host_pid = int(fd), int(host)
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            return False  # not the lifeline (a launcher closed it): no sentinel rather than a wrong one
    except OSError:
        return False
    try:
        target = "0" if _group_is_ours(host_pid) else str(os.getpid())
        null = os.devnull
        actions = [(os.POSIX_SPAWN_OPEN, 0, null, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, null, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, null, os.O_WRONLY, 0)]
        # Everything else the interpreter inherited without close-on-exec (its own socket, fd 3) stays out of it.
        actions += [(os.POSIX_SPAWN_CLOSE, other) for other in _inherited() if other > 2 and other != fd]
        shell = os.posix_spawn("/bin/sh", ["/bin/sh", "-c", _SCRIPT % (GRACE, fd, fd), "pyport-sentinel", target],
                               {"PATH": os.environ.get("PATH") or os.defpath}, file_actions=actions)
    except (AttributeError, OSError):
        return False
    finally:
        try:
            os.close(fd)  # the interpreter's own copy: user code and its children have no use for it
        except OSError:
            pass
    # That shell exits as soon as it has started the sentinel: reap it off the critical path, long before any user
    # code could call os.wait(). The low-level call does not wait for the thread to be scheduled.
    _thread.start_new_thread(_reap, (shell,))
    return True


def _reap(pid):
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except InterruptedError:
            continue
        except ChildProcessError:
            return


def _group_is_ours(host_pid):
    """A group may be killed whole only if it was made for this interpreter: the interpreter leads it (the shim's
    first act is setpgid(0, 0)) and the host is not a member."""
    try:
        pgid = os.getpgid(0)
        if pgid != os.getpid():
            return False
    except (AttributeError, OSError):
        return False
    try:
        return os.getpgid(host_pid) != pgid
    except ProcessLookupError:
        return True  # the host is already gone: it is not in the group
    except OSError:
        return False


def _inherited():
    """This process's open descriptors that a spawned program would inherit (not close-on-exec)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            fds = [int(name) for name in os.listdir(folder)]
            break
        except (OSError, ValueError):
            continue
    else:
        fds = range(3, 64)
    out = []
    for fd in fds:
        try:
            if os.get_inheritable(fd):
                out.append(fd)
        except OSError:
            pass  # not open (the listing's own descriptor)
    return out
