"""Defaults that the library and the command line share, in a module light enough for the command's parser:
nothing here imports NumPy or pandas, so ``mixupy --help``, ``--version`` and a usage error answer at once."""

from __future__ import annotations

#: Rows of a file read and mixed at a time by :func:`mixupy.mixup_file` and ``mixupy augment --buffer-rows``, when
#: none is given: about 50 MB of float64 values per 12 columns.
DEFAULT_BUFFER_ROWS = 500_000
