"""Where the instance directory is (SQLite database, generated secrets, demo state).

``YRKESRESAN_INSTANCE_PATH`` chooses it. Unset, it is ``./instance`` when that directory
already exists in the working directory (installations from before this default), else the
user's data directory for ``yrkesresan`` (:func:`platformdirs.user_data_path`: on Linux
``$XDG_DATA_HOME/yrkesresan``, usually ``~/.local/share/yrkesresan``), so a command run from
any directory finds the same database and never leaves an ``instance/`` behind.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from yrkesresan_lti.i18n import N_, gettext

LEGACY_INSTANCE_PATH = Path("instance")
APP_NAME = "yrkesresan"


def default_instance_path() -> Path:
    """``./instance`` if it exists, else the user's data directory (see the module)."""
    if LEGACY_INSTANCE_PATH.is_dir():
        return LEGACY_INSTANCE_PATH
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def ensure_instance_path(path: Path) -> bool:
    """Create ``path`` if it is missing; True when it was created now. Say where:
    :func:`created_note` on stderr in a command, a log line in a service."""
    if path.is_dir():
        return False
    path.mkdir(parents=True, exist_ok=True)
    return True


def created_note(path: Path) -> str:
    """The line a command prints on stderr when it created the instance directory."""
    return gettext(
        N_(
            "Created the instance directory %(path)s (database, keys); "
            "YRKESRESAN_INSTANCE_PATH chooses another."
        ),
        path=path.resolve(),
    )
