"""The catalog the adapter serves, loaded once per app on first use.

The one catalog source of the adapter: ``services.catalog`` (a callable returning the
:class:`Catalog`); the deep-linking picker, the pages, AGS scores and the xAPI profile all
read it from there, and ``yrkesresan demo`` prints its counts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from yrkesresan_adapter.state import AdapterState
from yrkesresan_lti.catalog import Catalog, default_catalog_path, load_catalog
from yrkesresan_lti.settings import Settings


class CatalogSource:
    """Loads the configured catalog (or the example catalog) once, thread-safely."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self.overlay: Callable[[Catalog], Catalog] | None = None
        """Set by a feature that keeps part of the catalog elsewhere (the course occasions
        of the database, ``pages.occasions``): it returns the catalog to serve."""

    def file_catalog(self) -> Catalog:
        """The catalog as loaded from its file, without the overlay."""
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._catalog = load_catalog(self.path)
        return self._catalog

    @property
    def path(self) -> Path:
        """The configured catalog, else the example catalog."""
        return self._settings.catalog_path or default_catalog_path()

    def __call__(self) -> Catalog:
        catalog = self.file_catalog()
        return catalog if self.overlay is None else self.overlay(catalog)


def init_app(app: Flask) -> None:
    state = AdapterState.of(app)
    state.services.catalog = CatalogSource(state.settings)


def catalog_of(app: Flask | None = None) -> Catalog:
    return AdapterState.of(app).services.catalog()
