"""The image's health check finds the port of whichever KCP process the container runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kcp.healthcheck import check, main, port_of

if TYPE_CHECKING:
    from pathlib import Path


def test_the_port_comes_from_the_command() -> None:
    assert port_of(["/opt/kcp/bin/python3", "/opt/kcp/bin/kcp", "router"], {}) == 4000
    assert port_of(["kcp", "router"], {"KCP_ROUTER_PORT": "4100"}) == 4100
    assert port_of(["kcp", "serve", "knowledge"], {}) == 8001
    assert port_of(["kcp", "serve", "auth"], {}) == 8005
    assert port_of(["kcp", "serve", "support", "--port", "9003"], {}) == 9003
    assert port_of(["kcp", "router", "--port=4400"], {}) == 4400
    assert port_of(["sh"], {}) is None


def test_a_closed_port_fails_with_one_line(capsys) -> None:
    assert check("http://127.0.0.1:9/health") is not None
    assert main(["http://127.0.0.1:9/health"]) == 1
    out = capsys.readouterr().out.strip()
    assert out.startswith("healthcheck: http://127.0.0.1:9/health did not answer")
    assert "\n" not in out


def test_outside_a_kcp_container_it_says_what_to_pass(capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr("kcp.healthcheck.main_process_command", lambda: ["bash"])
    assert main([]) == 1
    assert "pass the URL" in capsys.readouterr().out
    del tmp_path
