"""A throwaway PostgreSQL server for the test suite: initdb + pg_ctl on a unix socket in a temporary folder.

It uses the server binaries of the operating system (Debian's ``postgresql``
package: /usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as
root, so under root the cluster belongs to the unprivileged ``nobody`` user
and every server command runs as that user (``subprocess``'s ``user=``);
as a normal user it simply runs as that user. No TCP port is opened.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: pg_config's, Debian's newest, or PATH's."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        run = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(run.stdout.strip())
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        versions, key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0, reverse=True
    )
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).resolve().parent))
    for folder in candidates:
        if folder and all((Path(folder) / p).is_file() for p in SERVER_PROGRAMS):
            return Path(folder)
    return None


@dataclass
class Server:
    bindir: Path
    root: Path
    user: tuple[int, int] | None  # (uid, gid) the server runs as, when not ourselves

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres", *, driver: str = "", password: str | None = None) -> str:
        """A SQLAlchemy URL of one database of this server (over the unix socket)."""
        login = "postgres" + (f":{password}" if password is not None else "")
        return f"postgresql{driver}://{login}@/{database}?host={self.socket_dir}"

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        extra = {}
        if self.user is not None:
            extra = {"user": self.user[0], "group": self.user[1], "extra_groups": []}
        return subprocess.run(  # type: ignore[no-any-return]
            [str(self.bindir / command[0]), *command[1:]],
            capture_output=True,
            text=True,
            cwd=self.root,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "HOME": str(self.root)},
            **extra,
        )  # type: ignore[call-overload]

    def start(self) -> None:
        data = str(self.root / "data")
        steps = [
            ("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"),
            (
                "pg_ctl",
                "-D",
                data,
                "-l",
                str(self.root / "server.log"),
                "-w",
                "-t",
                "120",
                "-o",
                f"-k '{self.socket_dir}' -c listen_addresses='' -F",
                "start",
            ),
        ]
        for step in steps:
            done = self.run(*step)
            if done.returncode != 0:
                log = self.root / "server.log"
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"{step[0]} failed ({done.returncode}): {done.stderr[-2000:]}{tail}")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server(bindir: Path) -> Server:
    """A running server in a new folder under the system's temporary folder (stop it with ``stop``)."""
    # Not pytest's tmp_path: its folders are private to the user running the tests, and the
    # server may run as another user.
    root = Path(tempfile.mkdtemp(prefix="vipreport-pg-"))
    user = None
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        user = (nobody.pw_uid, nobody.pw_gid)
    (root / "socket").mkdir()
    if user is not None:
        for path in (root, root / "socket"):
            os.chown(path, *user)
    server = Server(bindir, root, user)
    try:
        server.start()
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
