"""Before any plan is loaded (a module of its own: the page tests share one loaded plan)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_home_page_is_not_found_before_a_plan_is_loaded(client: Client) -> None:
    assert client.get("/").status_code == 404
