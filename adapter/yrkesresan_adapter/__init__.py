"""The Yrkesresan LTI 1.3 tool: a small Flask service on top of ``yrkesresan_lti``.

It needs the ``adapter`` extra (Flask, Alembic, Flask-Babel, ...): without it, importing this
package raises :class:`ModuleNotFoundError` that says what to install.
"""

ADAPTER_EXTRA_HINT = "pip install 'yrkesresan-lti[adapter]'"
"""The command that installs what the adapter needs beside the core library."""

try:
    import alembic  # noqa: F401
    import flask  # noqa: F401
    import flask_babel  # noqa: F401
except ModuleNotFoundError as err:
    raise ModuleNotFoundError(
        f"yrkesresan_adapter needs the 'adapter' extra ({err.name} is not installed): "
        f"{ADAPTER_EXTRA_HINT}",
        name=err.name,
    ) from err

from yrkesresan_adapter.app import create_app  # noqa: E402

__all__ = ["create_app"]
