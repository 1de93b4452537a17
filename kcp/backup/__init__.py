"""Backups of every store a deployment uses, to S3-compatible object storage, and their restore.

The kernel half: it knows stores (SQLite files, the embedded graph, PostgreSQL, MongoDB, Neo4j),
never domains. Which stores a deployment has is decided by the composition root
(``commands/backup.py``), which hands this package a list of ``StoreBackup`` objects.

- ``records``: per-table record digests, the basis of manifest checksums and the drill's comparison.
- ``manifest``: what a backup holds (artifacts, sizes, SHA-256, store versions, migration heads).
- ``bucket``: the S3 side through boto3, with every refusal turned into a sentence.
- ``embedded`` / ``servers``: one ``StoreBackup`` per kind of store.
- ``run``: ``backup``, ``restore`` and retention; ``drill``: seed, back up, wipe, restore, compare.
"""

from __future__ import annotations


class BackupError(RuntimeError):
    """A backup, restore or drill cannot go on; the message names what failed and what to do."""
