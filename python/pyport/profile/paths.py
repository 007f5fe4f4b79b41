"""Whose code a file is. The user's code is what pyport counts calls in and attributes time to; the rest is
"foreign", and its time is charged to the nearest user function that called it, split by what it is:

  package   a third-party package: a file with a `site-packages` or `dist-packages` directory in its path
            (pip, venvs, conda, Debian), or under this interpreter's purelib/platlib; named by its top-level
            module name (the one you import)
  stdlib    the standard library: under the interpreter's stdlib/platstdlib directory (and not in a package
            directory), or a frozen module (<frozen os>)
  import    the import machinery (<frozen importlib._bootstrap>, <frozen importlib._bootstrap_external>)
  pyport    the profiler's own modules
  generated code compiled at run time (<string>: exec, dataclasses, namedtuple): it belongs to whoever ran it,
            so the sampler gives it its caller's kind
  user      everything else: the script, the modules beside it, anything on PYTHONPATH or installed in
            editable mode (`pip install -e`: its files stay in your tree)
"""
import os
import sys
import sysconfig

_PROFILE_DIR = os.path.dirname(os.path.abspath(__file__))
# the profiler's own modules (not the calibration's probes beside them: they run as user code)
_OWN_FILES = frozenset(
    [os.path.join(_PROFILE_DIR, name) for name in (
        "profiler.py",
        "counter.py",
        "sampler.py",
        "paths.py",
        "waits.py",
        "frames.py",
        "tasks.py",
        "cpu_signal.py",
        "__init__.py",
    )]
    + [os.path.join(os.path.dirname(_PROFILE_DIR), "__init__.py")]  # pyport's own __init__
)
_PACKAGE_DIRS = ("site-packages", "dist-packages")


def _roots(names):
    roots = set()
    for name in names:
        path = sysconfig.get_paths().get(name)
        if path:
            roots.add(os.path.realpath(path))
            roots.add(os.path.abspath(path))
    return roots


_PACKAGE_ROOTS = _roots(("purelib", "platlib"))
_STDLIB_ROOTS = _roots(("stdlib", "platstdlib")) | {os.path.dirname(os.path.realpath(os.__file__))}
_PACKAGE_ROOTS = tuple(sorted(r.rstrip(os.sep) + os.sep for r in _PACKAGE_ROOTS))
_STDLIB_ROOTS = tuple(sorted(r.rstrip(os.sep) + os.sep for r in _STDLIB_ROOTS))
_IMPORT_MACHINERY = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")
_cache = {}


def _package_name(path):
    """Top-level module name from a path inside a package directory: .../site-packages/NAME[/...|.py|.cpython...so]."""
    parts = path.split(os.sep)
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] in _PACKAGE_DIRS:
            return parts[i + 1].split(".")[0] or None
    for root in _PACKAGE_ROOTS:
        if path.startswith(root):
            return path[len(root):].split(os.sep)[0].split(".")[0] or None
    return None


def file_kind(filename):
    """(kind, top-level name or None) of a code object's file: see the module's doc for the kinds."""
    known = _cache.get(filename)
    if known is not None:
        return known
    if filename.startswith("<") and filename.endswith(">"):
        if filename in _IMPORT_MACHINERY:
            kind = ("import", None)
        elif filename.startswith("<frozen "):
            kind = ("stdlib", filename[len("<frozen "):-1].split(".")[0])
        elif filename == "<stdin>":
            kind = ("user", None)  # the script itself, read from stdin
        else:
            kind = ("generated", None)  # <string>: exec'd by whoever called it
    else:
        path = os.path.abspath(filename)
        real = os.path.realpath(path)
        parts = set(path.split(os.sep)) | set(real.split(os.sep))
        if path in _OWN_FILES:
            kind = ("pyport", None)
        elif parts.intersection(_PACKAGE_DIRS) or path.startswith(_PACKAGE_ROOTS) or real.startswith(_PACKAGE_ROOTS):
            kind = ("package", _package_name(path) or _package_name(real))
        elif path.startswith(_STDLIB_ROOTS) or real.startswith(_STDLIB_ROOTS):
            rest = (path[len(next(r for r in _STDLIB_ROOTS if path.startswith(r))):] if path.startswith(_STDLIB_ROOTS) else "")
            kind = ("stdlib", rest.split(os.sep)[0].split(".")[0] or None)
        else:
            kind = ("user", None)
    _cache[filename] = kind
    return kind


def is_foreign_file(filename):
    """True for code the user did not write (or not as a file): the standard library, installed packages, frozen
    modules, pyport, code compiled at run time."""
    return file_kind(filename)[0] != "user"


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
