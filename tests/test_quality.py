"""ruff and mypy are part of the suite: style and types are checked where tests are, and so is size."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mixupy"
MAX_MODULE_LINES = 550
MAX_FUNCTION_LINES = 80


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint() -> None:
    done = run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = run("ruff", "format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy() -> None:
    done = run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def code_lines(source: str) -> set[int]:
    """The numbers of the lines that hold code: not blank, not only a comment (a string spanning lines counts)."""
    lines: set[int] = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines


def function_sizes(source: str) -> list[tuple[str, int, int]]:
    """``(name, line, lines of code)`` of every function and method, its body without its docstring."""
    code = code_lines(source)
    sizes = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body
        first = body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            body = body[1:]  # the docstring
        if not body:
            sizes.append((node.name, node.lineno, 0))
            continue
        start, end = body[0].lineno, node.end_lineno or body[-1].lineno
        sizes.append((node.name, node.lineno, len(code & set(range(start, end + 1)))))
    return sizes


def test_size_counter_by_hand() -> None:
    source = """def f(x):
    \"\"\"A docstring
    over two lines.\"\"\"
    # a comment alone

    y = (x +
         1)  # a comment after code
    text = \"\"\"
    # not a comment: inside a string
    \"\"\"
    return y, text
"""
    assert function_sizes(source) == [("f", 1, 6)]


def test_modules_and_functions_stay_small() -> None:
    """No module of the package over 550 lines, no function or method over 80 lines of code."""
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        n_lines = len(source.splitlines())
        if n_lines > MAX_MODULE_LINES:
            too_long.append(f"{name}: {n_lines} lines (at most {MAX_MODULE_LINES})")
        for function, line, size in function_sizes(source):
            if size > MAX_FUNCTION_LINES:
                too_long.append(f"{name}:{line} {function}(): {size} lines of code (at most {MAX_FUNCTION_LINES})")
    assert not too_long, "\n".join(too_long)
