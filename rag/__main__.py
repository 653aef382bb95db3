"""``python -m rag``: see :mod:`rag.cli`."""

from rag.cli import main

raise SystemExit(main())
