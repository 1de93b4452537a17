"""``promtool check rules`` and ``promtool test rules`` inside the suite, so CI (where .ci/run
installs Debian's prometheus package) fails on a rule that breaks; ``make ops-check`` runs the same
by hand. Without promtool, and outside the real-server tier, the test skips and says why."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from promql import MONITORING


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if any(name.startswith("KCP_TEST_") for name in os.environ):
            pytest.fail("promtool is missing: apt-get install prometheus (.ci/run installs it)")
        pytest.skip("promtool is not installed (Debian's prometheus package; make ops-check installs it)")
    return found


@pytest.mark.parametrize("command", ["check", "test"])
def test_promtool_accepts_the_rules_and_their_unit_tests(command: str) -> None:
    target = "rules.yml" if command == "check" else "rules.test.yml"
    completed = subprocess.run(
        [_promtool(), command, "rules", target],
        cwd=MONITORING / "prometheus",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "SUCCESS" in completed.stdout
