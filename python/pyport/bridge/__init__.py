"""The Python side of PythonBridge and PythonPool (src/bridge/): the call shim (boot.py starts it and runs its read
loop, requests.py decodes and routes the host's requests, calls.py runs them) and what it is made of (dispatch,
replies, codec, errors, modules, objects, streams), the socket to the host (channel.py), the sentinel, everything
pyport knows of pythonia (pythonia.py), `@port` (ports.py) and `pyport run`'s entry (run_main.py).

Nothing is imported here: `from pyport import port` loads ports.py alone.
"""
