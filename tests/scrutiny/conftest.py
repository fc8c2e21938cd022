"""A committee with a scrutiny member, and the performance team, for the scrutiny tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from core.roles import Role
from portfolios.models import ScrutinyCommittee
from tests import factories as make


@pytest.fixture
def committee(db: None) -> ScrutinyCommittee:
    found = ScrutinyCommittee.objects.create(slug="economy", name="Economy scrutiny", position=1)
    found.remit.add(make.portfolio())
    return found


@pytest.fixture
def team(db: None) -> User:
    return make.user(Role.PERFORMANCE_TEAM)
