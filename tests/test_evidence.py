"""benchmarks/bench_paper.py: its metrics by hand, its label noise, and a quick run that writes the page."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_paper.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_paper", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_paper"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["bench_paper"]


def test_metrics_by_hand(bench):
    proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]])
    error, log_loss, ece = bench.metrics(proba, np.array([0, 1, 1, 1]))
    assert error == 0.25
    assert log_loss == pytest.approx(-(math.log(0.9) + math.log(0.4) + math.log(0.8) + math.log(0.7)) / 4)
    # confidences 0.9, 0.6, 0.8, 0.7 fall into four different bins of width 1/15
    assert ece == pytest.approx((0.1 + 0.6 + 0.2 + 0.3) / 4)


def test_label_noise_touches_training_labels_only(bench):
    clean = bench.make_split("wine", 3, 0.0)
    noisy = bench.make_split("wine", 3, 0.3)
    np.testing.assert_array_equal(clean.x_train, noisy.x_train)
    np.testing.assert_array_equal(clean.y_test, noisy.y_test)
    changed = int((clean.y_train != noisy.y_train).sum())
    # 30% of the rows get a random class; about a third of those draw their own class again
    assert 0.12 * len(clean.y_train) < changed <= round(0.3 * len(clean.y_train))


def test_write_section_keeps_the_rest_of_the_page(bench, tmp_path):
    """The writer every benchmark script shares (benchmarks/_report.py), as bench_paper uses it."""
    page = tmp_path / "page.md"
    page.write_text(f"intro\n{bench.MARK_START}\nold\n{bench.MARK_END}\noutro\n", encoding="utf-8")
    bench.write_section(page, "paper", "new table")
    assert page.read_text(encoding="utf-8") == f"intro\n{bench.MARK_START}\nnew table\n{bench.MARK_END}\noutro\n"
    page.write_text("no markers here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the markers"):
        bench.write_section(page, "paper", "new table")


def test_quick_run_writes_tables_into_the_page(bench, tmp_path):
    page = tmp_path / "evidence.md"
    page.write_text((ROOT / "docs" / "evidence.md").read_text(encoding="utf-8"), encoding="utf-8")
    csv = tmp_path / "runs.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--doc", str(page), "--csv", str(csv)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    block = text[text.index(bench.MARK_START) : text.index(bench.MARK_END)]
    assert "Reproduce with `python benchmarks/bench_paper.py --quick`" in block
    a = bench.ALPHA
    for method in ("MLP, ERM", f"MLP, mixup once, {a}=0.4", f"MLP, mixup every epoch, {a}=0.4", "logistic, mixup once"):
        assert f"| {method}" in block
    assert "| GBT, ERM |" in block
    runs = pd.read_csv(csv)
    # iris, 2 noise levels, 1 seed: ERM x3 models + once x3 models + every epoch for the network
    assert len(runs) == 2 * 7
    assert set(runs["regime"]) == {"ERM", "once", "every epoch"}
    assert runs[["error", "ece"]].apply(lambda c: c.between(0, 1)).all().all()
    assert (runs["log_loss"] > 0).all()
