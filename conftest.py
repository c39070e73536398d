"""Shared test set-up: the repository root on sys.path, Keras on the torch backend, headless plotting."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("MPLBACKEND", "Agg")
