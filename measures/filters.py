"""The approval queue's filters: by lead portfolio and by who submitted."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from core.formatting import person_name
from measures.models import Reading
from portfolios.models import Portfolio


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name (or username when they have none)."""

    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class ApprovalQueueFilter(django_filters.FilterSet):
    """The filter form above the approval queue: by lead portfolio and by who submitted."""

    portfolio = django_filters.ModelChoiceFilter(
        field_name="indicator__lead_portfolio",
        queryset=Portfolio.objects.order_by("position", "name"),
        label="Lead portfolio",
        empty_label="All portfolios",
    )
    officer = PersonFilter(
        field_name="submitted_by",
        queryset=User.objects.none(),
        label="Submitted by",
        empty_label="Anyone",
    )

    class Meta:
        model = Reading
        fields: list[str] = []

    def __init__(self, *args: Any, submitters: QuerySet[User], **kwargs: Any) -> None:
        """`submitters`: the people to choose from (those with readings in the queue)."""
        super().__init__(*args, **kwargs)
        self.filters["officer"].queryset = submitters
