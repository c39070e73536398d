"""mixupy.plot: what the figures hold (points, colours, weights) and the files the CLI writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy.stats import beta

from mixupy import mixup
from mixupy.datasets import load_iris
from mixupy.plot import demo_figure, plot_lambda, plot_mixup

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def two_class_frame() -> pd.DataFrame:
    return pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "y": [0.0, 0.0, 1.0, 1.0], "cls": ["a", "a", "b", "b"]})


def class_colours(ax: matplotlib.axes.Axes) -> dict[str, np.ndarray]:
    """Class -> the RGB colour its legend entry shows (the entries after "original" and "synthetic")."""
    handles = ax.get_legend().legend_handles[2:]
    return {h.get_label(): np.array(matplotlib.colors.to_rgb(h.get_color())) for h in handles}


def test_plot_mixup_draws_every_row_filled_then_hollow():
    data = two_class_frame()
    mixed = pd.DataFrame({"x": [0.5, 1.5, 2.5], "y": [0.1, 0.2, 0.3], "cls_a": [1.0, 0.5, 0.0], "cls_b": [0, 0.5, 1]})
    ax = plot_mixup(data, mixed, x="x", y="y", labels="cls")
    original, synthetic = ax.collections
    np.testing.assert_array_equal(original.get_offsets(), data[["x", "y"]].to_numpy())
    np.testing.assert_array_equal(synthetic.get_offsets(), mixed[["x", "y"]].to_numpy())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["original", "synthetic", "a", "b"]
    colour = class_colours(ax)
    assert not np.allclose(colour["a"], colour["b"])  # each class its own colour
    # original rows filled in their class colour, synthetic rows hollow with a blended edge
    np.testing.assert_allclose(original.get_facecolors()[:, :3], [colour["a"], colour["a"], colour["b"], colour["b"]])
    assert len(synthetic.get_facecolors()) == 0
    edges = synthetic.get_edgecolors()[:, :3]
    np.testing.assert_allclose(edges, [colour["a"], (colour["a"] + colour["b"]) / 2, colour["b"]])
    assert ax.get_xlabel() == "x"
    assert ax.get_ylabel() == "y"


def test_plot_mixup_class_column_and_one_hot_columns_give_the_same_picture():
    iris = load_iris(one_hot=False)
    iris_onehot = load_iris()
    species = ["setosa", "versicolor", "virginica"]
    by_class = plot_mixup(
        iris,
        mixup(iris, alpha=1, labels="species", random_state=3),
        x="sepal_length",
        y="sepal_width",
        labels="species",
    )
    by_onehot = plot_mixup(
        iris_onehot,
        mixup(iris_onehot, alpha=1, labels=species, random_state=3),
        x="sepal_length",
        y="sepal_width",
        labels=species,
    )
    for a, b in zip(by_class.collections, by_onehot.collections, strict=True):
        np.testing.assert_allclose(a.get_offsets(), b.get_offsets())
        np.testing.assert_allclose(a.get_edgecolors(), b.get_edgecolors())


def test_plot_mixup_exact_labels_are_drawn_in_their_class_colour():
    data = two_class_frame()
    mixed = mixup(data, alpha=1, labels="cls", label_mode="dominant", random_state=0)
    ax = plot_mixup(data, mixed, x="x", y="y", labels="cls")
    colour = class_colours(ax)
    expected = [colour[c] for c in mixed["cls"]]
    np.testing.assert_allclose(ax.collections[1].get_edgecolors()[:, :3], expected)
    np.testing.assert_allclose(ax.collections[0].get_facecolors()[:, :3], [colour[c] for c in data["cls"]])


def test_plot_mixup_without_labels_uses_one_colour_and_the_given_axes():
    data = two_class_frame().drop(columns="cls")
    fig, ax = plt.subplots()
    out = plot_mixup(data, mixup(data, random_state=0), x="x", y="y", ax=ax)
    assert out is ax
    assert len(fig.axes) == 1
    colours = np.vstack([ax.collections[0].get_facecolors()[:, :3], ax.collections[1].get_edgecolors()[:, :3]])
    assert colours.shape == (8, 3)
    np.testing.assert_allclose(colours, np.tile(colours[0], (8, 1)))  # one colour for every row...
    _, labelled = plt.subplots()
    first_class = class_colours(
        plot_mixup(
            two_class_frame(),
            mixup(two_class_frame(), labels="cls", random_state=0),
            x="x",
            y="y",
            labels="cls",
            ax=labelled,
        )
    )["a"]
    np.testing.assert_allclose(colours[0], first_class)  # ...the colour of a first class


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": "nope", "y": "y"}, ValueError, "`x` names column 'nope'"),
        ({"x": "x", "y": "cls"}, TypeError, "`y` column 'cls' of `data` must be numeric"),
        ({"x": "x", "y": "y", "labels": "cls", "ax": "axes"}, TypeError, "`ax` must be a matplotlib Axes"),
        ({"x": "x", "y": "y", "labels": "other"}, ValueError, "other"),
    ],
)
def test_plot_mixup_rejects_bad_arguments(kwargs, error, match):
    data = two_class_frame()
    with pytest.raises(error, match=match):
        plot_mixup(data, mixup(data, labels="cls", random_state=0), **kwargs)


def test_plot_mixup_says_when_mixed_lacks_the_label_columns_or_has_new_classes():
    data = two_class_frame()
    mixed = mixup(data.drop(columns="cls"), random_state=0)
    with pytest.raises(ValueError, match=r"`mixed` lacks the label columns \['cls_a', 'cls_b'\]"):
        plot_mixup(data, mixed, x="x", y="y", labels="cls")
    mixed = mixed.assign(cls=["a", "c", "a", "b"])
    with pytest.raises(ValueError, match=r"classes that `data` lacks: \['c'\]"):
        plot_mixup(data, mixed, x="x", y="y", labels="cls")
    with pytest.raises(TypeError, match="`mixed` must be a pandas DataFrame"):
        plot_mixup(data, mixed.to_numpy(), x="x", y="y")


def test_plot_lambda_shows_the_weights_mixup_drew():
    # On an identity matrix, synthetic row r holds its weight lam[r] in column r.
    n = 60
    frame = pd.DataFrame(np.eye(n))
    mixed = mixup(frame, alpha=0.7, random_state=11).to_numpy()
    lam = np.diag(mixed)
    ax = plot_lambda(0.7, size=n, bins=10, random_state=11)
    counts, _ = np.histogram(lam, bins=10, range=(0, 1))
    heights = np.array([p.get_height() for p in ax.patches])
    np.testing.assert_allclose(heights * n * 0.1, counts)


def test_plot_lambda_draws_the_beta_density():
    ax = plot_lambda(2.0, size=200, random_state=0)
    (line,) = ax.lines
    xs, ys = line.get_data()
    np.testing.assert_allclose(ys, beta.pdf(xs, 2.0, 2.0))
    assert sum(p.get_height() * p.get_width() for p in ax.patches) == pytest.approx(1.0)
    assert ax.get_ylim()[1] >= 1.5  # the density's peak stays in view


def test_plot_lambda_alpha_zero_draws_copies_only():
    ax = plot_lambda(0, size=100, bins=4, random_state=0)
    heights = [p.get_height() for p in ax.patches]
    assert len(ax.lines) == 0
    assert heights[1] == heights[2] == 0
    assert heights[0] + heights[3] == pytest.approx(4.0)


def test_plot_lambda_is_reproducible_and_checks_its_arguments():
    a = [p.get_height() for p in plot_lambda(0.3, size=50, random_state=5).patches]
    b = [p.get_height() for p in plot_lambda(0.3, size=50, random_state=5).patches]
    assert a == b
    with pytest.raises(ValueError, match="`alpha`"):
        plot_lambda(-1)
    with pytest.raises(ValueError, match="`size`"):
        plot_lambda(1, size=0)
    with pytest.raises(TypeError, match="`bins`"):
        plot_lambda(1, bins=2.5)


def test_demo_figure_has_two_panels_of_the_same_mix():
    fig = demo_figure(alpha=0.4, seed=2)
    left, right = fig.axes
    assert [len(c.get_offsets()) for c in left.collections] == [150, 150]
    assert sum(p.get_height() for p in right.patches) * (1 / 20) * 150 == pytest.approx(150)
    with pytest.raises(TypeError, match="`seed`"):
        demo_figure(seed=1.5)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "mixupy", *args], capture_output=True, text=True, env=env, cwd=cwd, check=False
    )


def test_cli_demo_writes_a_png_of_the_expected_size(tmp_path):
    result = run_cli("demo", "--alpha", "0.4", "--plot", "mix.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "mix.png"
    assert out.stat().st_size > 10_000
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == (1000, 400)
    assert "wrote the figure to mix.png" in result.stderr
    assert "iris, 150 rows, alpha=0.4" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["mix.png"]  # no temporary file left behind


def test_cli_demo_plot_usage_errors(tmp_path):
    result = run_cli("demo", "--plot", "mix.gif", cwd=tmp_path)
    assert result.returncode == 2
    assert "must end in .png, .svg or .pdf" in result.stderr
    result = run_cli("demo", "--plot", str(tmp_path / "missing" / "mix.png"), cwd=tmp_path)
    assert result.returncode == 2
    assert "output directory does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_importing_mixupy_plot_does_not_import_matplotlib():
    code = "import sys, mixupy.plot; print('matplotlib' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
