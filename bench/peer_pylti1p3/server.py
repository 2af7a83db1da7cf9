"""The peer under gunicorn, with a simulated platform of its own (key set counted)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from tests.db_fixtures import REDIS_URL
from tests.lti_server import KeySetServer, _wait_until_up, free_port

from yrkesresan_lti.lti.rsa_keys import generate_signing_key
from yrkesresan_lti.testing.simulator import PlatformSimulator

BENCH = Path(__file__).resolve().parent.parent


@dataclass
class RunningPeer:
    base_url: str
    simulator: PlatformSimulator
    key_set: KeySetServer
    process: subprocess.Popen[bytes]


def peer_config(simulator: PlatformSimulator, base_url: str, prefix: str) -> dict[str, str]:
    """The peer's ``PEER_CONFIG``: registered with ``simulator``, served at ``base_url``, its
    launch cache in Redis under ``prefix``."""
    return {
        "issuer": simulator.issuer,
        "client_id": simulator.client_id,
        "auth_login_url": simulator.auth_login_url,
        "auth_token_url": f"{simulator.issuer}/token",
        "key_set_url": simulator.key_set_url,
        "deployment_id": simulator.deployment_id,
        "base_url": base_url,
        "redis_url": REDIS_URL,
        "prefix": prefix,
    }


@contextmanager
def gunicorn_peer(
    workdir: Path,
    *,
    workers: int = 4,
    config: bool = False,
    env: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
) -> Iterator[RunningPeer]:
    """The peer tool under gunicorn (same options as ``tests.lti_server.gunicorn_tool``);
    with ``config``, gunicorn reads ``peer_pylti1p3.gunicorn_conf`` (our shipped
    configuration's garbage-collection hook); ``env`` adds environment variables and
    ``options`` more of gunicorn's command-line options (a later ``-c`` wins)."""
    prefix = f"peer:{uuid.uuid4().hex}:"
    with KeySetServer() as key_set:
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        simulator = PlatformSimulator(
            issuer=key_set.issuer, tool_url=base_url, key=generate_signing_key()
        )
        key_set.simulator = simulator
        config = peer_config(simulator, base_url, prefix)
        paths = [str(BENCH), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        environ = {
            **os.environ,
            "PEER_CONFIG": json.dumps(config),
            "PYTHONPATH": os.pathsep.join(paths),
            **(env or {}),
        }
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        command = [
            gunicorn, "--workers", str(workers), "--threads", "1",
            "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--timeout", "60",
            "--no-control-socket", *options,
        ]  # fmt: skip
        if config:
            command[1:1] = ["-c", "python:peer_pylti1p3.gunicorn_conf"]
        else:
            command.append("peer_pylti1p3.app:create_app()")
        with (workdir / "peer.log").open("wb") as log:
            process = subprocess.Popen(command, env=environ, stdout=log, stderr=log)
        try:
            _wait_until_up(f"{base_url}/healthz", process)
            yield RunningPeer(base_url, simulator, key_set, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            client = Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=prefix + "*"):
                client.delete(key)
