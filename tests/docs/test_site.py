"""The documentation site: `mkdocs build --strict` passes, the API reference has every public
name of the core, every one of them has a docstring, and the site loads nothing from elsewhere.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import yrkesresan_lti

REPO = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"^(https?:)?//")


def public_packages() -> dict[str, list[str]]:
    """Every package of the core with its ``__all__`` (the front door included)."""
    found = {"yrkesresan_lti": list(yrkesresan_lti.__all__)}
    for info in pkgutil.walk_packages(yrkesresan_lti.__path__, "yrkesresan_lti."):
        if info.ispkg:
            module = importlib.import_module(info.name)
            found[info.name] = list(getattr(module, "__all__", []))
    return found


def has_own_docstring(obj: object) -> bool:
    """A docstring written in the source (not one a dataclass or pydantic made up)."""
    try:
        source = textwrap.dedent(inspect.getsource(obj))  # type: ignore[arg-type]
    except (OSError, TypeError):
        return bool(getattr(obj, "__doc__", None))
    node = ast.parse(source).body[0]
    return isinstance(node, ast.ClassDef | ast.FunctionDef) and bool(ast.get_docstring(node))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
def test_the_reference_has_every_public_name_of_the_core(site: Path) -> None:
    pages = "".join(p.read_text(encoding="utf-8") for p in (site / "reference").glob("*.html"))
    ids = set(re.findall(r'id="(yrkesresan_lti[\w.]*)"', pages))
    missing = []
    for package, names in public_packages().items():
        for name in names:
            if name == "__version__":
                continue
            homes = {f"{package}.{name}"} | {i for i in ids if i.endswith(f".{name}")}
            if not homes & ids:
                missing.append(f"{package}.{name}")
    assert missing == []


def test_every_public_class_and_function_of_the_core_has_a_docstring() -> None:
    undocumented = [
        f"{package}.{name}"
        for package, names in public_packages().items()
        for name in names
        if (inspect.isclass(obj := getattr(importlib.import_module(package), name)))
        or inspect.isfunction(obj)
        if not has_own_docstring(obj)
    ]
    assert undocumented == []


def external_assets(html: str) -> list[str]:
    """What a page would load from elsewhere: scripts, styles, fonts, images, frames."""
    tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*?(?:src|href)=\"([^\"]+)\"", html)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", html)
    return [url for url in [*tags, *urls] if EXTERNAL.match(url)]


@pytest.mark.slow
def test_the_site_works_offline(site: Path) -> None:
    external = [
        f"{page.relative_to(site)}: {url}"
        for page in [*site.rglob("*.html"), *site.rglob("*.css")]
        for url in external_assets(page.read_text(encoding="utf-8"))
    ]
    assert external == []
    assert (site / "reference" / "catalog.html").is_file()
    assert (site / "developer.html").is_file()


def test_the_offline_check_sees_web_fonts_and_scripts_from_elsewhere() -> None:
    page = (
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<script src="//cdn.example/x.js"></script><script src="assets/local.js"></script>'
        "<style>@font-face{src:url(https://fonts.gstatic.com/a.woff2)}</style>"
        '<a href="https://github.com/">a link is not an asset</a>'
    )
    assert external_assets(page) == [
        "https://fonts.googleapis.com/css?family=Roboto",
        "//cdn.example/x.js",
        "https://fonts.gstatic.com/a.woff2",
    ]
