"""What every pinned xAPI concept has: an IRI, a Swedish and an English label, a definition.

Concepts from a public registry (ADL, TinCan) carry their IRI as a ``Literal``-pinned ``id``.
Our own concepts are minted under the catalog's IRI base, so they pin the ``path`` below it
and only become an IRI through :meth:`Concept.iri`.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from yrkesresan_lti.base import StrictModel


class Concept(StrictModel):
    """One concept of the vocabulary: subclasses pin ``sv``/``en`` (and ``id`` or ``path``)."""

    sv: str
    en: str
    definition_sv: ClassVar[str] = ""
    definition_en: ClassVar[str] = ""

    @abstractmethod
    def iri(self, base: str) -> str:
        """The concept's IRI; ``base`` is the catalog's IRI base (ends with ``/``)."""

    @property
    def display(self) -> dict[str, str]:
        """The xAPI language map: Swedish first, then ``en-US`` as the ADL registry uses."""
        return {"sv": self.sv, "en-US": self.en}

    @property
    def pref_label(self) -> dict[str, str]:
        """The label in both languages (``prefLabel`` of the profile)."""
        return {"sv": self.sv, "en": self.en}

    @property
    def definition(self) -> dict[str, str]:
        """The definition in both languages."""
        return {"sv": self.definition_sv or self.sv, "en": self.definition_en or self.en}


class RegistryConcept(Concept):
    """A concept whose IRI is fixed by a public registry; subclasses pin ``id``."""

    id: str

    def iri(self, base: str) -> str:
        """The concept's registered IRI (the same for every catalog)."""
        return self.id


class MintedConcept(Concept):
    """A concept of our own, minted under the catalog base; subclasses pin ``path``."""

    path: str

    def iri(self, base: str) -> str:
        """The concept's IRI under the catalog's IRI base."""
        return f"{base}{self.path}"
