"""Defaults and rules that the library and the command line share, in a module light enough for the command's
parser: nothing here imports NumPy or pandas, so ``mixupy --help``, ``--version`` and a usage error answer at once."""

from __future__ import annotations

import datetime

#: Rows of a file read and mixed at a time by :func:`mixupy.mixup_file` and ``mixupy augment --buffer-rows``, when
#: none is given: about 50 MB of float64 values per 12 columns.
DEFAULT_BUFFER_ROWS = 500_000


def date_format_fault(date_format: str) -> str | None:
    """Why ``date_format`` cannot read dates (no ``%`` directive, or one that strptime does not know, such as
    ``%Q``), in words that follow the option's name; None for a format it can. ``mixup_file``'s ``date_format=``
    and ``--date-format``, checked before the file is read."""
    if "%" not in date_format:
        expected = "a strftime format is expected, such as '%d/%m/%Y' or '%Y-%m-%d %H:%M'"
        return f"{date_format!r} holds no % directive: {expected}"
    sample = datetime.datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
    try:  # a date written in it must read back: strftime writes an unknown directive as it is, strptime refuses it
        datetime.datetime.strptime(sample.strftime(date_format), date_format)
    except ValueError as exc:
        why = str(exc).rstrip(".")
        return f"{date_format!r} cannot read dates: {why} (the directives are strftime's, such as '%d/%m/%Y')"
    return None
