"""The README's Python examples run, and its Quickstart is the two commands CI relies on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_blocks_run(tmp_path: Path) -> None:
    code = "\n\n".join(re.findall(r"```python\n(.*?)```", README, flags=re.S))
    assert "mixup(" in code
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)```", section, flags=re.S)[0].strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("mixupy demo")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for part in commands[1].split(" && "):  # CI runs the README's test command, step by step
        words = [w.strip('"') for w in part.split() if w not in ("--quiet", "--progress-bar", "off")]
        assert any(all(w.strip('"') in line for w in words) for line in ci.splitlines()), part
