"""The id factory: random version-4 UUIDs as 32 hex digits."""

from __future__ import annotations

import uuid

from yrkesresan_lti.clock import new_id


def test_new_ids_are_version_4_uuids_in_32_lowercase_hex_digits() -> None:
    ids = [new_id() for _ in range(2000)]

    assert len(set(ids)) == len(ids)
    for found in ids:
        parsed = uuid.UUID(hex=found)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert found == parsed.hex  # 32 lowercase hex digits, no dashes
    # the 122 random bits vary: every hex digit outside the fixed ones takes many values
    for position in (0, 11, 13, 17, 31):  # 12 is the version, 16 the variant
        assert len({found[position] for found in ids}) > 8
