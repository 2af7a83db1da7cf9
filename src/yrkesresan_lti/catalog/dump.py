"""Write a catalog back as plain data or YAML; loading the result gives the same catalog."""

from __future__ import annotations

from typing import Any

import yaml

from yrkesresan_lti.catalog.root import Catalog
from yrkesresan_lti.catalog.yaml_lines import CatalogYamlDumper

SCHEMA_COMMENT = "# yaml-language-server: $schema={schema}\n"


def dump_catalog(catalog: Catalog) -> dict[str, Any]:
    """The catalog as JSON-compatible data in the file format (absent optional keys left out)."""
    return catalog.model_dump(mode="json", exclude_none=True)


def dump_catalog_yaml(catalog: Catalog, *, schema: str | None = None) -> str:
    """The catalog as one YAML document; ``schema`` adds the editor's schema comment."""
    text = yaml.dump(
        dump_catalog(catalog),
        Dumper=CatalogYamlDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        indent=2,
    )
    return (SCHEMA_COMMENT.format(schema=schema) if schema else "") + text
