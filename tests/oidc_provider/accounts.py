"""Creating and changing the provider's users, for the setup command and the control view."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction

FIELDS = ("email", "first_name", "last_name")


@transaction.atomic
def put_user(data: dict[str, Any]) -> User:
    """Create the user `data["username"]` or update it, setting only the fields given."""
    user, _ = User.objects.get_or_create(username=data["username"])
    for name in FIELDS:
        if name in data:
            setattr(user, name, data[name])
    if "password" in data:
        user.set_password(data["password"])
    user.save()
    if "groups" in data:
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data["groups"]])
    return user
