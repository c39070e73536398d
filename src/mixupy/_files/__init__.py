"""Files, in one place: atomic writes, the block reader of CSV and Parquet files, and the sinks.

* :func:`atomic_write`: a file that takes the target's name only when the
  writing succeeds (unnamed until then, on Linux), so that no partial file ever
  has the target's name and none is left behind. Used by
  :func:`mixupy.mixup_file` and the command line; :func:`atomic_path` is the
  same for writers that need a path.
* :class:`Reader`: a file's blocks of exactly ``buffer_rows`` rows, and a light
  first pass over one column.
* :class:`CsvSink`, :class:`ParquetSink`, :class:`Spill`: where mixed blocks go.
"""

from mixupy._files._atomic import atomic_path, atomic_write, text_view
from mixupy._files._read import Reader, check_source, not_a_file, resolve_names, sorted_classes
from mixupy._files._sinks import (
    CSV_ENGINES,
    CsvSink,
    ParquetSink,
    Sink,
    Spill,
    check_target,
    csv_engine,
    is_parquet,
    parquet_module,
)

__all__ = [
    "CSV_ENGINES",
    "CsvSink",
    "ParquetSink",
    "Reader",
    "Sink",
    "Spill",
    "atomic_path",
    "atomic_write",
    "check_source",
    "check_target",
    "csv_engine",
    "is_parquet",
    "not_a_file",
    "parquet_module",
    "resolve_names",
    "sorted_classes",
    "text_view",
]
