"""A throwaway PostgreSQL cluster on 127.0.0.1, for tests and for trying the postgres target.

    python -m crm_quality.pg_cluster start --dir target/pg   # prints `export PG…=…` lines
    python -m crm_quality.pg_cluster stop --dir target/pg

It uses the server binaries of the installed PostgreSQL (Debian's postgresql package). initdb
refuses to run as root, so under root the cluster runs as the `postgres` system user. The
cluster trusts local connections and skips fsync: it is for data that can be rebuilt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crm_quality.warehouse_roles import create_roles_sql

DATABASE = "crm_quality"
# The database sorts text by a language's rules, as most servers do, not by code point: the
# project must not depend on the server's collation. The operating system must have the locale
# (Debian: `localedef -i en_US -f UTF-8 en_US.UTF-8`, which .ci/run does); without it the
# database sorts by code point and test_pg_cluster.py says so.
DATABASE_LOCALE = "en_US.UTF-8"
SUPERUSER = "postgres"
_SERVER_SETTINGS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=50"
)


@dataclass(frozen=True)
class Cluster:
    """A running cluster: where its files are and how to reach it."""

    directory: Path
    port: int

    @property
    def environment(self) -> dict[str, str]:
        """The libpq variables (PGHOST, …) the postgres target and psql read."""
        return {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": SUPERUSER,
            "PGPASSWORD": "",
            "PGDATABASE": DATABASE,
        }


def server_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin directory (Debian keeps it off PATH)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise FileNotFoundError(
        "no PostgreSQL server found (looked for /usr/lib/postgresql/*/bin/initdb and initdb on "
        "PATH); install Debian's postgresql package"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    finished = subprocess.run(_as_cluster_owner(command), capture_output=True, text=True)
    if finished.returncode != 0:
        output = finished.stdout + finished.stderr
        raise RuntimeError(f"{' '.join(command)} failed ({finished.returncode}):\n{output}")


def start(directory: str | Path, port: int | None = None) -> Cluster:
    """Create (if needed) and start a cluster in `directory`, with database crm_quality."""
    directory = Path(directory).resolve()
    data = directory / "data"
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # The cluster's owner must reach its files: open the path down to them.
        for parent in [directory, *directory.parents]:
            if parent == Path("/"):
                break
            parent.chmod(parent.stat().st_mode | 0o711)
        shutil.chown(directory, "postgres", "postgres")
    bin_dir = server_bin_dir()
    if not (data / "PG_VERSION").exists():
        _run([
            str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8",
        ])  # fmt: skip
    if _is_running(bin_dir, data):  # started before: reuse it
        port = int((directory / "port").read_text(encoding="utf-8"))
    else:
        port = port or free_port()
        _run([
            str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-w",
            "-o", f"-p {port} -k {directory} {_SERVER_SETTINGS}", "start",
        ])  # fmt: skip
    cluster = Cluster(directory, port)
    (directory / "port").write_text(str(port), encoding="utf-8")
    _create_database(bin_dir, cluster)
    return cluster


def _is_running(bin_dir: Path, data: Path) -> bool:
    status = subprocess.run(
        _as_cluster_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "status"]),
        capture_output=True,
    )
    return status.returncode == 0


def has_locale(name: str) -> bool:
    """Whether the operating system has locale `name` (en_US.UTF-8 is listed as en_US.utf8)."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    wanted = name.lower().replace("utf-8", "utf8")
    return any(locale.lower().replace("utf-8", "utf8") == wanted for locale in listed)


def _create_database(bin_dir: Path, cluster: Cluster) -> None:
    """The database, and the roles an administrator would create (warehouse_roles.py)."""
    env = {**os.environ, **cluster.environment}
    exists = subprocess.run(
        [str(bin_dir / "psql"), "-tAc", f"select 1 from pg_database where datname = '{DATABASE}'",
         "postgres"],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    if exists.stdout.strip() != "1":
        locale = DATABASE_LOCALE if has_locale(DATABASE_LOCALE) else "C.UTF-8"
        subprocess.run(
            [str(bin_dir / "createdb"), "--template=template0", f"--locale={locale}",
             DATABASE],
            env=env, check=True,
        )  # fmt: skip
    subprocess.run(
        [str(bin_dir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-c", create_roles_sql()],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip


def stop(directory: str | Path) -> None:
    """Stop the cluster in `directory` (immediately: its data is throwaway)."""
    data = Path(directory).resolve() / "data"
    if (data / "postmaster.pid").exists():
        _run([str(server_bin_dir() / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_quality.pg_cluster", description=__doc__)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", required=True, help="the cluster's folder (created if needed)")
    parser.add_argument("--port", type=int, help="default: a free port")
    args = parser.parse_args(argv)
    if args.action == "stop":
        stop(args.dir)
        return 0
    cluster = start(args.dir, args.port)
    for name, value in cluster.environment.items():
        print(f"export {name}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
