"""Every check of user input, with messages a person can act on.

Each function validates one parameter at the public boundary and returns it in
the normalised form that the rest of the package works with. Messages name the
parameter, say what was expected and show what came. The checks are grouped by
what they look at: scalar parameters (``_common``), tables (``_tables``),
arrays, images and series (``_arrays``), torch tensors (``_torch``). The
options of a mix as a whole, and random states, are normalised by
:mod:`mixupy._options` with these checks.
"""

from __future__ import annotations

from mixupy._validation._arrays import (
    ALIGNMENTS,
    PLACEMENTS,
    check_array,
    check_class_codes,
    check_finite,
    check_image_size,
    check_same_length,
    check_series_array,
    check_window,
    time_key,
)
from mixupy._validation._common import (
    LABEL_MODES,
    REDUCTIONS,
    ColumnNotFoundError,
    TooLargeError,
    _show,
    check_alpha,
    check_batch_size,
    check_bool,
    check_callable,
    check_choice,
    check_fits_in_memory,
    check_fraction,
    check_label_mode,
    check_label_smoothing,
    check_num_classes,
    check_optional_positive_int,
    check_positive_int,
    check_reduction,
    check_seed,
    finite_sum,
    physical_memory,
)
from mixupy._validation._tables import (
    _raise_missing,
    check_block_numeric,
    check_column,
    check_column_list,
    check_columns_exist,
    check_frame,
    check_numeric_columns,
    check_probability_rows,
    check_soft_labels,
    column_values,
    is_numeric_dtype,
)
from mixupy._validation._torch import (
    check_device,
    check_same_batch,
    check_tensor_batch,
)

__all__ = [
    "ALIGNMENTS",
    "LABEL_MODES",
    "PLACEMENTS",
    "REDUCTIONS",
    "ColumnNotFoundError",
    "TooLargeError",
    "_raise_missing",
    "_show",
    "check_alpha",
    "check_array",
    "check_batch_size",
    "check_block_numeric",
    "check_bool",
    "check_callable",
    "check_choice",
    "check_class_codes",
    "check_column",
    "check_column_list",
    "check_columns_exist",
    "check_device",
    "check_finite",
    "check_fits_in_memory",
    "check_fraction",
    "check_frame",
    "check_image_size",
    "check_label_mode",
    "check_label_smoothing",
    "check_num_classes",
    "check_numeric_columns",
    "check_optional_positive_int",
    "check_positive_int",
    "check_probability_rows",
    "check_reduction",
    "check_same_batch",
    "check_same_length",
    "check_seed",
    "check_series_array",
    "check_soft_labels",
    "check_tensor_batch",
    "check_window",
    "column_values",
    "finite_sum",
    "is_numeric_dtype",
    "physical_memory",
    "time_key",
]
