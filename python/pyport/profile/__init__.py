"""The Python side of `pyport profile` (src/profile/): the profiler (profiler.py, run as a script) and its parts
(sampler, counter, frames, paths, tasks, waits, cpu_signal), and the calibration's probes (probe.py, echo.py,
port_probe.py, kernel.py).
"""
