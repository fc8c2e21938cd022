"""Forms for entering readings: text in, Decimals out, with messages a person can act on."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from measures.models import Reading
from measures.services import ReadingInput

NUMBER_FIELDS = ("value", "numerator", "denominator")
TEXT_LIMIT = 5000


def parse_number(text: str, label: str) -> Decimal | None:
    """A number as people type it ("1,500", " 12.5 ", "45%"), or None for a blank."""
    cleaned = text.strip().replace(",", "").removesuffix("%").strip()
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(f"{label} must be a number, like 12 or 12.5") from None
    if not number.is_finite():
        raise ValidationError(f"{label} must be a number, like 12 or 12.5")
    return number


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
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_value(self) -> Decimal | None:
        return parse_number(self.cleaned_data["value"], "The value")

    def clean_numerator(self) -> Decimal | None:
        return parse_number(self.cleaned_data["numerator"], "The numerator")

    def clean_denominator(self) -> Decimal | None:
        return parse_number(self.cleaned_data["denominator"], "The denominator")

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

    def add_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the fields it names (or at the row)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


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
    """The approval queue's bulk actions."""

    note = forms.CharField(required=False, max_length=TEXT_LIMIT, widget=forms.Textarea)


class UploadForm(forms.Form):
    """A CSV or XLSX file of readings in the template's format."""

    file = forms.FileField(
        error_messages={"required": "Choose a .csv or .xlsx file to upload"},
    )
