"""Every table that can hold something of a person is known to export and erasure."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table

from yrkesresan_adapter.privacy.registry import unclassified, unhandled_person_columns
from yrkesresan_adapter.tables import all_tables


def test_every_table_is_classified_and_every_person_column_handled() -> None:
    assert unclassified(all_tables()) == []
    assert unhandled_person_columns(all_tables()) == []


def _copy_with(*extra: Table) -> MetaData:
    copy = MetaData()
    for table in all_tables().tables.values():
        table.to_metadata(copy)
    for table in extra:
        table.to_metadata(copy)
    return copy


def test_a_new_table_with_a_person_is_found() -> None:
    scratch = MetaData()
    answers = Table(
        "page_course_surveys",
        scratch,
        Column("id", Integer, primary_key=True),
        Column("user_sub", String(255)),
        Column("response", String(2000)),
    )
    assert unclassified(_copy_with(answers)) == ["page_course_surveys"]
    assert unhandled_person_columns(_copy_with(answers)) == ["page_course_surveys.user_sub"]


def test_a_new_person_column_in_a_known_table_is_found() -> None:
    copy = _copy_with()
    copy.tables["page_attendance"].append_column(Column("approved_by", String(255)))
    copy.tables["lti_platforms"].append_column(Column("contact_email", String(255)))
    assert unhandled_person_columns(copy) == [
        "lti_platforms.contact_email",
        "page_attendance.approved_by",
    ]
