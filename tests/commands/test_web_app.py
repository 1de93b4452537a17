"""``kcp dev`` and the web app: without Node.js it says so plainly and the API runs alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from commands.web_app import WebAppUnavailableError, start_web_app

if TYPE_CHECKING:
    from pathlib import Path


def test_without_node_the_web_app_is_not_started_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node, no npm
    with pytest.raises(WebAppUnavailableError, match=r"Node\.js with npm was not found.*the API runs alone"):
        start_web_app("http://127.0.0.1:4000/graphql", "127.0.0.1", tmp_path)
    assert not (tmp_path / "web.log").exists()
