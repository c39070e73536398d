"""Time mixup(df) against mixupy 0.1.2 and against a plain copy, side by side in one run.

mixupy 0.1.2 runs in its own virtual environment (made on first use under
benchmarks/.venv-mixupy-0.1.2, with the same numpy and pandas versions as here).
The contenders take turns, round after round, so that a slow spell of the machine
hits them alike; every timing is the best over all rounds, on the same data. Peak
memory is measured with tracemalloc in a fresh process per case. The figures are
written into docs/benchmarks.md between markers.

    python benchmarks/bench_frame.py            # full size, writes the docs
    python benchmarks/bench_frame.py --quick    # small sizes, prints only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from _report import best_of, write_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV = HERE / ".venv-mixupy-0.1.2"
WORK = HERE / "_work"
DOC = ROOT / "docs" / "benchmarks.md"
MARK = "frame"

FULL_CASES = [(1_000_000, 20), (200_000, 200)]
QUICK_CASES = [(100_000, 20), (20_000, 200)]


def old_python() -> Path:
    """The interpreter of a virtual environment holding mixupy 0.1.2."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pins = [f"numpy=={np.__version__}", f"pandas=={pd.__version__}", "mixupy==0.1.2"]
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *pins], check=True)
    return python


OLD_TIMER = textwrap.dedent(
    """
    import sys, time, numpy as np, pandas as pd
    from mixupy import mixup
    import mixupy
    assert mixupy.__version__ == "0.1.2", mixupy.__version__
    df = pd.DataFrame(np.load(sys.argv[1]))
    df.columns = [f"c{i}" for i in range(df.shape[1])]
    mixup(df.iloc[:100])  # warm up
    print("ready", flush=True)
    for line in sys.stdin:  # one timed call per line received
        t = time.perf_counter(); mixup(df); print(time.perf_counter() - t, flush=True)
    """
)


MEMORY_PROBE = textwrap.dedent(
    """
    import json, sys, tracemalloc, numpy as np, pandas as pd
    kind = sys.argv[2]
    df = pd.DataFrame(np.load(sys.argv[1]))
    df.columns = [f"c{i}" for i in range(df.shape[1])]
    from mixupy import mixup
    if kind == "new":
        mixup(df.iloc[:10], random_state=0)  # warm imports and thread pool outside the measurement
    tracemalloc.start()
    out = mixup(df) if kind == "old" else mixup(df, random_state=0)
    peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"peak": peak, "input": int(df.memory_usage(index=False).sum()),
                      "output": int(out.memory_usage(index=False).sum())}))
    """
)


def old_env() -> dict[str, str]:
    """The environment for mixupy 0.1.2: nothing that could put this checkout's mixupy on its path."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def measure_memory(python: Path, path: Path, kind: str, env: dict[str, str]) -> dict[str, int]:
    done = subprocess.run(
        [str(python), "-c", MEMORY_PROBE, str(path), kind],
        capture_output=True,
        text=True,
        env=env,
        cwd=WORK,  # `python -c` puts the working directory first on sys.path
        check=True,
    )
    result: dict[str, int] = json.loads(done.stdout)
    return result


def run_case(n: int, k: int, rounds: int, repeats: int, python_old: Path) -> dict[str, float]:
    """Time one shape: ``rounds`` rounds, each timing every contender, so that a slow spell of the
    machine hits all of them alike; each figure is the best over all rounds."""
    from mixupy import mixup

    WORK.mkdir(exist_ok=True)
    path = WORK / f"frame_{n}x{k}.npy"
    values = np.random.default_rng(0).standard_normal((n, k))
    np.save(path, values)
    df = pd.DataFrame(values, columns=[f"c{i}" for i in range(k)])
    array = df.to_numpy()  # the frame's own values, column-major as pandas stores them
    mixup(df.iloc[:100], random_state=0)  # warm up

    old = subprocess.Popen(
        [str(python_old), "-c", OLD_TIMER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=old_env(),
        cwd=WORK,  # `python -c` puts the working directory first on sys.path
    )
    assert old.stdin is not None and old.stdout is not None
    if old.stdout.readline().strip() != "ready":
        raise RuntimeError("the mixupy 0.1.2 timer did not start")
    best = dict.fromkeys(["copy_s", "memcpy_s", "new_s", "old_s"], float("inf"))
    try:
        for _ in range(rounds):
            # ndarray.copy() of df.to_numpy() (Fortran-ordered) writes a C-ordered array: a transposing
            # copy. A copy in the same layout is a plain memcpy, the fastest anything that writes every
            # value can be.
            best["copy_s"] = min(best["copy_s"], best_of(array.copy, repeats))
            best["memcpy_s"] = min(best["memcpy_s"], best_of(lambda: array.copy(order="K"), repeats))
            best["new_s"] = min(best["new_s"], best_of(lambda: mixup(df, random_state=1), repeats))
            for _ in range(repeats):  # as many calls of 0.1.2 as of mixupy, so neither gets more chances
                old.stdin.write("go\n")
                old.stdin.flush()
                best["old_s"] = min(best["old_s"], float(old.stdout.readline()))
    finally:
        old.stdin.close()
        old.wait()

    env_new = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    mem_new = measure_memory(Path(sys.executable), path, "new", env_new)
    mem_old = measure_memory(python_old, path, "old", old_env())
    path.unlink()
    return {
        "rows": n,
        "cols": k,
        **best,
        "new_peak_extra_over_output": mem_new["peak"] / mem_new["output"],
        "old_peak_extra_over_output": mem_old["peak"] / mem_old["output"],
    }


def table(results: list[dict[str, float]]) -> str:
    lines = [
        "| rows × columns (float64) | `ndarray.copy()` | same-layout copy | mixupy 0.1.2 | mixupy "
        "| mixupy / 0.1.2 | mixupy / `ndarray.copy()` | mixupy / same-layout copy "
        "| peak extra memory, mixupy | peak extra memory, 0.1.2 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['rows']):,} × {int(r['cols'])} | {r['copy_s'] * 1e3:.0f} ms | {r['memcpy_s'] * 1e3:.0f} ms "
            f"| {r['old_s'] * 1e3:.0f} ms | {r['new_s'] * 1e3:.0f} ms | {r['new_s'] / r['old_s']:.3f}× "
            f"| {r['new_s'] / r['copy_s']:.2f}× | {r['new_s'] / r['memcpy_s']:.2f}× "
            f"| {r['new_peak_extra_over_output']:.2f} outputs | {r['old_peak_extra_over_output']:.2f} outputs |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="mixup(df) against mixupy 0.1.2 and a plain copy")
    parser.add_argument("--quick", action="store_true", help="small frames, print only, do not write the docs")
    parser.add_argument("--rounds", type=int, default=6, help="rounds, each timing every contender")
    parser.add_argument("--repeats", type=int, default=5, help="calls of mixupy and of each copy per round")
    args = parser.parse_args()
    cases = QUICK_CASES if args.quick else FULL_CASES
    python_old = old_python()
    rounds = 2 if args.quick else args.rounds
    results = [run_case(n, k, rounds, args.repeats, python_old) for n, k in cases]
    import mixupy

    meta = (
        f"Measured on {os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, mixupy "
        f"{mixupy.__version__} against mixupy 0.1.2. The contenders take turns: {rounds} rounds, each timing "
        f"{args.repeats} calls of mixupy, of each copy and of 0.1.2 (kept running in its own process); "
        "each figure is the best over all rounds. `ndarray.copy()` copies `df.to_numpy()`, "
        "which pandas stores column by column, into a C-ordered array (a transposing copy); the same-layout "
        "copy (`copy(order='K')`) is a plain memcpy. Peak extra memory is tracemalloc's peak during the "
        "call, in units of the output's size (the target is at most two outputs beyond the input)."
    )
    text = f"{table(results)}\n\n{meta}\n\nReproduce with `python benchmarks/bench_frame.py`."
    print(text)
    if not args.quick:
        write_section(DOC, MARK, text)


if __name__ == "__main__":
    main()
