"""The scrutiny pages' forms: a meeting, a recommendation made at it, and a progress update.
They only read the request; the services judge the values."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from ambitions.models import Milestone
from measures.models import Indicator, ReportingPeriod
from portfolios.models import Portfolio, ScrutinyCommittee
from scrutiny.models import Recommendation


def _narrow(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Offer only these rows in a choice field."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


DATE = {"invalid": "Enter a real date, such as 12 November 2025"}


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the meeting",
        error_messages={**DATE, "required": "Enter the date the meeting was held"},
    )
    period = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.none(),
        required=False,
        label="The report it considered",
        empty_label="No report",
    )
    minutes_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Link to the minutes (optional)",
        error_messages={"invalid": "Enter the minutes' web address, starting https://"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(
            self,
            "period",
            ReportingPeriod.objects.exclude(state=ReportingPeriod.State.NOT_OPEN).order_by("-end"),
        )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation",
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.none(), required=False, empty_label="No portfolio"
    )
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": "%(value)s is not one of this committee's indicators"},
    )
    milestones = forms.ModelMultipleChoiceField(queryset=Milestone.objects.none(), required=False)
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Not someone who signs in here"
    )
    owner_name = forms.CharField(required=False, max_length=200, label="Or the owner's name")
    due_on = forms.DateField(required=False, label="Due date (optional)", error_messages=DATE)

    def __init__(self, *args: Any, committee: ScrutinyCommittee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remit = committee.remit.all()
        _narrow(self, "portfolio", remit)
        _narrow(
            self,
            "indicators",
            Indicator.objects.filter(lead_portfolio__in=remit).order_by("code"),
        )
        _narrow(
            self,
            "milestones",
            Milestone.objects.select_related("scheme").order_by("scheme__name", "position"),
        )
        _narrow(
            self, "owner", User.objects.filter(is_active=True).order_by("first_name", "username")
        )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(choices=Recommendation.Status.choices, label="Status")
    note = forms.CharField(
        label="What has happened", strip=False, required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
