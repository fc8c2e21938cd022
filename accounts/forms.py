"""The password sign-in form (which single sign-on can keep for administrators only), and the
people page's forms for handing indicators, schemes and milestones over."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core.roles import Role, has_role


def local_sign_in_allowed(user: AbstractBaseUser) -> bool:
    """Whether this person may sign in with a password (LOCAL_SIGN_IN): everyone, or only
    administrators, the break-glass way in when the council's sign-in service is down."""
    if settings.LOCAL_SIGN_IN == "everyone":
        return True
    person = cast(User, user)
    return person.is_superuser or has_role(person, Role.ADMINISTRATOR)


class LocalSignInForm(AuthenticationForm):
    """Username and password, behind django-axes' lockout; accounts.backends refuses anyone
    LOCAL_SIGN_IN does not allow, and this form then says who passwords are for (without
    saying whether the password was right)."""

    def get_invalid_login_error(self) -> ValidationError:
        if settings.LOCAL_SIGN_IN == "administrators":
            return ValidationError(
                "Enter a correct username and password. Passwords here are for administrators "
                "only: everyone else signs in with their council account.",
                code="invalid_login",
            )
        return super().get_invalid_login_error()


class PersonChoice(forms.ModelChoiceField):
    """A person, shown by name and username."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else str(obj.get_username())


class HandOverForm(forms.Form):
    """Give all of one person's indicators, schemes and milestones to another, as owner or as
    a delegate."""

    to_user = PersonChoice(
        queryset=User.objects.none(),
        label="Give them to",
        empty_label="Choose a person",
        error_messages={"required": "Choose who to give them to"},
    )
    as_delegate = forms.TypedChoiceField(
        label="As",
        choices=[
            ("yes", "A delegate, beside the owner (for example while they are on leave)"),
            ("no", "The new owner (they will own them from now on)"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they become a delegate or the owner"},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why (for example: on leave until 3 March)"},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_user"]).queryset = people


class DelegationsEndForm(forms.Form):
    """Stop a delegate entering readings and milestone updates for what this person owns."""

    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why (for example: back from leave)"},
    )
