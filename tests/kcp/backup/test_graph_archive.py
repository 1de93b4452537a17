"""The embedded graph's restore on both kinds of Python 3.11 an image may run: with tarfile's
``filter="data"`` (3.11.4+) and without it (Debian bookworm's 3.11.2, found when the image's
``kcp drill`` failed there). A real graph round-trips either way; an archive with a member that
would land outside the restore folder is refused as a damaged backup, and nothing is written."""

from __future__ import annotations

import io
import tarfile
from typing import TYPE_CHECKING

import pytest

from kcp.backup import BackupError
from kcp.backup.embedded import EmbeddedGraphBackup

if TYPE_CHECKING:
    from pathlib import Path

PYTHONS = ["with tarfile.data_filter", "without tarfile.data_filter"]


@pytest.fixture(params=PYTHONS)
def python(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == PYTHONS[1]:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    return str(request.param)


def _graph(path: Path) -> EmbeddedGraphBackup:
    path.parent.mkdir(parents=True)
    store = EmbeddedGraphBackup("demo.graph", path)
    with store.connect() as connection:
        connection.execute("CREATE NODE TABLE Product(slug STRING PRIMARY KEY, name STRING)")
        connection.execute("CREATE (:Product {slug: 'liberty-4-nc', name: 'Liberty 4 NC'})")
        connection.execute("CREATE (:Product {slug: 'space-one', name: 'Space One'})")
    return store


def test_a_graph_export_restores_every_node(python: str, tmp_path: Path) -> None:
    source = _graph(tmp_path / "source" / "graph.lbug")
    archive = tmp_path / "graph.tar.gz"
    source.dump(archive, lambda _done, _total: None)
    target = EmbeddedGraphBackup("demo.graph", tmp_path / "target" / "graph.lbug")
    target.path.parent.mkdir()

    target.check_artifact(archive)
    target.restore(archive, lambda _done, _total: None)

    assert target.fingerprint() == source.fingerprint(), python
    assert sum(records.count for records in target.fingerprint().values()) == 2


def test_a_member_outside_the_archive_is_refused_and_nothing_written(python: str, tmp_path: Path) -> None:
    archive = tmp_path / "graph.tar.gz"
    with tarfile.open(archive, "w:gz") as writing:
        for name, data in (("export/schema.cypher", b""), ("../escaped.txt", b"outside")):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            writing.addfile(member, io.BytesIO(data))
    target = EmbeddedGraphBackup("demo.graph", tmp_path / "live" / "graph.lbug")
    target.path.parent.mkdir()

    with pytest.raises(BackupError, match=r"'\.\./escaped\.txt', not a plain file inside the archive"):
        target.restore(archive, lambda _done, _total: None)

    assert not list(tmp_path.rglob("escaped.txt")), python
    assert not target.path.exists()
