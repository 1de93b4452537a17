"""The platform for the browser tests: the demo data seeded into a fresh directory of embedded
stores, the five subgraphs and the router on the ports given, with free-form queries refused
(``KCP_PERSISTED_FREEFORM=enforce``), so every page the tests open proves the app runs on its
trusted documents alone. Runs until SIGTERM or SIGINT (Playwright's webServer stops it).

    .venv/bin/python -m tests.web.browser_platform --router-port 13100
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from commands.launcher import start_platform
from commands.subgraphs import SUBGRAPHS

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--router-port", type=int, default=13100, help="the router's; subgraphs take the next five")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kcp-web-tests-"))
    environment = {
        "KCP_DATA_DIR": str(work / "data"),
        "KCP_PERSISTED_FREEFORM": "enforce",
        # The tests sign in many times from one address; the login throttle is tested elsewhere.
        "RATE_LIMIT_PER_MINUTE": "100000",
    }
    env = {**os.environ, **environment}
    print(f"web tests: seeding the demo data into {work}", flush=True)
    seeded = subprocess.run([sys.executable, "-m", "commands", "seed"], env=env, cwd=ROOT, check=False)
    if seeded.returncode != 0:
        return seeded.returncode
    ports = {"router": arguments.router_port} | {
        name: arguments.router_port + 1 + index for index, name in enumerate(SUBGRAPHS)
    }
    os.environ.update(environment)
    (work / "logs").mkdir()
    platform = start_platform(ports=ports, environment=environment, log_dir=work / "logs")
    print(f"web tests: the platform is up, router {platform.router_url} (logs in {work / 'logs'})", flush=True)
    stopping = False

    def stop(_signal: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            for name, code in platform.exited():
                print(f"web tests: {name} exited with code {code}", file=sys.stderr, flush=True)
                return 1
            time.sleep(0.5)
    finally:
        platform.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
