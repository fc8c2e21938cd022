"""The finance pages' forms: a decision on a return, and the variance threshold."""

from __future__ import annotations

from django import forms


class DecisionForm(forms.Form):
    """Approve or return a return as it was seen (its version), with a note to return it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
        label="What needs correcting (when returning the figures)",
    )


class ThresholdForm(forms.Form):
    """When a revenue variance needs explaining, for a financial year."""

    financial_year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        label="Financial year (its first year, such as 2026 for 2026/27)",
        error_messages={"invalid": "Give the financial year as a number, such as 2026."},
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    amount = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label="Amount in pounds (either way)",
        error_messages={"invalid": "Give the amount in pounds, such as 100000."},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    percent = forms.DecimalField(
        required=False,
        max_digits=5,
        decimal_places=2,
        label="Percentage of the budget",
        error_messages={"invalid": "Give the percentage as a number, such as 1."},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Why it changes (kept with its history)",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
