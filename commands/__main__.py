"""``python -m commands``: the same command line as the ``kcp`` script."""

from commands.cli import main

raise SystemExit(main())
