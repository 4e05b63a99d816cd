"""The benchmarks' small toolkit: timing with a median, and the result record."""

import statistics
import time
from collections.abc import Callable


def timed(func: Callable[[], object], *, repeat: int = 3, before: Callable[[], object] | None = None) -> list[float]:
    """Wall-clock seconds of `repeat` calls of `func`; `before` (untimed) runs ahead of each."""
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return samples


def result(
    bench: str, *, samples: list[float], baseline_samples: list[float], unit: str = "s", goal_ratio: float, lower_is_better: bool = True, **extra
) -> dict:
    """One benchmark line. `value` and `baseline` are the best of their samples (the runs least
    disturbed by other processes on a shared machine, as timeit reports) and `ratio` is
    value / baseline; medians and every sample are reported too. The goal bounds the ratio from
    above (lower_is_better) or from below."""
    value = min(samples)
    baseline = min(baseline_samples)
    ratio = value / baseline if baseline else float("inf")
    ok = ratio <= goal_ratio if lower_is_better else ratio >= goal_ratio
    return {
        "bench": bench,
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "ratio": round(ratio, 2),
        "goal": f"ratio {'<=' if lower_is_better else '>='} {goal_ratio}",
        "ok": ok,
        "median": round(statistics.median(samples), 4),
        "baseline_median": round(statistics.median(baseline_samples), 4),
        "samples": [round(s, 4) for s in samples],
        "baseline_samples": [round(s, 4) for s in baseline_samples],
        **extra,
    }
