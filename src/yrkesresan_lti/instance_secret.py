"""The adapter's own secret: ``YRKESRESAN_SECRET_KEY``, else a random key kept under
``instance_path``.

It signs launch tokens and, when ``YRKESRESAN_PSEUDONYM_KEY`` is not set, derives the
pseudonym key (:meth:`~yrkesresan_lti.xapi.pseudonym.Pseudonymizer.from_settings`), so the
running adapter and the command line read it from the same place.
"""

from __future__ import annotations

import os
import secrets

from yrkesresan_lti.exceptions import ConfigurationError
from yrkesresan_lti.settings import Settings

SECRET_FILE = "launch-token-secret"  # noqa: S105 - the file's name, not a secret


def load_secret(settings: Settings, *, create: bool = True) -> bytes:
    """``settings.secret_key``, else the key persisted under ``instance_path``: created
    (once, atomically) when ``create``, so every worker and restart shares it; without
    ``create`` a missing file is a :class:`ConfigurationError`."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = settings.instance_path.resolve() / SECRET_FILE
    if not path.exists():
        if not create:
            raise ConfigurationError(
                f"no secret key: YRKESRESAN_SECRET_KEY is not set and {path} does not exist "
                "(start the adapter once, or run this where the adapter runs)",
                reason="no_instance_secret",
                path=str(path),
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # atomic: the first worker wins, the others read its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip().encode()
