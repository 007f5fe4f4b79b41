"""The host's requests, on the reading thread: each line read from the socket goes to its reader (a "q" line to the
port call waiting for it, a message to pythonia.router), and each request (the text of a pcall of
`pyport.handle`) is decoded and routed by its op to calls.py, never blocking the reading.

A request is the codec's text of [op, ..., call id]: "c" call, "m" map, "i" import, "o" call on an object, "g" get
an attribute, "n" next items of an iterator, "x" close it; ["r", ids] releases objects, ["k", call id] cancels,
["d"] drains. Replies: see replies.py. The wire format around it: pythonia.py.
"""
from pyport.bridge import pythonia, replies
from pyport.bridge.codec import UnsupportedValue, decode
from pyport.bridge.objects import registry


class Requests:
    """Installed in pythonia's module table as `pyport` (pythonia.start_bridge); pythonia.router hands it each
    request as request(r, text)."""

    def __init__(self, calls, reply):
        """`calls` runs what is asked (calls.Calls); `reply(r, text)` answers request `r` on the socket."""
        self.calls = calls
        self.dispatch = calls.dispatch
        self.reply = reply

    def request(self, r, text):
        try:
            msg = replies.deep(replies.DECODE_FRAMES_PER_LEVEL, decode, text)
        except UnsupportedValue as e:
            return self.reply(r, replies.unsupported(e))
        except RecursionError:
            return self.reply(r, replies.unsupported(UnsupportedValue(
                "value", "the arguments are nested more than %d levels deep; flatten them" % replies.DEEP_LEVELS,
                direction="to-python")))
        except BaseException as e:
            return self.reply(r, replies.internal(e))
        try:
            op = msg[0]
            calls = self.calls
            if op == "c":  # ["c", module key, function, args, kwargs, call id]
                calls.call(r, msg[5], msg[1], msg[2], msg[3], msg[4])
            elif op == "m":  # ["m", module key, function, args list, kwargs, index base, call id]
                calls.map(r, msg[6], msg[1], msg[2], msg[3], msg[4], msg[5])
            elif op == "i":  # ["i", module key, call id]
                calls.load(r, msg[2], msg[1])
            elif op == "o":  # ["o", object id, method ("" calls the object), args, kwargs, call id]
                calls.call_object(r, msg[5], msg[1], msg[2], msg[3], msg[4])
            elif op == "g":  # ["g", object id, attribute, call id]
                calls.get_attribute(r, msg[3], msg[1], msg[2])
            elif op == "n":  # ["n", iterator id, most items, call id]
                calls.next_items(r, msg[3], msg[1], msg[2])
            elif op == "x":  # ["x", iterator id, call id]
                calls.close_iterator(r, msg[2], msg[1])
            elif op == "r":  # ["r", [object ids]]: handles the host released or garbage-collected
                registry.release(msg[1])
                self.reply(r, replies.message(replies.OK, len(registry)))
            elif op == "k":
                self.reply(r, replies.message(replies.OK, self.dispatch.cancel(msg[1])))
            elif op == "d":
                self.reply(r, replies.message(replies.OK, self.dispatch.drain()))
            else:
                self.reply(r, replies.message(replies.RAISED, {
                    "pythonType": "pyport.ProtocolError", "message": "unknown op %r" % (op,), "traceback": "",
                    "frames": [], "internal": True}))
        except BaseException as e:  # the shim itself failed: still answer, never take the process down
            self.reply(r, replies.internal(e))


def reader(channel, route, ports_host=None):
    """read_one() for the dispatcher's leader thread: reads one message and routes it; False at the end of input.
    With ports, "q" lines are answers to port calls, and the end of input fails the port calls still waiting."""
    readline = channel.readline
    is_message = pythonia.is_message
    port_answer = ports_host.answer if ports_host is not None else None

    def read_one():
        line = readline()
        if not line:
            if ports_host is not None:
                ports_host.host_closed()
            return False
        if is_message(line):
            route(line)
        elif port_answer is not None and line[:1] == b"q":
            port_answer(line)
        return True

    return read_one
