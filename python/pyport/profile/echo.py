"""The function pyport's advisor times through PythonBridge to learn the cost of one bridge call."""


def echo(x):
    return x
