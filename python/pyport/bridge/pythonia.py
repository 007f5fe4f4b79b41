"""Everything pyport knows of pythonia, Python side (its JS twin is src/bridge/pythonia-link.ts).

pyport loads pythonia's Bridge.py (PYPORT_PYTHONIA: the folder beside Bridge.js) as the dispatcher of last resort
and puts the shim in its module table as `m[0]["pyport"]`. On the socket, one JSON object a line:

  host -> Python  {"r": id, "action": "pcall", "ffid": 0, "key": ["pyport", "handle"], "val": [[text], {}]}
                  is a shim request (read here, never by Bridge.py); any other {r, action, ffid, key, val} is
                  pythonia's own, for Bridge.onMessage
  Python -> host  {"r": id, "key": "string", "val": [flag, body], "sig": ""} answers request `id` (the shim's
                  reply, its codec text embedded as JSON); {"c": channel, ...} is a message for a channel:
                  pyport's own "pyport" (ports.py) and "pyport-group" go through channel_message()

test/bridge/pythonia-contract.test.ts checks all of this against the installed pythonia.
"""
import json
import os
import sys

# Bridge.py, and the modules it imports by top-level name from its folder
BRIDGE_FILE = "Bridge.py"
BRIDGE_MODULES = ("Bridge", "proxy", "json_patch")

HANDLE = ["pyport", "handle"]  # Bridge.m[0]["pyport"].handle: the function the host calls
_REPLY = '{"r":%d,"key":"string","val":["%s",%s],"sig":""}'


def load_bridge(folder):
    """pythonia's Bridge class, from Bridge.py in `folder`. Its modules are dropped from sys.modules again, so user
    modules of the same names stay importable."""
    sys.path.insert(0, folder)
    try:
        from Bridge import Bridge
    finally:
        sys.path.remove(folder)
        for name in BRIDGE_MODULES:
            sys.modules.pop(name, None)
    return Bridge


class _Ipc:
    """The transport Bridge.py expects (pythonia's interface.py): queue() a message (a dict, or its text), readline()."""

    def __init__(self, channel):
        self.channel = channel
        self.readline = channel.readline

    def queue(self, what):
        self.channel.send(what if type(what) is str else json.dumps(what))


def start_bridge(folder, channel, shim):
    """pythonia's Bridge over pyport's channel, with the shim installed as `m[0]["pyport"]`."""
    bridge = load_bridge(folder)(_Ipc(channel))
    bridge.m[0][HANDLE[0]] = shim
    return bridge


def reply(r, text):
    """The line answering request `r` with the shim's reply `text` ("P"/"T" + JSON), embedded as JSON (not as an
    escaped string: one encode and one parse less per reply)."""
    return _REPLY % (r, text[0], text[1:])


def channel_message(channel, fields=""):
    """The head of a message for one of pyport's channels: channel_message("pyport", '"k":"c",') + '...}'.
    `fields` is JSON text of more members, each followed by a comma, or empty; the caller closes the object."""
    return '{"c":"%s",%s' % (channel, fields)


def is_message(line):
    """A line read from the host is a JSON message (anything else is pyport's own: "q" lines answer port calls)."""
    return line[:1] == b"{"


def router(bridge, on_request):
    """route(line) for a message line: a pcall of HANDLE becomes on_request(r, text); pythonia's own go to
    Bridge.onMessage."""
    loads = json.loads
    on_message = bridge.onMessage

    def route(line):
        j = loads(line)
        if j["ffid"] == 0 and j["action"] == "pcall" and j["key"] == HANDLE:
            on_request(j["r"], j["val"][0][0])
        else:
            on_message(j["r"], j["action"], j["ffid"], j["key"], j["val"])

    return route


def forget_host():
    """Drops pythonia's handle back to JS (os.JSPyBridge, set by Bridge()): freeing it at exit would write to a
    closed socket."""
    if hasattr(os, "JSPyBridge"):
        del os.JSPyBridge
