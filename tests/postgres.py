"""A throwaway PostgreSQL server for the generated repositories' database tests.

It runs Debian's `postgresql` package (`.ci/run` installs it) from a temporary data folder on
a free port of 127.0.0.1, as the `postgres` system user when the tests run as root (initdb
refuses root). `server()` yields the URL a generated repository's tests read from
TEST_DATABASE_URL, or skips the test saying what is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import skip_unless_ci

PASSWORD = "scaffold-test"


def _bin_dir() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian: /usr/lib/postgresql/<major>/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@contextmanager
def server() -> Iterator[str]:
    """A running server; yields postgresql://postgres:<password>@127.0.0.1:<port>/postgres."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        skip_unless_ci("no PostgreSQL server installed (apt-get install postgresql; .ci/run does)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        skip_unless_ci("running as root without runuser: initdb cannot run")
    with tempfile.TemporaryDirectory(prefix="scaffold-pg-") as tmp:
        data, password_file = Path(tmp) / "data", Path(tmp) / "password"
        password_file.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(tmp, "postgres")
            shutil.chown(password_file, "postgres")
        port = _free_port()
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    f"--pwfile={password_file}",
                    "--auth=scram-sha-256",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(Path(tmp) / "server.log"),
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        try:
            yield f"postgresql://postgres:{PASSWORD}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                check=False,
                capture_output=True,
            )
