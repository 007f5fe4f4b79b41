"""`pyport run agent.py ARGS...`: runs a Python program unchanged as __main__, with its @port functions served by
the host (src/cli/run.ts), exactly as the shim attaches ports for PythonBridge's `ports` option.

The host starts `python -u -c BOOT PYDIR SCRIPT ARGS...` with stdin, stdout and stderr inherited, in the
terminal's process group (Ctrl-C reaches the program as under python3), and the bridge's socket on PYPORT_FD.
Here: attach the ports (PYPORT_PORTS) before any user code runs, start a daemon thread that reads the socket
("q" lines answer port calls; EOF fails the calls still waiting), then run the script with runpy on the main
thread. Exit status, tracebacks and KeyboardInterrupt are Python's own.
"""
import os
import sys
import threading


def _reader(channel, host):
    def read():
        try:
            for line in channel.lines():
                if line[:1] == b"q":
                    host.answer(line)
        except (OSError, ValueError):
            pass
        host.host_closed()

    threading.Thread(target=read, name="pyport-run-reader", daemon=True).start()


def main():
    env = os.environ
    ports_spec = env.pop("PYPORT_PORTS", None)
    fd_text = env.pop("PYPORT_FD", None)
    if fd_text is not None:
        from pyport.bridge.channel import Channel, private_fd, watch_host

        fd = private_fd(int(fd_text))
        watch_host(fd)  # the host died (killed): so does the program, as under the bridge
        if ports_spec:
            from pyport.bridge import ports

            channel = Channel(fd)
            # a dedicated reader thread reads every answer: a caller never needs to hand reading over
            _reader(channel, ports.attach(channel, ports_spec, lambda: None))

    import runpy

    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    # as `python3 agent.py` does: the script's folder first; pyport's own package stays importable, last
    ours = sys.path[0]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    sys.path.append(ours)
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as e:
        _uncaught(e, os.path.abspath(script))


def _uncaught(e, script):
    """As python3 ends on an uncaught exception: its traceback from the script's own frames (not runpy's, not
    ours), then exit status 1; a KeyboardInterrupt ends the process by SIGINT, after the atexit handlers."""
    tb = e.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    if tb is not None:
        e.__traceback__ = tb
    sys.excepthook(type(e), e, e.__traceback__)
    if isinstance(e, KeyboardInterrupt) and hasattr(os, "kill"):
        import atexit
        import signal

        atexit._run_exitfuncs()
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                pass
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(1)
