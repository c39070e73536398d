"""The documentation builds without a warning, and every Python example in it runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
# A fenced block opened by ```python (and nothing else on the line), up to its closing fence.
PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

# Runs one page's blocks in order, in one namespace; a traceback names the page and line.
RUNNER = """
import sys
import matplotlib
matplotlib.use("Agg")
namespace = {"__name__": "__main__"}
for filename, source in BLOCKS:
    exec(compile(source, filename, "exec"), namespace)
"""


def python_blocks(page: Path) -> list[tuple[str, str]]:
    """The ```python blocks of a page, each padded with blank lines so line numbers match the page."""
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in PYTHON_BLOCK.finditer(text):
        first_line = text.count("\n", 0, match.start(1))
        blocks.append((f"{page.relative_to(ROOT)}", "\n" * first_line + match.group(1)))
    return blocks


def test_pages_are_found_and_blocks_are_extracted():
    assert DOCS / "index.md" in PAGES
    sample = "text\n```python\nx = 1\n```\n\n```text\nnot run\n```\n```python\ny = x + 1\n```\n"
    found = [m.group(1) for m in PYTHON_BLOCK.finditer(sample)]
    assert found == ["x = 1\n", "y = x + 1\n"]


@pytest.mark.parametrize("page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.name)
def test_every_python_example_runs(page, tmp_path):
    script = f"BLOCKS = {python_blocks(page)!r}\n{RUNNER}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg", "KERAS_BACKEND": "torch"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"an example in {page.name} failed:\n{result.stderr}"


def test_site_builds_strict(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    # the reference is generated from the docstrings, numpydoc sections rendered
    assert "mixupy.mixup" in api
    assert "Beta(alpha, alpha)" in api
    assert "make_figures.py" not in {p.name for p in (tmp_path / "site").iterdir()}
    for image in re.findall(r"\]\((img/[^)]+)\)", "".join(p.read_text(encoding="utf-8") for p in PAGES)):
        assert (tmp_path / "site" / image).stat().st_size > 0


def test_api_reference_documents_every_public_name():
    import mixupy

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: mixupy\.[\w.]+\.(\w+)$", text, re.MULTILINE))
    public = set(mixupy.__all__) - {"__version__", "datasets"}
    assert public - documented == set()
    assert "load_iris" in documented


def test_index_links_to_every_page():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w-]+\.md)\)", text))
    assert linked == {p.name for p in PAGES} - {"index.md"}


def test_make_figures_writes_every_figure(tmp_path):
    from PIL import Image

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    subprocess.run(
        [sys.executable, str(DOCS / "make_figures.py"), "--out", str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(DOCS))
    try:
        from make_figures import FIGURES
    finally:
        sys.path.remove(str(DOCS))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FIGURES)
    for name, size in FIGURES.items():
        with Image.open(tmp_path / name) as image:
            assert image.format == "PNG"
            assert image.size == size
        # the committed copy the pages show is there too
        assert (DOCS / "img" / name).stat().st_size > 0
