"""The command line under faults: signals at random points, size limits, unwritable places, the input named as the
output in every way, and two runs writing one output at once.

Each run is checked for its exit code, one line on standard error (no traceback), no file at the output path,
no temporary file left beside it, and an input unchanged.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals, links and limits as Linux has them")

ROOT = Path(__file__).resolve().parents[1]
ROWS = 150_000


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mixupy", "augment", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV that takes the command a second or two: long enough to be interrupted anywhere."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((ROWS, 8)), columns=[f"x{j}" for j in range(8)])
    frame["y"] = rng.integers(0, 3, ROWS)
    path = tmp_path_factory.mktemp("big") / "in.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def folder(tmp_path: Path, big_csv: Path) -> Path:
    shutil.copy(big_csv, tmp_path / "in.csv")
    return tmp_path


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


STOPS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGKILL]


def written_so_far(pid: int, folder: Path) -> int:
    """Bytes the command has written to files it holds open in ``folder`` (its unnamed output, its spill)."""
    total = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
            if target.startswith(str(folder)) and not target.endswith("in.csv"):
                total += os.stat(fd).st_size
        except OSError:  # closed meanwhile
            continue
    return total


@pytest.mark.parametrize("signum", STOPS, ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("concat", [False, True], ids=["plain", "concat"])
def test_a_signal_at_a_random_point_of_a_run_leaves_nothing_behind(folder: Path, signum: int, concat: bool) -> None:
    # The point: once the output holds a random share (1% to 40%) of the input's size (the output is about 1.2
    # times the input), so the signal always lands in the middle of the writing, never before it starts or after
    # it ends, even when this process is slow to send it on a loaded machine.
    before = digest(folder / "in.csv")
    share = random.Random(f"{signum}-{concat}").uniform(0.01, 0.4)
    threshold = share * (folder / "in.csv").stat().st_size
    args = ["in.csv", "-o", "out.csv", "--labels", "y", "--seed", "1", "--buffer-rows", "20000"]
    proc = subprocess.Popen(
        command(*args, *(["--concat"] if concat else [])),
        cwd=folder,
        env=environment(),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    while proc.poll() is None and written_so_far(proc.pid, folder) < threshold:
        time.sleep(0.002)
    assert proc.poll() is None, "the run ended before the signal: make the input larger"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert digest(folder / "in.csv") == before
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["in.csv"], (proc.returncode, stderr)  # no output, no temporary file at all
    if signum == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 128 + signum
        line = one_line(stderr)
        assert line.startswith("mixupy: "), line


def run(folder: Path, *args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args),
        cwd=folder,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=preexec,
        timeout=120,
    )


def test_a_file_size_limit_fails_cleanly(folder: Path) -> None:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit then fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    done = run(folder, "in.csv", "-o", "out.csv", preexec=limit)
    assert done.returncode == 1, done.stderr
    assert "File too large" in one_line(done.stderr)
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv"]


def test_a_read_only_file_system_is_a_usage_error(folder: Path) -> None:
    # A read-only tmpfs mounted in a private mount namespace of the command's own (unshare -rm: no privilege
    # needed, nothing seen outside the command).
    locked = folder / "locked"
    locked.mkdir()
    script = (
        f"mount -t tmpfs -o ro tmpfs {locked} && exec {sys.executable} -m mixupy augment {folder / 'in.csv'} "
        f"-o {locked / 'out.csv'}"
    )
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], env=environment(), capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    line = one_line(done.stderr)
    assert "Read-only file system" in line and "out.csv" in line and ".part" not in line, line
    assert sorted(p.name for p in locked.iterdir()) == []


def test_permission_denied_is_a_usage_error(folder: Path) -> None:
    done = run(folder, "in.csv", "-o", "/sys/out.csv")  # not writable, even by root
    assert done.returncode == 2, done.stderr
    line = one_line(done.stderr)
    assert "/sys/out.csv" in line and ".part" not in line, line


def test_where_an_unnamed_file_cannot_be_linked_the_output_is_still_written_whole(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fault injection: the system refuses to give the unnamed file a name (no /proc, another mount namespace,
    # no right to link by descriptor). The file is then copied under a hidden name in the kernel and renamed.
    import mixupy
    from mixupy._files import _atomic

    def refuse(fd: int, name: Path) -> bool:
        raise _atomic._CannotLink

    monkeypatch.setattr(_atomic, "_link", refuse)
    (folder / "out.csv").write_text("old")
    os.chmod(folder / "out.csv", 0o640)
    assert mixupy.mixup_file(folder / "in.csv", folder / "out.csv", random_state=3) == (ROWS, 9)
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv", "out.csv"]
    assert len(pd.read_csv(folder / "out.csv")) == ROWS
    assert os.stat(folder / "out.csv").st_mode & 0o777 == 0o640
    monkeypatch.undo()
    mixupy.mixup_file(folder / "in.csv", folder / "again.csv", random_state=3)
    assert digest(folder / "again.csv") == digest(folder / "out.csv")


def test_a_missing_folder_is_a_usage_error(folder: Path) -> None:
    done = run(folder, "in.csv", "-o", "nowhere/out.csv")
    assert done.returncode == 2
    assert "nowhere" in one_line(done.stderr)
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv"]


def test_a_loop_of_links_as_the_output_is_a_usage_error(folder: Path) -> None:
    os.symlink("l2", folder / "l1")
    os.symlink("l1", folder / "l2")
    done = run(folder, "in.csv", "-o", "l1")
    assert done.returncode == 2, done.stderr
    assert "l1" in one_line(done.stderr)
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv", "l1", "l2"]


@pytest.mark.parametrize("name", ["in.csv", "./in.csv", "sub/../in.csv", "{abs}", "//{abs}", "link.csv", "hard.csv"])
def test_the_input_named_as_the_output_in_any_way_is_refused(folder: Path, name: str) -> None:
    (folder / "sub").mkdir()
    os.symlink("in.csv", folder / "link.csv")
    os.link(folder / "in.csv", folder / "hard.csv")
    before = digest(folder / "in.csv")
    done = run(folder, "in.csv", "-o", name.format(abs=str(folder / "in.csv")))
    assert done.returncode == 2, done.stderr
    assert "input" in one_line(done.stderr)
    assert digest(folder / "in.csv") == before
    assert sorted(p.name for p in folder.iterdir()) == ["hard.csv", "in.csv", "link.csv", "sub"]


def test_two_runs_writing_one_output_at_once_leave_one_complete_file(folder: Path) -> None:
    args = command("in.csv", "-o", "out.csv", "--seed", "5", "--buffer-rows", "30000")
    procs = [subprocess.Popen(args, cwd=folder, env=environment(), stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0], [p.stderr.read() if p.stderr else "" for p in procs]
    for p in procs:
        if p.stderr:
            p.stderr.close()
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv", "out.csv"]
    alone = run(folder, "in.csv", "-o", "alone.csv", "--seed", "5", "--buffer-rows", "30000")
    assert alone.returncode == 0
    assert digest(folder / "out.csv") == digest(folder / "alone.csv")  # one whole run's file, not a mixture


def loading(pid: int) -> bool:
    """True once the command has begun to load NumPy: its Ctrl-C handler is installed by then."""
    try:
        return "numpy" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.4])
def test_ctrl_c_while_the_libraries_load_gives_one_line_and_no_file(folder: Path, delay: float) -> None:
    # NumPy, pandas and the mixing code take a few tenths of a second to import (the window where Ctrl-C used
    # to print a traceback): each interrupt is sent at a moment of that window, counted from its start.
    proc = subprocess.Popen(
        command("in.csv", "-o", "out.csv"), cwd=folder, env=environment(), stderr=subprocess.PIPE, text=True
    )
    while proc.poll() is None and not loading(proc.pid):
        time.sleep(0.001)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 130, stderr
    assert one_line(stderr) == "mixupy: interrupted"
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv"]


def test_a_column_whose_type_changes_inside_one_block_gives_one_line(tmp_path: Path) -> None:
    rows = ["x,y"] + [f"{i / 7},{i % 2}" for i in range(300_000)] + ["oops,1"]
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n")
    done = run(tmp_path, "in.csv", "-o", "out.csv")
    assert done.returncode == 1
    line = one_line(done.stderr)  # no DtypeWarning from pandas before it
    assert "'x'" in line and "oops" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_dev_stdout_into_a_pipe_is_written_through(folder: Path) -> None:
    done = subprocess.run(
        command("in.csv", "-o", "/dev/stdout", "--seed", "2"), cwd=folder, env=environment(), capture_output=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(b"\n") == ROWS + 1
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("rows", ["99999999999999", str(10**23)])
def test_rows_beyond_memory_are_a_usage_error_before_anything_is_written(folder: Path, rows: str) -> None:
    done = run(folder, "in.csv", "-o", "out.csv", "--rows", rows)
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert f"--rows {rows} would need about" in line and "memory" in line, line
    assert sorted(p.name for p in folder.iterdir()) == ["in.csv"]


def test_a_header_far_too_wide_is_refused_at_once(tmp_path: Path) -> None:
    width = 200_000
    (tmp_path / "wide.csv").write_text(",".join(f"c{i}" for i in range(width)) + "\n" + ",".join(["1"] * width) + "\n")
    done = run(tmp_path, "wide.csv", "-o", "out.csv")  # run() gives up after two minutes: no endless parsing
    assert done.returncode == 1
    assert "more than 100,000 fields" in one_line(done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wide.csv"]
