"""Bad input on purpose: generated input to the returns form and the upload never causes a
server error and never saves a reading that breaks the indicator's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.roles import Role
from core.spreadsheet_writer import write_csv
from measures.models import Indicator, Reading
from measures.services.uploads import COLUMNS
from measures.validation import value_errors
from tests import factories as make

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
numbers_and_junk = st.one_of(
    st.text(max_size=30),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", " ", "1,500", "45%", "£12", "1e999", "NaN", "-0", "0x10", "٣"]),
)


def saved_readings_are_valid() -> None:
    for reading in Reading.objects.select_related("indicator"):
        if reading.value is not None:
            assert value_errors(reading.indicator, reading.value) == [], reading.value


@pytest.fixture
def officer_client(client: Client):
    officer = make.user(Role.OFFICER)
    client.force_login(officer)
    make.quarter()
    indicators = [
        make.indicator(owner=officer, unit=unit, decimal_places=places)
        for unit, places in (("percentage", 1), ("count", 0), ("yes_no", 0))
    ]
    return client, indicators


@FUZZ
@given(
    values=st.lists(numbers_and_junk, min_size=3, max_size=3),
    commentary=st.text(max_size=200),
    quality=st.text(max_size=12),
    version=st.one_of(st.text(max_size=5), st.integers(-5, 5).map(str)),
    action=st.sampled_from(["save", "submit", "", "delete"]),
)
def test_the_returns_form_survives_any_input(
    officer_client, values, commentary, quality, version, action
) -> None:
    client, indicators = officer_client
    data = {"action": action}
    for indicator, value in zip(indicators, values, strict=True):
        code = indicator.code
        data.update(
            {
                f"{code}-value": value,
                f"{code}-numerator": value,
                f"{code}-denominator": "",
                f"{code}-data_quality": quality,
                f"{code}-commentary": commentary,
                f"{code}-corrective_action": "",
                f"{code}-version": version,
            }
        )
    response = client.post(reverse("measures:returns"), data)
    assert response.status_code in (200, 302)
    saved_readings_are_valid()


@FUZZ
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "indicator_code": st.one_of(st.text(max_size=10), st.just("")),
                "period": st.sampled_from(["2025-26-Q2", "2025-26", "", "2099-00-Q9"]),
                "value": numbers_and_junk,
                "data_quality": st.sampled_from(["provisional", "final", "", "guess"]),
                "commentary": st.text(max_size=60),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_upload_survives_any_rows(officer_client, rows) -> None:
    client, indicators = officer_client
    for row in rows[:2]:
        row["indicator_code"] = indicators[0].code  # some rows name a real indicator
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("fuzz.csv", write_csv(rows, COLUMNS))
    response = client.post(reverse("measures:upload"), {"file": file}, follow=True)
    assert response.status_code in (200, 400)
    from measures.models import ReadingUpload

    confirm = client.post(
        reverse("measures:upload_confirm", args=[ReadingUpload.objects.latest("pk").pk])
    )
    assert confirm.status_code in (302, 400)
    saved_readings_are_valid()


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_any_bytes_as_a_file_get_a_message_not_an_error(officer_client, content, name) -> None:
    client, _ = officer_client
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("measures:upload"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert response.status_code in (200, 400)
    assert not Reading.objects.exists()


def test_another_officers_indicator_cannot_be_written_through_the_form(client: Client) -> None:
    officer, other = make.user(Role.OFFICER), make.user(Role.OFFICER)
    make.quarter()
    theirs = make.indicator(owner=other)
    client.force_login(officer)
    client.post(
        reverse("measures:returns"),
        {
            "action": "save",
            f"{theirs.code}-value": "5",
            f"{theirs.code}-data_quality": "final",
            f"{theirs.code}-version": "0",
        },
    )
    assert not Reading.objects.exists()
    assert Indicator.objects.get(pk=theirs.pk).owner == other
    assert Decimal(0) == Decimal(Reading.objects.count())
