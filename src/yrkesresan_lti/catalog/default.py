"""Where the catalog comes from when nothing is configured: the example catalog we ship."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from yrkesresan_lti.exceptions import CatalogError

CATALOG_PATH_VARIABLE = "YRKESRESAN_CATALOG_PATH"
"""The environment variable that names a deployment's own catalog file or directory."""


def default_catalog_path(package_dir: Path | None = None) -> Path:
    """The example catalog directory shipped in the package: ``yrkesresan_lti/catalog/example``.

    It is package data, so it is there in an installed wheel as in a source checkout (where
    ``examples/catalog`` links to it). Deployments set ``YRKESRESAN_CATALOG_PATH`` (read by
    :class:`~yrkesresan_lti.settings.Settings`) to their own catalog instead.

    Args:
        package_dir: where to look instead of the installed package (for tests).

    Raises:
        CatalogError: the example catalog is missing (a stripped installation).
    """
    root = package_dir or Path(str(files("yrkesresan_lti.catalog")))
    candidate = root / "example"
    if (candidate / "catalog.yaml").is_file():
        return candidate
    raise CatalogError(
        f"no example catalog at {candidate}: set {CATALOG_PATH_VARIABLE} to your catalog "
        "file or directory"
    )
