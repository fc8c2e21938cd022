"""Forms for entering readings (text in, Decimals out, with messages a person can act on) and
for the approval queue's actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from measures.models import Indicator, Reading
from measures.services.readings import ReadingInput
from measures.validation import TEXT_LIMIT, NotANumber, number_from_text

NUMBER_FIELDS = ("value", "numerator", "denominator")
LABELS = {"value": "The value", "numerator": "The numerator", "denominator": "The denominator"}


class ReturnRowForm(forms.Form):
    """One indicator's line in "My returns"."""

    value = forms.CharField(required=False, max_length=40)
    numerator = forms.CharField(required=False, max_length=40)
    denominator = forms.CharField(required=False, max_length=40)
    data_quality = forms.ChoiceField(
        choices=Reading.DataQuality.choices, initial=Reading.DataQuality.PROVISIONAL
    )
    commentary = forms.CharField(required=False, max_length=TEXT_LIMIT, widget=forms.Textarea)
    corrective_action = forms.CharField(
        required=False, max_length=TEXT_LIMIT, widget=forms.Textarea
    )
    version = forms.IntegerField(min_value=0, max_value=10**9, widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["version"].error_messages = {
            key: "This form is out of date: reload the page and enter the value again"
            for key in ("required", "invalid", "min_value", "max_value")
        }

    def full_clean(self) -> None:
        """A bad hidden version is the row's problem, shown at the row, not at a hidden field."""
        super().full_clean()
        errors = self.errors
        if "version" in errors:
            errors.setdefault(NON_FIELD_ERRORS, self.error_class()).extend(errors.pop("version"))

    def _number(self, name: str) -> Decimal | None:
        try:
            return number_from_text(self.cleaned_data[name], unit=self.indicator.unit)
        except NotANumber as error:
            raise ValidationError(error.for_field(LABELS[name])) from None

    def clean_value(self) -> Decimal | None:
        return self._number("value")

    def clean_numerator(self) -> Decimal | None:
        return self._number("numerator")

    def clean_denominator(self) -> Decimal | None:
        return self._number("denominator")

    def is_blank(self) -> bool:
        """Nothing typed in the row at all."""
        data = self.cleaned_data
        return all(data.get(name) is None for name in NUMBER_FIELDS) and not (
            data.get("commentary", "").strip() or data.get("corrective_action", "").strip()
        )

    def reading_input(self) -> ReadingInput:
        data = self.cleaned_data
        return ReadingInput(
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            commentary=data["commentary"].strip(),
            corrective_action=data["corrective_action"].strip(),
            data_quality=data["data_quality"],
        )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put a service's problems with this row beside the fields they name (or at the row)."""
        for name, messages in problems.items():
            self.add_error(name if name in self.fields else None, messages)


def initial_for(reading: Reading | None) -> dict[str, object]:
    """The form's starting values from the saved reading."""
    if reading is None:
        return {"version": 0, "data_quality": Reading.DataQuality.PROVISIONAL}
    return {
        "value": _text(reading.value),
        "numerator": _text(reading.numerator),
        "denominator": _text(reading.denominator),
        "data_quality": reading.data_quality,
        "commentary": reading.commentary,
        "corrective_action": reading.corrective_action,
        "version": reading.version,
    }


def _text(number: Decimal | None) -> str:
    if number is None:
        return ""
    normal = number.normalize()
    return f"{normal:f}"


class ReturnForm(forms.Form):
    """The approval queue's bulk actions: the note for every returned reading without its own."""

    note = forms.CharField(required=False, max_length=TEXT_LIMIT, widget=forms.Textarea)


class UploadForm(forms.Form):
    """A CSV or XLSX file of readings in the template's format."""

    file = forms.FileField(
        error_messages={"required": "Choose a .csv or .xlsx file to upload"},
    )
