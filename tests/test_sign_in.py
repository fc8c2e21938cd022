"""Signing in and out with the GOV.UK-styled form, and where each role lands."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests import factories as make

pytestmark = pytest.mark.django_db
PASSWORD = "not-a-real-password-1"  # noqa: S105 - the factories' test password


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        (Role.OFFICER, "measures:returns"),
        (Role.PERFORMANCE_TEAM, "measures:approvals"),
        (Role.COUNCILLOR, "ambitions:home"),
    ],
)
def test_each_role_lands_on_its_own_first_page(client: Client, role: Role, lands_on: str) -> None:
    person = make.user(role)
    response = client.post(reverse("login"), {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse(lands_on)


def test_a_wrong_password_is_refused_with_a_message(client: Client) -> None:
    person = make.user(Role.OFFICER)
    response = client.post(reverse("login"), {"username": person.username, "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Please enter a correct username and password" in page
    assert "_auth_user_id" not in client.session


def test_signing_out_ends_the_session(client: Client) -> None:
    client.force_login(make.user(Role.OFFICER))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("measures:returns")).status_code == 302
