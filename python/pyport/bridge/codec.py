"""The value codec of the pyport bridge, Python side (twin of src/bridge/wire-codec.ts).

A value crosses as JSON. What JSON cannot say exactly travels as a tagged object {"$t": kind, "v": payload}:
  int beyond +/-(2**53 - 1)  "int"   hex digits, sign first ("-1f")
  NaN, +/-Infinity, -0.0     "float" "nan" | "inf" | "-inf" | "-0"  (JS to Python only: also a JS number that is
                                     an integer beyond 2**53 - 1, as decimal text, so it stays a float)
  bytes, bytearray           "bytes" base64
  set, frozenset             "set"   [items]
  dict with a non-str key    "map"   [[key, value], ...]
  dict with a "$t" key       "obj"   [[key, value], ...]  (escapes a user key that looks like a tag)
  anything else, with the bridge's registry: a handle (a custom object, a datetime, a generator...)
                             "ref"   [id, qualified type name, "obj" | "iter"]  (host to Python: the id)
Without a registry, anything else raises UnsupportedValue naming the type and a fix.
Nothing merges silently: a dict or set with two NaN keys (distinct in Python, one key in a JS Map or Set) is refused
on the way out; a JS Map or Set whose keys are equal in Python (1, 1.0, true, equal arrays) is refused on the way in
(the JS encoder refuses it first; decode() names where in the arguments it sits).
A message is one flag character, "T" if it holds a tag and "P" if not (so plain messages skip the tag hook),
followed by the JSON text.
"""
import base64
import json
import math

from pyport.bridge import objects
from pyport.bridge.objects import kind as object_kind

MAX_SAFE = (1 << 53) - 1
TAG = "$t"


class UnsupportedValue(Exception):
    """A value that has no exact counterpart on the other side."""

    def __init__(self, type_name, hint, path=None, direction="to-js"):
        super().__init__(type_name)
        self.type_name = type_name
        self.hint = hint
        self.path = path if path is not None else []
        self.direction = direction
        self.where = None  # set by decode(): where in the JS arguments, as JS writes it ("args[0].user")

    def info(self):
        where = self.where
        if where is None:
            where = "".join("[%r]" % p if isinstance(p, str) else "[%d]" % p for p in self.path)
        return {
            "pythonType": self.type_name,
            "path": self.path,
            "where": where,
            "hint": self.hint,
            "direction": self.direction,
        }


def _qualname(value):
    t = type(value)
    mod = t.__module__
    return t.__qualname__ if mod in ("builtins", None) else "%s.%s" % (mod, t.__qualname__)


_HINTS = {
    "datetime.datetime": "return value.isoformat() (or value.timestamp())",
    "datetime.date": "return value.isoformat()",
    "datetime.time": "return value.isoformat()",
    "datetime.timedelta": "return value.total_seconds()",
    "decimal.Decimal": "return str(value) to keep every digit, or float(value)",
    "fractions.Fraction": "return [value.numerator, value.denominator]",
    "complex": "return [value.real, value.imag]",
    "generator": "return list(...) of it",
    "range": "return list(value)",
    "uuid.UUID": "return str(value)",
    "numpy.ndarray": "return value.tolist()",
}


def _hint(value, name):
    if name in _HINTS:
        return _HINTS[name]
    if name.startswith("numpy."):
        return "return value.item() (numpy scalar) or value.tolist() (array)"
    if callable(value):
        return "call it on the Python side and return plain data, not a function or class"
    if hasattr(value, "__dataclass_fields__"):
        return "return dataclasses.asdict(value)"
    if hasattr(value, "__iter__") and hasattr(value, "__next__"):
        return "return list(value)"
    if hasattr(value, "__dict__"):
        return "return a dict (e.g. vars(value)) or another plain value"
    return "convert it to None, bool, int, float, str, list, tuple, dict, set, bytes before returning"


class Encoder:
    """Turns a Python value into a JSON-safe tree. `tagged` tells whether any tag was emitted. With a `registry`
    (the bridge's, see objects.py), a value with no exact mapping crosses as a handle; `refs` are the ids made."""

    __slots__ = ("tagged", "registry", "refs")

    def __init__(self, registry=None):
        self.tagged = False
        self.registry = registry
        self.refs = []

    def tag(self, kind, payload):
        self.tagged = True
        return {TAG: kind, "v": payload}

    def enc(self, v):
        t = type(v)
        if t is str or t is bool or v is None:
            return v
        if t is int:
            if -MAX_SAFE <= v <= MAX_SAFE:
                return v
            return self.tag("int", format(v, "x"))
        if t is float:
            if v != v:
                return self.tag("float", "nan")
            if v in (math.inf, -math.inf):
                return self.tag("float", "inf" if v > 0 else "-inf")
            return v  # -0.0 prints as "-0.0", which JSON.parse reads as -0
        if t is list or t is tuple:
            return self.seq(v)
        if t is dict:
            return self.mapping(v)
        return self.other(v)

    def seq(self, v):
        enc = self.enc
        try:
            return [enc(x) for x in v]
        except UnsupportedValue as e:
            _locate(e, enumerate(v), enc)
            raise

    def mapping(self, v):
        enc = self.enc
        try:
            if all(type(k) is str for k in v):
                if TAG in v:
                    return self.tag("obj", [[k, enc(x)] for k, x in v.items()])
                return {k: enc(x) for k, x in v.items()}
            pairs = [[enc(k), enc(x)] for k, x in v.items()]
            _check_nans(v, "dict", "keys", "Map")
            return self.tag("map", pairs)
        except UnsupportedValue as e:
            _locate(e, v.items(), lambda kv: (enc(kv[0]), enc(kv[1])), keyed=True)
            raise

    def other(self, v):
        try:
            return self._other(v)
        except (UnsupportedValue, RecursionError):
            raise
        except Exception as e:  # the value's own code (an __iter__, __int__...) raised while we converted it
            raise conversion_failed(v, e) from e

    def _other(self, v):
        if isinstance(v, (bytes, bytearray, memoryview)):
            return self.tag("bytes", base64.b64encode(bytes(v)).decode("ascii"))
        if isinstance(v, (set, frozenset)):
            try:
                items = [self.enc(x) for x in v]
            except UnsupportedValue as e:
                e.path.insert(0, "<set item>")
                raise
            _check_nans(v, _qualname(v), "items", "Set")
            return self.tag("set", items)
        # Subclasses of the plain types (IntEnum, OrderedDict, namedtuple, numpy.float64...) cross as their base.
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, int):
            return self.enc(int(v))
        if isinstance(v, float):
            return self.enc(float(v))
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, (list, tuple)):
            return self.seq(v)
        if isinstance(v, dict):
            return self.mapping(dict(v))
        name = _qualname(v)
        if self.registry is not None:
            oid = self.registry.add(v)
            self.refs.append(oid)
            return self.tag("ref", [oid, name, object_kind(v)])
        raise UnsupportedValue(name, _hint(v, name))


def _check_nans(keys, type_name, items, js):
    """Python keeps apart NaN keys that are distinct objects (float('nan') twice); a JS Map or Set would merge them."""
    nans = 0
    for k in keys:
        if isinstance(k, float) and k != k:
            nans += 1
    if nans > 1:
        raise UnsupportedValue(type_name, "it has %d NaN %s, which Python keeps apart but a JS %s would merge into one; "
                               "keep at most one NaN %s" % (nans, items, js, items[:-1]))


def conversion_failed(v, exc):
    """An UnsupportedValue for a value whose own methods raised while it was converted."""
    name = _qualname(v)
    return UnsupportedValue(name, "converting it raised %s: %s; return plain values (e.g. list(value) or dict(value)) "
                            "built on the Python side" % (type(exc).__name__, str(exc)[:500]))


def _locate(err, pairs, enc_one, keyed=False):
    """Finds (again, only on failure) which item failed, so the error names its path."""
    for key, item in pairs:
        try:
            enc_one((key, item) if keyed else item)
        except UnsupportedValue:
            err.path.insert(0, key)
            return


def encode(value):
    """value -> message text ("T" or "P" + JSON)."""
    e = Encoder()
    tree = e.enc(value)
    body = json.dumps(tree, separators=(",", ":"), allow_nan=False)
    return ("T" if e.tagged else "P") + body


def encode_tree(value, registry=None):
    """value -> (JSON-safe tree, tagged, ids of the handles made). Raises UnsupportedValue (also when the value's
    own code raises while it is converted) or RecursionError; handles made before the failure are released."""
    e = Encoder(registry)
    try:
        return e.enc(value), e.tagged, e.refs
    except BaseException:
        if e.refs:
            registry.release(e.refs)
        raise


def _hashable(k):
    if type(k) is list:
        return tuple(_hashable(x) for x in k)
    return k


def _collision(keys, type_name, items, would):
    """UnsupportedValue naming the first two of `keys` that are equal in Python (so a dict or set would merge them)."""
    first = {}
    for k in keys:
        if k in first:
            return UnsupportedValue(
                type_name, "its %s %r and %r are equal in Python (1 == 1.0 == True, and arrays become tuples), so the "
                "%s would keep only one of them; make the %s distinct (e.g. strings)" % (items, first[k], k, would, items),
                direction="to-python")
        first[k] = k
    return UnsupportedValue(type_name, "two of its %s are equal in Python" % items, direction="to-python")


def _pairs_to_dict(pairs):
    out = {}
    for k, x in pairs:
        k = _hashable(k)
        try:
            out[k] = x
        except TypeError:
            raise UnsupportedValue(
                _qualname(k), "use a string, number, boolean, null, bigint or array as the key",
                direction="to-python") from None
    if len(out) != len(pairs):
        raise _collision([_hashable(k) for k, _ in pairs], "Map", "keys", "dict")
    return out


_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "-0": -0.0}


def _tag_hook(d):
    kind = d.get(TAG)
    if kind is None:
        return d
    v = d["v"]
    if kind == "int":
        return int(v, 16)
    if kind == "float":
        return _FLOATS[v] if v in _FLOATS else float(v)
    if kind == "bytes":
        return base64.b64decode(v)
    if kind == "set":
        try:
            out = {_hashable(x) for x in v}
        except TypeError:
            raise UnsupportedValue("dict", "a Set sent to Python may hold only hashable values (no objects or Maps)",
                                   direction="to-python") from None
        if len(out) != len(v):
            raise _collision([_hashable(x) for x in v], "Set", "items", "set")
        return out
    if kind in ("map", "obj"):
        return _pairs_to_dict(v)
    if kind == "ref":
        try:
            return objects.registry.get(v)
        except KeyError as e:
            raise UnsupportedValue("PythonObject", "%s; use a handle only while it is live, on the bridge that "
                                   "made it" % e.args[0], direction="to-python") from None
    raise UnsupportedValue("tag " + str(kind), "this tag is not known to this pyport version", direction="to-python")


_PLAIN = json.JSONDecoder()
_TAGGED = json.JSONDecoder(object_hook=_tag_hook)


def decode(text):
    """message text -> value. Raises UnsupportedValue (naming where the value sits in the message) or RecursionError."""
    if text[0] != "T":
        return _PLAIN.raw_decode(text, 1)[0]
    try:
        return _TAGGED.raw_decode(text, 1)[0]
    except UnsupportedValue as e:  # the hook cannot tell where it is: find that (again, only on failure)
        try:
            _locate_tag(e, _PLAIN.raw_decode(text, 1)[0])
        except Exception:  # too deep to walk again (RecursionError), or a shape we did not expect: no path
            pass
        raise


def _locate_tag(err, tree):
    """Decodes the plain `tree` bottom-up like the hook, with paths, to set err.path and err.where."""
    def walk(node, path):
        if type(node) is list:
            return [walk(x, path + [i]) for i, x in enumerate(node)]
        if type(node) is dict:
            d = {k: walk(x, path + [k]) for k, x in node.items()}
            try:
                return _tag_hook(d)
            except UnsupportedValue as e:
                e.path[:0] = path
                raise
        return node

    try:
        walk(tree, [])
    except UnsupportedValue as found:
        err.path = found.path
        err.where = _js_where(tree, found.path)


def _js_where(tree, path):
    """A path in the raw message, as the JS side names it: args[0].user, kwargs.when, items[2][0] (map), <Map key #1>."""
    out = []
    node = tree
    i = 0
    if type(tree) is list and tree and tree[0] in ("c", "m") and path and path[0] in (3, 4):
        out.append("kwargs" if path[0] == 4 else "args" if tree[0] == "c" else "items")
        node = tree[path[0]]
        i = 1
    while i < len(path):
        step = path[i]
        kind = node.get(TAG) if type(node) is dict else None
        if kind in ("map", "set", "obj") and step == "v" and i + 1 < len(path):
            n = path[i + 1]
            pair = node["v"][n]
            if kind == "set":
                out.append("<Set item #%d>" % n)
                node, i = pair, i + 2
                continue
            if i + 2 >= len(path):
                out.append("<%s entry #%d>" % ("Map" if kind == "map" else "key", n))
                break
            side = path[i + 2]
            if kind == "obj":
                out.append(_js_key(pair[0]) if side == 1 else "<key #%d>" % n)
            else:
                out.append("<Map %s #%d>" % ("value" if side == 1 else "key", n))
            node, i = pair[side], i + 3
            continue
        out.append("[%d]" % step if type(step) is int else _js_key(step))
        node = node[step]
        i += 1
    return "".join(out)


def _js_key(key):
    if key and (key[0].isalpha() or key[0] in "_$") and all(c.isalnum() or c in "_$" for c in key) and key.isascii():
        return "." + key
    return "[%s]" % json.dumps(key, ensure_ascii=False)
