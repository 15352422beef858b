"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests marked `postgres`.

Started from the installed server binaries (Debian: /usr/lib/postgresql/<version>/bin), in a
fresh directory, on a free port; `initdb` refuses root, so as root the cluster runs as the
`postgres` user. Stopped and deleted afterwards.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REQUIRE_ENV = "FAQBOT_REQUIRE_POSTGRES"
BIN_ENV = "FAQBOT_PG_BIN"
SUPERUSER = "faqbot"


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


@dataclass(frozen=True)
class Cluster:
    """A running cluster: connect as SUPERUSER, no password, over TCP on 127.0.0.1."""

    port: int
    data: Path

    def url(self, database: str = "postgres") -> str:
        """A postgresql:// URL for one database of the cluster."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def server_bin() -> Path:
    """The directory holding initdb and pg_ctl; Unavailable when none is installed."""
    candidates = [os.environ[BIN_ENV]] if os.environ.get(BIN_ENV) else []
    root = Path("/usr/lib/postgresql")
    if not candidates and root.is_dir():
        versions = sorted(root.iterdir(), key=lambda p: _version(p.name), reverse=True)
        candidates += [str(v / "bin") for v in versions]
    found = shutil.which("initdb")
    if found and not os.environ.get(BIN_ENV):
        candidates.append(str(Path(found).parent))
    for candidate in candidates:
        path = Path(candidate)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    raise Unavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) in "
        f"{os.environ.get(BIN_ENV) or '/usr/lib/postgresql/*/bin or on PATH'}; "
        "install the Debian package postgresql"
    )


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("as root, initdb needs a postgres user; there is none") from None
    return ["runuser", "-u", "postgres", "--", *argv]


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster, yield it, stop and delete it."""
    bin_dir = server_bin()
    base = Path(tempfile.mkdtemp(prefix="faqbot-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    started = False
    try:
        _run(
            _as_owner(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    SUPERUSER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            )
        )
        _run(
            _as_owner(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(base / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
        )
        started = True
        yield Cluster(port=port, data=data)
    finally:
        if started:
            with contextlib.suppress(subprocess.CalledProcessError):
                _run(
                    _as_owner(
                        [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                    )
                )
        shutil.rmtree(base, ignore_errors=True)


def _run(argv: list[str]) -> None:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"cannot run {argv[0]}: {exc}") from None
    if result.returncode != 0:
        raise Unavailable(
            f"{Path(argv[-1] if 'runuser' not in argv[0] else argv[4]).name} failed "
            f"({result.returncode}): {(result.stderr or result.stdout).strip()[-800:]}"
        )
