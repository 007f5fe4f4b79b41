"""Modules the host imported, by key: "file:/abs/path.py" or "mod:package.module". Loaded on first use, so an
interpreter that replaced a dead or timed-out one re-imports transparently."""
import difflib
import importlib
import importlib.util
import os
import sys

_PYPORT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # python/pyport


class Modules:
    def __init__(self):
        self.loaded = {}

    def get(self, key):
        mod = self.loaded.get(key)
        if mod is None:
            mod = self._load(key)
            self.loaded[key] = mod
        return mod

    def function(self, key, name):
        mod = self.loaded.get(key) or self.get(key)
        if "." not in name:  # the common case, without the loop
            target = getattr(mod, name, None)
            if target is not None and callable(target):
                return target
        target = mod
        for part in name.split("."):  # "Agent.score" reaches a class attribute
            try:
                target = getattr(target, part)
            except AttributeError:
                raise AttributeError(self._missing(mod, name)) from None
        if not callable(target):
            raise TypeError("%s.%s is a %s, not a function" % (mod.__name__, name, type(target).__name__))
        return target

    @staticmethod
    def frames_to_skip(exc):
        """Drop the shim's and importlib's frames: the user sees their own module's line first."""
        tb, n, first_user = exc.__traceback__, 0, None
        while tb is not None:
            f = tb.tb_frame.f_code.co_filename
            if first_user is None and not (f.startswith(_PYPORT_DIR) or "importlib" in f):
                first_user = n
            tb, n = tb.tb_next, n + 1
        return first_user if first_user is not None else n

    def _missing(self, mod, name):
        names = [n for n in dir(mod) if not n.startswith("_") and callable(getattr(mod, n, None))]
        close = difflib.get_close_matches(name, names, n=3)
        where = getattr(mod, "__file__", None) or mod.__name__
        msg = "module '%s' (%s) has no function '%s'" % (mod.__name__, where, name)
        if close:
            msg += "; did you mean %s?" % " or ".join("'%s'" % c for c in close)
        elif names:
            msg += "; it defines: %s" % ", ".join(names[:12])
        return msg

    def _load(self, key):
        kind, _, target = key.partition(":")
        if kind == "mod":
            return importlib.import_module(target)
        if kind != "file":
            raise ValueError("unknown module key %r" % (key,))
        if not os.path.isfile(target):
            raise FileNotFoundError("no Python file at %s (relative paths resolve against the bridge's cwd, %s)"
                                    % (target, os.getcwd()))
        folder = os.path.dirname(target)
        if folder not in sys.path:
            sys.path.insert(0, folder)  # the agent's own sibling imports work, as under `python agent.py`
        stem = os.path.splitext(os.path.basename(target))[0]
        existing = sys.modules.get(stem)
        if existing is not None:
            if os.path.abspath(getattr(existing, "__file__", "") or "") == target:
                return existing
            stem = "%s__pyport%d" % (stem, len(self.loaded))
        spec = importlib.util.spec_from_file_location(stem, target)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[stem] = mod  # dataclasses, pickle and typing look modules up by name
        try:
            spec.loader.exec_module(mod)
        except BaseException:
            sys.modules.pop(stem, None)
            raise
        return mod
