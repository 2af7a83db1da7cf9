"""Ralph, the real LRS for the demo and the integration tests, in its own virtualenv.

``python -m yrkesresan_adapter.demo.ralph install`` creates or updates ``.venv-ralph`` at the
repository root (``--venv`` or ``YRKESRESAN_RALPH_VENV`` to change it); a stamp file makes
a second run instant. ``python -m yrkesresan_adapter.demo.ralph serve --port 8100`` runs Ralph
in the foreground. In Python, :class:`RalphServer` is a context manager that starts Ralph
on a free loopback port with its FS backend in a temporary directory and Basic auth, and
stops it again. Only the standard library and ``requests`` are used (no Flask).
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import requests

from yrkesresan_adapter.web.texts import N_, cli_locale, translate
from yrkesresan_lti.exceptions import ConfigurationError, LrsUnavailable
from yrkesresan_lti.settings import LrsTarget

RALPH_REQUIREMENT = "ralph-malph[lrs,cli]==5.1.0"
# ralph.api.auth.oidc imports requests, which Ralph 5.1's extras do not pull in.
RALPH_REQUIREMENTS = (RALPH_REQUIREMENT, "requests>=2.32,<3")
REPO_ROOT = Path(__file__).resolve().parents[3]
LAUNCHER = Path(__file__).resolve().parent / "ralph_app" / "launch.py"


def default_venv() -> Path:
    return Path(os.environ.get("YRKESRESAN_RALPH_VENV", REPO_ROOT / ".venv-ralph"))


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _stamp(venv: Path) -> Path:
    digest = hashlib.sha256(" ".join(RALPH_REQUIREMENTS).encode()).hexdigest()[:12]
    return venv / f".yrkesresan-ralph-{digest}"


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True)  # noqa: S603 - our interpreter, fixed arguments


def install(
    venv: Path | None = None, *, quiet: bool = True, run: Callable[[list[str]], None] = _run
) -> Path:
    """Create/update the Ralph virtualenv; instant when the stamp file is present."""
    venv = venv or default_venv()
    stamp = _stamp(venv)
    if stamp.exists() and venv_python(venv).exists():
        return venv
    if not venv_python(venv).exists():
        run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv_python(venv)), "-m", "pip", "install", *(["-q"] if quiet else [])]
    run([*pip, *RALPH_REQUIREMENTS])
    for old in venv.glob(".yrkesresan-ralph-*"):
        old.unlink()
    stamp.touch()
    return venv


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:
    """Linux: Ralph gets SIGTERM if we die without stopping it (no orphaned servers).

    The kernel ties this to the *thread* that started Ralph: start a :class:`RalphServer`
    from a thread that lives as long as the server (e.g. the main thread).
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class RalphServer:
    """A Ralph LRS process: ``with RalphServer() as ralph: ralph.endpoint ...``."""

    def __init__(
        self,
        *,
        venv: Path | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        username: str = "yrkesresan",
        password: str | None = None,
        data_dir: Path | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.venv = venv or default_venv()
        self.host = host
        self.port = port or free_port(host)
        self.username = username
        self.password = password or secrets.token_urlsafe(16)
        self._data_dir = data_dir
        self._startup_timeout = startup_timeout
        self._tmp: str | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The xAPI endpoint (statements live under ``{endpoint}statements``)."""
        return f"{self.base_url}/xAPI/"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "ralph.log"

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="ralph-")
            self._data_dir = Path(self._tmp)
        return self._data_dir

    def lrs_target(self, name: str = "ralph", **settings: object) -> LrsTarget:
        """An :class:`LrsTarget` pointing at this server, with its credentials."""
        return LrsTarget.model_validate(
            {
                "name": name,
                "endpoint": self.endpoint,
                "username": self.username,
                "password": self.password,
                **settings,
            }
        )

    def start(self) -> RalphServer:
        python = venv_python(self.venv)
        if not python.exists():
            raise ConfigurationError(
                f"Ralph is not installed in {self.venv}: "
                "run `python -m yrkesresan_adapter.demo.ralph install`",
                reason="ralph_missing",
                venv=str(self.venv),
            )
        data = self.data_dir
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(data / "app"),
            "RALPH_AUTH_FILE": str(data / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data / "lrs"),
            "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(data / "lrs"),
            "YRKESRESAN_RALPH_HOST": self.host,
            "YRKESRESAN_RALPH_PORT": str(self.port),
            "YRKESRESAN_RALPH_USERNAME": self.username,
            "YRKESRESAN_RALPH_PASSWORD": self.password,
        }
        (data / "lrs").mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - fixed interpreter and script
                [str(python), str(LAUNCHER)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                break
            try:
                if requests.get(f"{self.base_url}/__heartbeat__", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        tail = self.log_path.read_text("utf-8", "replace")[-2000:]
        self.stop()
        raise LrsUnavailable(f"Ralph startade inte / Ralph did not start:\n{tail}")

    @property
    def pid(self) -> int | None:
        """The Ralph process's id while it runs (benchmarks read its CPU time)."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
            self._data_dir = None

    def __enter__(self) -> RalphServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yrkesresan_adapter.demo.ralph")
    parser.add_argument("--venv", type=Path, default=None, help="Ralph's virtualenv")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="create/update the Ralph virtualenv")
    serve = commands.add_parser("serve", help="run Ralph in the foreground")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--username", default="yrkesresan")
    serve.add_argument("--password", default=None, help="default: generated and printed")
    serve.add_argument("--data-dir", type=Path, default=None, help="default: a temp dir")
    args = parser.parse_args(argv)
    if args.command == "install":
        print(f"Ralph: {install(args.venv, quiet=True)}")
        return 0
    server = RalphServer(
        venv=install(args.venv),
        host=args.host,
        port=args.port,
        username=args.username,
        password=args.password,
        data_dir=args.data_dir,
    )
    locale = cli_locale()
    with server:
        print(
            translate(
                locale,
                N_("Ralph LRS: {endpoint}  (Basic-autentisering, användare {user})"),
                endpoint=server.endpoint,
                user=repr(server.username),
            )
        )
        if args.password is None:
            print(translate(locale, N_("Lösenord: {password}"), password=server.password))
        print(translate(locale, N_("Ctrl+C stoppar.")))
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while server.running:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
