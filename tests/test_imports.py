"""`import mixupy` stays light: optional back-ends load only when used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import mixupy

ROOT = Path(__file__).resolve().parents[1]
# pyarrow is not listed: pandas 3 itself imports it, when installed, for its string dtype.
OPTIONAL = ["torch", "dask", "distributed", "matplotlib", "imblearn", "sklearn", "PIL", "keras", "tqdm"]


def test_import_loads_no_optional_dependency() -> None:
    code = "import sys, json, mixupy; print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    loaded = set(json.loads(done.stdout))
    assert not loaded & set(OPTIONAL), loaded & set(OPTIONAL)


def test_public_names_resolve() -> None:
    for name in mixupy.__all__:
        assert getattr(mixupy, name) is not None
    assert mixupy.__version__.count(".") == 2


def test_unknown_attribute() -> None:
    try:
        mixupy.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_typed_marker_shipped() -> None:
    assert (Path(mixupy.__file__).parent / "py.typed").is_file()
