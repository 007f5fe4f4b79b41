"""The sampler's table of frames: each code object once, with whose code it is (paths.file_kind: the
user's, the standard library, a third-party package by top-level name, the import machinery, pyport), and each
sampled stack as a tuple of indices into the table, outermost first.

Where a frame is executing an `import` statement (its instruction is IMPORT_NAME and the frame above it is the
import machinery), a pseudo-frame "import NAME" is put between the two, so import time is named by what the
statement imports even while the machinery is still finding, reading or compiling it.

A thread inside an asyncio event loop with none of the user's code running above BaseEventLoop.run_forever is
the loop itself (waiting in select, or its own bookkeeping): everything above run_forever is replaced by a
pseudo-frame "(asyncio event loop)", so that time is nobody's (the tasks' own waits are sampled apart: see
tasks.py)."""
import dis

from pyport.profile.paths import code_label, file_kind
from pyport.profile.tasks import is_run_forever

_IMPORT_NAME = dis.opmap.get("IMPORT_NAME")
_EXTENDED_ARG = dis.opmap.get("EXTENDED_ARG")


def imported_name(frame):
    """The top-level module name an `import` statement being executed in frame imports, else None."""
    code = frame.f_code
    co = code.co_code
    at = frame.f_lasti
    if _IMPORT_NAME is None or at < 0 or at + 1 >= len(co) or co[at] != _IMPORT_NAME:
        return None
    arg = co[at + 1]
    shift = 8
    j = at - 2
    while j >= 0 and co[j] == _EXTENDED_ARG:
        arg |= co[j + 1] << shift
        shift += 8
        j -= 2
    if arg >= len(code.co_names):
        return None
    name = code.co_names[arg]
    if not name:  # `from . import x`: the frame's own package
        package = frame.f_globals.get("__package__") or ""
        name = package
    return name.split(".")[0] or None


class FrameTable:
    def __init__(self):
        self.frames = []  # [file, line, name, kind, package]
        self._by_code = {}  # code object (or ("import", name)) -> index
        self._importing = {}  # (code, f_lasti) -> imported top-level name or None
        self._run_forever = set()  # indices of BaseEventLoop.run_forever

    def index(self, frame, caller_kind="user", caller_package=None):
        code = frame.f_code
        i = self._by_code.get(code)
        if i is None:
            file, line, name = code_label(code)
            kind, package = file_kind(file)
            if kind == "generated":  # code compiled at run time belongs to whoever ran it
                key = (code, caller_kind, caller_package)
                i = self._by_code.get(key)
                return i if i is not None else self._add([file, line, name, caller_kind, caller_package], key)
            if kind in ("stdlib", "package"):
                module = frame.f_globals.get("__name__")
                if isinstance(module, str) and module and not module.startswith("__"):
                    package = module.split(".")[0]
            i = self._add([file, line, name, kind, package], code)
            if is_run_forever(file, name):
                self._run_forever.add(i)
        return i

    def _add(self, entry, key):
        i = len(self.frames)
        self.frames.append(entry)
        self._by_code[key] = i
        return i

    def _import_frame(self, name):
        key = ("import", name)
        i = self._by_code.get(key)
        return i if i is not None else self._add(["<import>", 0, "import %s" % name, "import", name], key)

    def _imported(self, frame):
        key = (frame.f_code, frame.f_lasti)
        if key not in self._importing:
            self._importing[key] = imported_name(frame)
        return self._importing[key]

    def _loop_idle_frame(self):
        key = ("loop",)
        i = self._by_code.get(key)
        return i if i is not None else self._add(["~", 0, "(asyncio event loop)", "loop", None], key)

    def stack(self, frame):
        """(A thread's stack outermost first, its event loop's run_forever frame or None)."""
        chain = []
        while frame is not None:
            chain.append(frame)
            frame = frame.f_back
        chain.reverse()
        indices = []
        kind, package = "user", None
        for f in chain:
            i = self.index(f, kind, package)
            indices.append(i)
            kind, package = self.frames[i][3], self.frames[i][4]
        out = []
        loop_at = loop_frame = None
        for pos, i in enumerate(indices):
            out.append(i)
            if i in self._run_forever:
                loop_at, loop_frame = len(out) - 1, chain[pos]  # the innermost loop
            callee = indices[pos + 1] if pos + 1 < len(indices) else None
            if callee is not None and self.frames[callee][3] == "import" and self.frames[i][3] != "import":
                name = self._imported(chain[pos])
                if name:
                    out.append(self._import_frame(name))
        if loop_at is not None and not any(self.frames[j][3] == "user" for j in out[loop_at + 1:]):
            out = out[: loop_at + 1] + [self._loop_idle_frame()]
        return tuple(out), loop_frame

    def chain(self, frames):
        """A task's coroutine chain (outermost first) as a stack."""
        out = []
        kind, package = "user", None
        for f in frames:
            i = self.index(f, kind, package)
            out.append(i)
            kind, package = self.frames[i][3], self.frames[i][4]
        return tuple(out)

    def export(self):
        return [
            {"file": f, "line": l, "name": n, "foreign": k != "user", "kind": k, "package": p}
            for f, l, n, k, p in self.frames
        ]
