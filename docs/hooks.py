"""MkDocs hook: show Sphinx cross-reference roles in docstrings as plain code.

The docstrings follow numpydoc, where ``:func:`mixup``` links in Sphinx; mkdocstrings
renders the role's name literally (":func:mixup"). This hook drops the role and keeps
the code span, so the API reference reads as the docstring means it.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|data|mod|obj|exc|const):(?=<code)")


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub("", html)
