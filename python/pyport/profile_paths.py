"""Which code is the user's and which is not: stdlib, site-packages, frozen modules, C functions and pyport itself
are "foreign", and their time is attributed to the nearest user function that called them."""
import os
import sys
import sysconfig

_PYPORT_DIR = os.path.dirname(os.path.abspath(__file__))
# the profiler's own modules (not every file beside them: the benchmark's known-split program lives there too)
_OWN_FILES = frozenset(
    os.path.join(_PYPORT_DIR, name)
    for name in ("profiler.py", "profile_counter.py", "profile_sampler.py", "profile_paths.py", "profile_waits.py", "__init__.py")
)


def _library_roots():
    roots = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            roots.add(os.path.realpath(path))
            roots.add(os.path.abspath(path))
    roots.add(os.path.dirname(os.path.realpath(os.__file__)))
    for entry in sys.path:
        if entry and ("site-packages" in entry or "dist-packages" in entry):
            roots.add(os.path.abspath(entry))
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


_ROOTS = _library_roots()
_cache = {}


def is_foreign_file(filename):
    """True for code the user did not write: the standard library, installed packages, frozen modules, pyport."""
    known = _cache.get(filename)
    if known is not None:
        return known
    if filename.startswith("<") and filename.endswith(">"):
        # <frozen importlib._bootstrap>, <string>: not a file the user can port
        foreign = filename.startswith("<frozen")
    else:
        path = os.path.abspath(filename)
        foreign = path in _OWN_FILES or path.startswith(_ROOTS) or os.path.realpath(path).startswith(_ROOTS)
    _cache[filename] = foreign
    return foreign


# (file, first line) -> qualified name, filled by the call counters: code objects carry no qualname before 3.11
QUALNAMES = {}


def code_label(code):
    """(file, first line, qualified name) of a code object."""
    name = getattr(code, "co_qualname", None)
    if name is None:
        name = QUALNAMES.get((code.co_filename, code.co_firstlineno), code.co_name)
    return code.co_filename, code.co_firstlineno, name


def function_key(file, line, name):
    return "%s:%d:%s" % (file, line, name)
