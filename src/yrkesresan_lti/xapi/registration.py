"""``context.registration``: one deterministic UUID per learner × course (× occasion).

It is a UUIDv5 of the learner's *pseudonym*, never of the raw LTI ``sub``: a UUIDv5 is an
unkeyed hash, and ``sub`` values are often guessable (Moodle user ids), so hashing them
directly would let anyone re-identify learners.
"""

from __future__ import annotations

import uuid
from functools import lru_cache


@lru_cache(maxsize=64)
def registration_namespace(iri_base: str) -> uuid.UUID:
    """The UUIDv5 namespace of one catalog's registrations."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{iri_base}registrations")


def registration_uuid(
    iri_base: str, pseudonym: str, course_iri: str, occasion_iri: str | None = None
) -> str:
    """The registration of ``pseudonym`` in a course, or in one occasion of it."""
    name = "\n".join((pseudonym, course_iri, occasion_iri or ""))
    return str(uuid.uuid5(registration_namespace(iri_base), name))
