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
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    loaded = set(json.loads(done.stdout))
    assert not loaded & set(OPTIONAL), loaded & set(OPTIONAL)


def test_help_version_and_usage_errors_load_neither_numpy_nor_pandas() -> None:
    # so that they answer in a tenth of a second, not the second pandas takes to import
    code = (
        "import sys, json\n"
        "from mixupy.cli import main\n"
        "codes = [main(args) for args in (['--version'], ['augment', '--help'], ['augment', '--bogus'], ['augment'])]\n"
        "print(json.dumps([codes, sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pandas', 'pyarrow'})]))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    codes, loaded = json.loads(done.stdout.splitlines()[-1])
    assert codes == [0, 0, 2, 2]
    assert loaded == []


def test_the_command_allocates_from_the_system_pool_for_parquet_unless_told_otherwise() -> None:
    # The command's own process (python -m mixupy, the console script) gives Arrow the system allocator when it
    # names a Parquet file; a CSV keeps pyarrow's own pool, and so does a program that imports mixupy.
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    env["PYTHONPATH"] = str(ROOT / "src")
    parquet, csv = ["augment", "in.PARQUET", "-o", "out.csv"], ["augment", "in.csv", "-o", "out.csv"]
    cases = [("mixupy.__main__", parquet, None, True), ("mixupy.__main__", parquet, "jemalloc", False)]
    cases += [("mixupy.__main__", csv, None, False), ("mixupy", parquet, None, False)]
    for module, args, chosen, system in cases:
        code = f"import sys; sys.argv[1:] = {args!r}; import {module}, pyarrow as pa"
        code += "; print(pa.default_memory_pool().backend_name)"
        run_env = env if chosen is None else {**env, "ARROW_DEFAULT_MEMORY_POOL": chosen}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=run_env, check=True)
        backend = done.stdout.strip()
        assert (backend == "system") == system, (module, args, chosen, backend, done.stderr)
        if chosen is not None:
            assert backend == chosen


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


def test_no_module_keeps_mutable_state() -> None:
    # Nothing may be shared between calls that threads could trip on or a forked child could inherit broken:
    # module-level values are constants (numbers, strings, tuples, frozen sets, read-only mappings and arrays).
    import importlib
    import pkgutil
    import types
    import typing

    import numpy as np

    allowed = (types.ModuleType, type, types.FunctionType, int, float, str, bytes, tuple, frozenset, type(None))
    allowed += (types.MappingProxyType, types.BuiltinFunctionType, typing.TypeVar)  # a TypeVar: for type checkers
    found = []
    for info in pkgutil.walk_packages(mixupy.__path__, "mixupy."):
        if info.name == "mixupy.__main__":  # runs the command line when imported
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__") or getattr(value, "__module__", module.__name__) != module.__name__:
                continue  # dunder names (__all__ is a list by convention) and names imported from elsewhere
            if isinstance(value, np.ndarray):
                if value.flags.writeable:
                    found.append(f"{info.name}.{name}")
            elif not isinstance(value, allowed) and not callable(value):
                found.append(f"{info.name}.{name} ({type(value).__name__})")
    assert not found, found


def test_a_missing_extra_says_which_to_install() -> None:
    cases = {
        "MixupSampler": ("imblearn", "imblearn"),
        "mixup_dask": ("dask", "dask"),
        "mixup_batch": ("torch", "torch"),
        "MixupDataset": ("keras", "keras"),
    }
    for name, (blocked, extra) in cases.items():
        code = (
            f"import sys; sys.modules[{blocked!r}] = None\n"  # as if the package were not installed
            "import mixupy\n"
            f"try:\n    mixupy.{name}\nexcept ImportError as e:\n    print(type(e).__name__, e)\n"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert f"pip install 'mixupy[{extra}]'" in done.stdout, (name, done.stdout, done.stderr)


def test_a_folder_named_mixupy_in_the_working_directory_does_not_shadow_the_package(tmp_path: Path) -> None:
    # As after `git clone ... mixupy; pip install -e mixupy`, then Python started beside the clone: with the
    # src/ layout the clone folder holds no importable mixupy/, and the installed package is found.
    (tmp_path / "mixupy" / "src").mkdir(parents=True)
    (tmp_path / "mixupy" / "README.md").write_text("a clone\n")
    code = "import mixupy; print(mixupy.mixup.__name__)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "mixup"
