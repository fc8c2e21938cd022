"""One rule names a person everywhere: full name, else username."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from core.formatting import person_name


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("Jane", "Smith", "Jane Smith"), ("", "", "jsmith"), ("  ", "", "jsmith")],
)
def test_a_person_is_named_by_full_name_else_username(first: str, last: str, expected: str) -> None:
    assert person_name(User(username="jsmith", first_name=first, last_name=last)) == expected
