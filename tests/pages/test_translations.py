"""The message catalogs: Swedish is the source language, English is complete and compiled."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "adapter/yrkesresan_adapter/translations"


def po(language: str) -> dict[str, str]:
    with (TRANSLATIONS / language / "LC_MESSAGES/messages.po").open("rb") as handle:
        return {
            m.id: str(m.string or "") for m in read_po(handle) if m.id and isinstance(m.id, str)
        }


def test_every_message_has_an_english_translation() -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    english = po("en")
    assert template <= set(english), f"run pybabel update: {template - set(english)}"
    missing = [msgid for msgid in template if not english[msgid]]
    assert missing == []


def test_placeholders_survive_translation() -> None:
    for msgid, msgstr in po("en").items():
        for name in ("%(task)s", "%(name)s", "%(done)s", "%(time)s", "%(n)s"):
            assert (name in msgid) == (name in msgstr), (msgid, msgstr)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_committed_mo_files_match_the_po_files(language: str) -> None:
    with (TRANSLATIONS / language / "LC_MESSAGES/messages.mo").open("rb") as handle:
        compiled = {m.id: str(m.string) for m in read_mo(handle) if m.id and isinstance(m.id, str)}
    source = {k: v for k, v in po(language).items() if v}
    assert compiled == source, "run: pybabel compile -d adapter/yrkesresan_adapter/translations"
