"""Where the catalog comes from when nothing is configured."""

from __future__ import annotations

from pathlib import Path

from yrkesresan_lti.exceptions import CatalogError

CATALOG_PATH_VARIABLE = "YRKESRESAN_CATALOG_PATH"


def default_catalog_path(source_root: Path | None = None) -> Path:
    """The repository's ``examples/catalog`` directory, next to the source checkout.

    Installed packages have no examples next to them: deployments set
    ``YRKESRESAN_CATALOG_PATH`` (read by :class:`~yrkesresan_lti.settings.Settings`).
    """
    root = source_root or Path(__file__).resolve().parents[3]
    candidate = root / "examples" / "catalog"
    if (candidate / "catalog.yaml").is_file():
        return candidate
    raise CatalogError(
        f"no example catalog at {candidate}: set {CATALOG_PATH_VARIABLE} to your catalog "
        "file or directory",
        reason="no_example_catalog",
        path=str(candidate),
        variable=CATALOG_PATH_VARIABLE,
    )
