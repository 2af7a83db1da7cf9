"""JSON Schema of the catalog file format, so editors validate catalogs while typing."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from yrkesresan_lti.catalog.models import Journey
from yrkesresan_lti.catalog.root import Catalog

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    body = model.model_json_schema(mode="validation")
    body["properties"] = {
        "$schema": {"type": "string", "description": "Schema reference for editors"},
        **body["properties"],
    }
    return {"$schema": DIALECT, **body, "title": title, "description": description}


def catalog_schema() -> dict[str, Any]:
    """Schema of a catalog file: ``catalog.yaml`` alone or with its journeys inline."""
    return _schema(
        Catalog,
        "Yrkesresan catalog",
        "A Yrkesresan catalog (iri_base, version, title, journeys). See docs/catalog.md.",
    )


def journey_schema() -> dict[str, Any]:
    """Schema of one journey file (``journeys/<slug>.yaml`` in a catalog directory)."""
    return _schema(
        Journey,
        "Yrkesresan journey",
        "One journey of a Yrkesresan catalog directory. See docs/catalog.md.",
    )
