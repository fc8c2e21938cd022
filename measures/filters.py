"""The approval queue's filters: by period, by lead portfolio and by who submitted, for
readings; by period and by who submitted, for milestone updates (a scheme has no lead
portfolio)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from core.formatting import person_name
from measures.models import MilestoneUpdate, Reading, ReportingPeriod
from portfolios.models import Portfolio


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of person, shown by name (or username when they have none)."""

    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def _period() -> django_filters.ModelChoiceFilter:
    """The periods something can wait for approval in: open and closed ones, newest first."""
    return django_filters.ModelChoiceFilter(
        field_name="period",
        to_field_name="code",
        queryset=ReportingPeriod.objects.filter(
            state__in=(ReportingPeriod.State.OPEN, ReportingPeriod.State.CLOSED)
        ).order_by("-end", "kind"),
        label="Period",
        empty_label="All periods",
    )


def _submitted_by() -> PersonFilter:
    """Who submitted: the choices are set by the filter, from the people in its queue."""
    return PersonFilter(
        field_name="submitted_by",
        queryset=User.objects.none(),
        label="Submitted by",
        empty_label="Anyone",
    )


class ApprovalQueueFilter(django_filters.FilterSet):
    """The filter form above the approval queue: by period, by lead portfolio and by who
    submitted (the milestone updates below take the same period and person)."""

    period = _period()
    portfolio = django_filters.ModelChoiceFilter(
        field_name="indicator__lead_portfolio",
        queryset=Portfolio.objects.order_by("position", "name"),
        label="Lead portfolio",
        empty_label="All portfolios",
    )
    officer = _submitted_by()

    class Meta:
        model = Reading
        fields: list[str] = []

    def __init__(self, *args: Any, submitters: QuerySet[User], **kwargs: Any) -> None:
        """`submitters`: the people to choose from (those with anything in the queue)."""
        super().__init__(*args, **kwargs)
        self.filters["officer"].queryset = submitters


class MilestoneQueueFilter(django_filters.FilterSet):
    """The milestone updates awaiting approval, narrowed by the same period and person as
    the readings above them (the page's one form)."""

    period = _period()
    officer = _submitted_by()

    class Meta:
        model = MilestoneUpdate
        fields: list[str] = []

    def __init__(self, *args: Any, submitters: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["officer"].queryset = submitters
