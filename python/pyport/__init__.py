"""The Python side of pyport: the call shim, the profiler and the article runner. Standard library only."""
