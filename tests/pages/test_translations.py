"""The message catalogs: Swedish is the source language, English is complete and compiled,
and the catalogs hold exactly the texts the code and templates use.

The extraction is Babel's own (``adapter/yrkesresan_adapter/babel.cfg`` over the adapter
and the core, as ``scripts/i18n.sh`` runs ``pybabel extract``), into a fresh ``.pot`` in a
temporary directory: a text marked with ``_()``/``gettext()``/``N_()`` that the English
catalog lacks fails (and a core text, whose id is English, that Swedish lacks), and so does
a catalog entry nothing extracts any more.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po, write_po

from yrkesresan_lti.xapi.profile.document import build_profile

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = ROOT / "adapter/yrkesresan_adapter"
CORE = ROOT / "src/yrkesresan_lti"
TRANSLATIONS = ADAPTER / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def po(language: str) -> dict[str, str]:
    with (TRANSLATIONS / language / "LC_MESSAGES/messages.po").open("rb") as handle:
        return {
            m.id: str(m.string or "") for m in read_po(handle) if m.id and isinstance(m.id, str)
        }


def extract(*sources: Path, tmp_path: Path) -> set[str]:
    """``pybabel extract -F babel.cfg`` of ``sources``, written to and read back from a .pot."""
    with (ADAPTER / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog()
    for source in sources:
        for _file, _line, message, _comments, context in extract_from_dir(
            source, method_map, options_map
        ):
            template.add(message, context=context)
    pot = tmp_path / "messages.pot"
    with pot.open("wb") as handle:
        write_po(handle, template)
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return extract(ADAPTER, CORE, tmp_path=tmp_path_factory.mktemp("pot"))


@pytest.fixture(scope="module")
def core_texts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The core's CLI texts: English message ids, so Swedish must translate them."""
    return extract(CORE, tmp_path=tmp_path_factory.mktemp("core"))


def test_every_extracted_text_has_an_english_translation(extracted: set[str]) -> None:
    english = po("en")
    missing = sorted(m for m in extracted if not english.get(m))
    assert missing == [], "run sh scripts/i18n.sh update, then translate"


def test_every_core_text_has_a_swedish_translation(core_texts: set[str]) -> None:
    swedish = po("sv")
    missing = sorted(m for m in core_texts if not swedish.get(m))
    assert core_texts, "the core's CLI marks its texts"
    assert missing == [], "run sh scripts/i18n.sh update, then translate"


def test_every_catalog_entry_is_used_somewhere(extracted: set[str]) -> None:
    for language in ("en", "sv"):
        with (TRANSLATIONS / language / "LC_MESSAGES/messages.po").open("rb") as handle:
            obsolete = list(read_po(handle).obsolete)
        unused = sorted(set(po(language)) - extracted) + obsolete
        assert unused == [], f"{language}: run sh scripts/i18n.sh update"


def test_the_committed_template_is_the_extraction(extracted: set[str]) -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    assert template == extracted


def test_the_check_finds_an_untranslated_and_an_unused_text(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "new.py").write_text('_("En text ingen har översatt")\n', encoding="utf-8")
    found = extract(source, tmp_path=tmp_path)
    assert found == {"En text ingen har översatt"}
    assert not po("en").get("En text ingen har översatt")
    assert set(po("en")) - found, "every real entry is unused by this one file"


def test_placeholders_survive_translation() -> None:
    for msgid, msgstr in po("en").items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


@pytest.mark.parametrize("language", ["sv", "en"])
def test_committed_mo_files_match_the_po_files(language: str) -> None:
    with (TRANSLATIONS / language / "LC_MESSAGES/messages.mo").open("rb") as handle:
        compiled = {m.id: str(m.string) for m in read_mo(handle) if m.id and isinstance(m.id, str)}
    source = {k: v for k, v in po(language).items() if v}
    assert compiled == source, "run: pybabel compile -d adapter/yrkesresan_adapter/translations"


@pytest.mark.parametrize("word", ["uttalande", "påstående"])
def test_one_swedish_word_per_concept(word: str) -> None:
    """docs/xapi.md says "statement"; texts, docs and the xAPI Profile's Swedish
    definitions say it too."""
    texts = [*po("sv").values(), *po("sv"), *po("en")]
    assert [t for t in texts if word in t.lower()] == []
    profile = json.dumps(build_profile("https://yrkesresan.example/"), ensure_ascii=False)
    assert word not in profile.lower()
    docs = [p for p in (ROOT / "docs").glob("*.md") if word in p.read_text("utf-8").lower()]
    assert docs == []


MARKERS = {"_", "N_", "gettext", "ngettext", "lazy_gettext", "pgettext", "npgettext"}
SWEDISH_LETTER = re.compile("[åäöÅÄÖ]")


def unmarked_swedish(source: str) -> list[tuple[int, str]]:
    """String literals with a Swedish letter that are neither marked for translation nor a
    docstring: a text a person reads that the catalogs do not know."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        name = getattr(func, "id", None) or getattr(func, "attr", None)
        if name in MARKERS:
            skipped.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # docstrings (module, class, function, attribute)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SWEDISH_LETTER.search(node.value)
        and id(node) not in skipped
    ]


def test_the_adapter_has_no_swedish_text_outside_the_catalogs() -> None:
    """Pages, CLI and error pages translate through the catalogs; machine answers (JSON of
    /readyz, the JWKS endpoint, the demo platform's services) are English with codes."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for path in sorted(ADAPTER.rglob("*.py"))
        for line, text in unmarked_swedish(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_swedish_text_check_finds_an_unmarked_text() -> None:
    source = 'def f():\n    """Gör något."""\n    return _("Klar"), "Ändrad", N_("Öppen")\n'
    assert unmarked_swedish(source) == [(3, "Ändrad")]


def test_the_demo_storage_frame_answers_in_english() -> None:
    frame = (ADAPTER / "templates/demo/storage_frame.html").read_text(encoding="utf-8")
    script = frame.split("<script", 1)[1]
    assert not SWEDISH_LETTER.search(script)
