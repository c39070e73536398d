"""``python -m mixupy``: the same as the ``mixupy`` command."""

from mixupy.cli import main

raise SystemExit(main())
