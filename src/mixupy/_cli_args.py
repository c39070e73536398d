"""The command line's argument types: each flag's text checked and converted, or an argparse error in the
flag's own terms (argparse names the flag). Light: imported with the parser, before NumPy or pandas."""

from __future__ import annotations

import argparse

__all__ = ["alpha", "bandwidth", "count", "date_format", "labels", "names", "seed", "sep"]


def alpha(text: str) -> float:
    try:
        value = float(text)
    except (ValueError, OverflowError):
        value = -1.0
    if not (0 <= value < float("inf")):
        msg = f"expected a finite number >= 0, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def count(text: str) -> int:
    return _integer(text, 1, "a positive integer")


def seed(text: str) -> int:
    return _integer(text, 0, "an integer >= 0")


def _integer(text: str, least: int, expected: str) -> int:
    """``text`` as an integer of at least ``least``, or an error that says what was ``expected``."""
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        msg = f"expected {expected}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def bandwidth(text: str) -> float:
    """A finite number > 0: what :func:`alpha` accepts, but 0."""
    try:
        if (value := alpha(text)) > 0:
            return value
    except argparse.ArgumentTypeError:
        pass
    msg = f"expected a positive finite number (the kernel's sigma, in the target's units), got {text!r}"
    raise argparse.ArgumentTypeError(msg)


def sep(text: str) -> str:
    """One character (``\\t`` for a tab, as a shell passes it unquoted): the field separator."""
    sep = "\t" if text == "\\t" else text
    if len(sep) != 1 or sep in '"\r\n':
        msg = f"expected one character, the field separator (',', ';', '\\t', '|'); got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return sep


def date_format(text: str) -> str:
    """A format that strptime reads dates by (``%d/%m/%Y``)."""
    from mixupy._defaults import date_format_fault

    if (fault := date_format_fault(text)) is not None:
        raise argparse.ArgumentTypeError(fault)
    return text


def column_list(text: str, expected: str, twice_hint: str = "") -> list[str]:
    """Column names separated by commas, each once."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected {expected}")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise argparse.ArgumentTypeError(f"names {', '.join(twice)} more than once{twice_hint}")
    return names


def names(text: str) -> list[str] | str:
    return "auto" if text.strip() == "auto" else column_list(text, "column names separated by commas")


def labels(text: str) -> list[str]:
    expected = "one class column, or several one-hot columns separated by commas"
    return column_list(text, expected, "; list each one-hot column once")
