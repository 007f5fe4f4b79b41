"""The calibration's Python → TypeScript port round trip (src/profile/port-probe.ts): a tiny function decorated with
@port, served in ts mode by a port that returns its argument, timed from Python as agent code would call it."""
from time import perf_counter

from pyport import port


@port("pyport_calibration_echo")
def echo(x):
    return x


def round_trip_us(calls):
    """Median microseconds of one sequential call, after a warm-up."""
    for i in range(20):
        echo(i)
    times = []
    for i in range(calls):
        t0 = perf_counter()
        if echo(i) != i:
            raise RuntimeError("the calibration port returned a wrong value")
        times.append(perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1e6
