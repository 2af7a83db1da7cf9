"""Data protection: export and erase everything the adapter holds on one person
(``yrkesresan learner export|erase``), and the retention the delivery worker applies.

See docs/privacy.md for the procedures; :mod:`.registry` lists every table that can hold
personal data, :mod:`.finder` finds one person's data, :mod:`.erasure` erases it and
:mod:`.retention` deletes what is kept longer than configured.
"""

from __future__ import annotations

from yrkesresan_adapter.privacy.erasure import ErasureReport, erase
from yrkesresan_adapter.privacy.finder import Findings, Person, find
from yrkesresan_adapter.privacy.retention import RetentionPolicy, RetentionReport

__all__ = [
    "ErasureReport",
    "Findings",
    "Person",
    "RetentionPolicy",
    "RetentionReport",
    "erase",
    "find",
]
