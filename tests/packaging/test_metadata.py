"""What a package index shows: the built wheel's metadata, the README's links, the changelog."""

from __future__ import annotations

import re
import tomllib
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

import yrkesresan_lti
from tests.packaging.docblocks import REPO

pytestmark = pytest.mark.slow

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
HOME = "https://github.com/yrkesresan/yrkesresan-lti"
LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)[^)]*\)|<img[^>]+src=\"(?P<img>[^\"]+)\"")


def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode("utf-8"))


def relative_links(markdown: str) -> list[str]:
    targets = [m.group("target") or m.group("img") for m in LINK.finditer(markdown)]
    return [t for t in targets if not t.startswith(("https://", "http://", "mailto:", "#"))]


def test_the_wheel_says_where_the_project_lives(built_wheel: Path) -> None:
    urls = dict(value.split(", ", 1) for value in metadata(built_wheel).get_all("Project-URL", []))
    assert urls["Homepage"] == HOME
    assert urls["Source"] == HOME
    assert urls["Issues"] == f"{HOME}/issues"
    assert urls["Changelog"] == f"{HOME}/blob/main/CHANGELOG.md"
    assert urls["Documentation"].startswith(HOME)


def test_the_wheel_is_classified(built_wheel: Path) -> None:
    classifiers = set(metadata(built_wheel).get_all("Classifier", []))
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert {
        "Topic :: Education",
        "Framework :: Flask",
        "Programming Language :: Python :: 3.11",
        "Typing :: Typed",
    } <= classifiers


def test_the_licence_in_the_metadata_is_the_licence_file(built_wheel: Path) -> None:
    # PEP 639: an SPDX expression replaces the License :: classifiers (setuptools refuses both).
    meta = metadata(built_wheel)
    assert meta["License-Expression"] == "EUPL-1.2"
    assert (
        (REPO / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    )
    with zipfile.ZipFile(built_wheel) as archive:
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())


def test_the_version_is_one_and_in_the_changelog(built_wheel: Path) -> None:
    version = metadata(built_wheel)["Version"]
    assert version == PROJECT["version"] == yrkesresan_lti.__version__
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert f"[{version}]: {HOME}/releases/tag/v{version}" in changelog


def test_the_readme_on_the_index_page_has_only_absolute_links(built_wheel: Path) -> None:
    description = metadata(built_wheel).get_payload()
    assert isinstance(description, str)
    assert "docs/screenshots/" in description
    assert relative_links(description) == []
    assert relative_links((REPO / "CHANGELOG.md").read_text(encoding="utf-8")) == []


def test_the_link_check_finds_relative_links() -> None:
    sample = '[a](docs/a.md) ![b](img.png) [c](https://x.se/) [d](#top) <img src="e.svg">'
    assert relative_links(sample) == ["docs/a.md", "img.png", "e.svg"]
