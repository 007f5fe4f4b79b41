"""pyport's profiler: runs a Python program and writes its profile as JSON to a file (stdout and stderr belong
to the program). Standard library only.

  profiler.py --out FILE [--interval-ms MS] SCRIPT [ARGS...]
  profiler.py --out FILE [--interval-ms MS] -m MODULE [ARGS...]

Method (see sampler.py and counter.py): a sampling thread charges CPU / waiting-to-run / I/O-wait time
to every thread's stack; the user's own functions are compiled with a call counter for exact call counts.
The program's exit status is recorded and becomes this process's exit status; the profile is written at exit,
after non-daemon threads and the program's own atexit handlers have finished.
"""
import os
import sys

# Import pyport's modules from python/, then hand sys.path[0] to the program as Python itself would.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[0] = os.path.dirname(os.path.dirname(_HERE))

import atexit  # noqa: E402
import json  # noqa: E402
import runpy  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import types  # noqa: E402

from pyport.profile import counter as profile_counter  # noqa: E402
from pyport.profile.counter import Counters, counter_cost_s, install, instrument  # noqa: E402
from pyport.profile.cpu_signal import MainThreadCpu  # noqa: E402
from pyport.profile.sampler import Sampler  # noqa: E402

counter_file = profile_counter.__file__

USAGE = "usage: profiler.py --out FILE [--interval-ms MS] (SCRIPT | -m MODULE) [ARGS...]"


def parse(argv):
    opts = {"out": None, "interval_ms": 2.0, "module": None, "script": None, "args": []}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--out" and i + 1 < len(argv):
            opts["out"] = argv[i + 1]
            i += 2
        elif a == "--interval-ms" and i + 1 < len(argv):
            opts["interval_ms"] = float(argv[i + 1])
            i += 2
        elif a == "-m" and i + 1 < len(argv):
            opts["module"] = argv[i + 1]
            opts["args"] = argv[i + 2:]
            break
        elif not a.startswith("-"):
            opts["script"] = a
            opts["args"] = argv[i + 1:]
            break
        else:
            raise SystemExit("pyport profiler: unexpected argument %r\n%s" % (a, USAGE))
    if opts["out"] is None or (opts["module"] is None and opts["script"] is None):
        raise SystemExit(USAGE)
    return opts


def _user_traceback(exc):
    """The traceback as Python would print it for the program, without the profiler's own frames."""
    tb = exc.__traceback__
    own = (__file__, runpy.__file__, counter_file)
    while tb is not None and tb.tb_frame.f_code.co_filename in own:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def run_script(path, counters):
    """runpy.run_path for a .py file, but compiled with call counters."""
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    with open(path, "rb") as f:
        code = instrument(f.read(), path, counters)
    exec(code, main.__dict__)


def run_program(opts, status, counters):
    """Runs the program as __main__; fills status and returns the exit code Python would have used."""
    try:
        if opts["module"] is not None:
            sys.argv = [opts["module"]] + opts["args"]
            sys.path[0] = os.getcwd()
            runpy.run_module(opts["module"], run_name="__main__", alter_sys=True)
        else:
            script = os.path.abspath(opts["script"])
            sys.argv = [opts["script"]] + opts["args"]
            sys.path[0] = os.path.dirname(script)
            run_script(script, counters)
        status.update(reason="returned", code=0)
    except SystemExit as e:
        code = e.code
        if code is None:
            status.update(reason="sys.exit", code=0)
        elif isinstance(code, int):
            status.update(reason="sys.exit", code=code)
        else:
            sys.stderr.write("%s\n" % (code,))
            status.update(reason="sys.exit", code=1, message=str(code))
    except BaseException as e:  # the program's own exception: print it as Python would and exit 1
        sys.stderr.write(_user_traceback(e))
        code = 130 if isinstance(e, KeyboardInterrupt) else 1
        status.update(reason="exception", code=code, exception=type(e).__name__, message=str(e)[:2000])
    return status["code"]


def main():
    try:
        opts = parse(sys.argv[1:])
    except ValueError as e:
        raise SystemExit("pyport profiler: %s\n%s" % (e, USAGE))
    if opts["module"] is None and not os.path.isfile(opts["script"]):
        sys.stderr.write("pyport profile: cannot open %r: no such file\n" % opts["script"])
        raise SystemExit(2)

    counter_cost = counter_cost_s()
    pid = os.getpid()
    forked = []
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: forked.append(True))

    sampler = Sampler(opts["interval_ms"] / 1000.0, os.environ.get("PYPORT_PROFILE_WAITS", "auto"))
    cpu_signal = MainThreadCpu(opts["interval_ms"] / 1000.0, sampler.charge_main_cpu)
    counters = Counters()
    status = {"reason": "unknown", "code": None}
    clock = {}
    main_ident = threading.get_ident()

    def on_thread_start(frame, event, arg):
        sys.setprofile(None)  # only the first event of a thread: no profiling cost afterwards
        sampler.register_thread(threading.get_ident())

    def finish():
        if forked or os.getpid() != pid:
            return  # a forked child: the parent writes the profile
        clock["wall"] = time.perf_counter() - clock["wall0"]
        clock["cpu"] = time.process_time() - clock["cpu0"]
        threading.setprofile(None)
        cpu_signal.stop()
        sampler.stop()
        profile = {
            "format": "pyport-profile",
            "version": 2,
            "python": "%d.%d.%d" % sys.version_info[:3],
            "pid": pid,
            "target": {"module": opts["module"], "script": opts["script"], "args": opts["args"]},
            "exit": status,
            "wallS": clock["wall"],
            "cpuS": clock["cpu"],
            "samplerCpuS": sampler.own_cpu_s,
            "counterCostS": counter_cost,
            "counts": counters.export(),
            "sampling": sampler.export(),
            "threads": {str(k): v for k, v in sampler.thread_names.items()},
            "mainThread": main_ident,
        }
        tmp = opts["out"] + ".part"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(profile, f, allow_nan=False)
        os.replace(tmp, opts["out"])

    atexit.register(finish)  # first registered, last run: after the program's own atexit handlers
    install(counters)
    sampler.register_thread(main_ident)
    sampler.main_ident = main_ident
    sampler.start()
    while not sampler.ready.is_set():
        pass  # compute while the sampler learns, from this thread, what a wait for the GIL looks like
    if os.environ.get("PYPORT_PROFILE_CPU_SIGNAL", "1") != "0" and cpu_signal.start():
        sampler.cpu_signal = cpu_signal  # the main thread's CPU, sampled where it is spent (cpu_signal.py)
    clock["wall0"] = time.perf_counter()
    clock["cpu0"] = time.process_time()
    threading.setprofile(on_thread_start)  # after the sampler starts: it is not one of the program's threads
    code = run_program(opts, status, counters)
    sys.stdout.flush()
    # Exit with the program's status; Python joins non-daemon threads, then runs finish() through atexit.
    raise SystemExit(code)


if __name__ == "__main__":
    main()
