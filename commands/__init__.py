"""The composition root: the ``kcp`` command line and the launcher that wire the platform together.

This package sits above everything else and is the only one that imports the kernel (``kcp``),
the router, the subgraphs and the demo dataset together. The kernel below it knows none of them.

Each subcommand group is one module with a ``register`` function; ``commands.cli.COMMAND_GROUPS``
lists them in the order ``kcp --help`` shows them.
"""
