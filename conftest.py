"""Shared test set-up: the repository root on sys.path, Keras on the torch backend, headless plotting."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("MPLBACKEND", "Agg")

from hypothesis import HealthCheck, settings

# Two sizes for the hypothesis tiers: "ci" (the default, a few minutes for the whole suite on 2 cores) and
# "release" (HYPOTHESIS_PROFILE=release python -m pytest), 20 times as many cases, to run before a release.
# Tests that name their own max_examples keep it; the adversarial tier (tests/test_adversarial.py) follows the profile.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("release", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
