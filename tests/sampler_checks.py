"""The shared checks of an imbalanced-learn sampler, listed for pytest: used by the tests of both samplers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from imblearn.utils.estimator_checks import check_param_validation, estimator_checks_generator
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

#: scikit-learn's checks of the parameter API, and imbalanced-learn's of parameter validation: each is called as
#: ``check(name, estimator)``.
API_CHECKS = [
    check_param_validation,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_get_params_invariance,
    check_set_params,
]


def listed_checks(configurations: Iterable[Any], leave_out: frozenset[str] = frozenset()) -> list[Any]:
    """imbalanced-learn's checks of each configuration as ``pytest.param(estimator, check)``, but those named in
    ``leave_out``.

    imbalanced-learn's ``parametrize_with_checks`` hands pytest a generator, which pytest 9.1 deprecates (and
    ``filterwarnings = error`` makes fatal): these are the same checks, from the same generator, listed first.
    """
    return [
        pytest.param(estimator, check, id=f"{estimator!r}-{check.func.__name__}")
        for configuration in configurations
        for estimator, check in estimator_checks_generator(configuration)
        if check.func.__name__ not in leave_out
    ]
