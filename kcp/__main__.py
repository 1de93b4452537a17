"""``python -m kcp``: the same command line as the ``kcp`` script."""

from kcp.cli import main

raise SystemExit(main())
