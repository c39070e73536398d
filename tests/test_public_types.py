"""What a type checker sees: every public name with its own signature (not ``Any``, as ``__getattr__`` alone
would give), and each table function returning the kind of table it is given.

mypy runs on a small typed caller: the lines it must accept and the one it must refuse show that the signature
says what the function does at run time (a polars frame in, a polars frame out).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mixupy

pytest.importorskip("polars")
pytest.importorskip("mypy")

ROOT = Path(__file__).resolve().parents[1]

CALLER = """
import pandas as pd
import polars as pl
import pyarrow as pa
import mixupy

frame: pd.DataFrame = mixupy.mixup(pd.DataFrame({"x": [1.0, 2.0]}))
eager: pl.DataFrame = mixupy.mixup(pl.DataFrame({"x": [1.0, 2.0]}), alpha=1)
lazy: pl.LazyFrame = mixupy.mixup(data=pl.LazyFrame({"x": [1.0, 2.0]}))
cut: pl.DataFrame = mixupy.cutmix(pl.DataFrame({"x": [1.0, 2.0], "z": [0.0, 1.0]}))
series: pl.DataFrame = mixupy.mixup_timeseries(pl.DataFrame({"id": [1, 2], "x": [1.0, 2.0]}), id_col="id")
lagged: pl.DataFrame = mixupy.mixup_lagged(pl.DataFrame({"x": [1.0, 2.0, 3.0]}), time_diff=1)
table: pa.Table = mixupy.mixup(pa.table({"x": [1.0, 2.0]}))
reveal_type(mixupy.mixup(pl.DataFrame({"x": [1.0]})))
reveal_type(mixupy.MixupSampler)
wrong: pd.DataFrame = mixupy.mixup(pl.DataFrame({"x": [1.0]}))
"""


def mypy(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    caller = tmp_path / "caller.py"
    caller.write_text(source)
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports", str(caller)]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)


def test_each_table_function_returns_the_kind_it_is_given(tmp_path: Path) -> None:
    done = mypy(CALLER, tmp_path)
    assert 'Revealed type is "polars.dataframe.frame.DataFrame"' in done.stdout, done.stdout
    assert 'Revealed type is "def (' in done.stdout and "mixupy.sampler.MixupSampler" in done.stdout, done.stdout
    # the one line that must be refused, the last: a polars result is not a pandas frame
    (error,) = [line for line in done.stdout.splitlines() if "error:" in line]
    assert error.startswith(f"caller.py:{CALLER.count(chr(10))}:"), done.stdout
    assert 'expression has type "polars.dataframe.frame.DataFrame", variable has type "pandas' in error
    assert done.returncode == 1


def test_the_names_a_type_checker_reads_are_the_lazy_ones() -> None:
    """``__init__``'s ``if TYPE_CHECKING:`` block imports each public name from the module ``_LAZY`` gives."""
    tree = ast.parse((ROOT / "src" / "mixupy" / "__init__.py").read_text())
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    imported = {
        alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    imported.pop("Any")
    assert imported == dict(mixupy._LAZY)
