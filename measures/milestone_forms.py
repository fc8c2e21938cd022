"""The form for one milestone's progress update on My returns: text in, a MilestoneInput out,
with the revised date read strictly and messages a person can act on. What may be saved
(statuses, text limits, dates in range) is the service's to say (services.milestones)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from measures.models import DeliveryStatus, MilestoneUpdate
from measures.services.milestones import MilestoneInput, one_line_break

NOT_A_DATE = "Enter the revised date as a date, for example 30 9 2025"
TEXTS = ("progress_note", "reason", "corrective_action")
# Day, month and a four-digit year, apart by spaces, slashes, dots or dashes ("30 9 2025",
# "30/09/2025"); or the ISO form a browser or spreadsheet gives ("2025-09-30"). Nothing is
# guessed: a two-digit year or a month's name is refused, never read one way or another.
_DAY_FIRST = re.compile(r"(\d{1,2})[ /.-]+(\d{1,2})[ /.-]+(\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)


def date_from_text(text: str) -> date | None:
    """The date typed (None when nothing is), or ValidationError saying how to write one."""
    text = text.strip()
    if not text:
        return None
    if day_first := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in day_first.groups())
    elif iso := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise ValidationError(NOT_A_DATE)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(NOT_A_DATE) from None


def date_text(day: date | None) -> str:
    """A date as the form shows it, in the shape it asks for: "30 9 2025"."""
    return f"{day.day} {day.month} {day.year}" if day else ""


class NoteField(forms.CharField):
    """A textarea's text with its line breaks as the service keeps them, so a note the page
    shows and sends back unchanged is not taken for an edit."""

    def to_python(self, value: Any) -> str:
        return one_line_break(super().to_python(value) or "")


class MilestoneRowForm(forms.Form):
    """One milestone's line in "My returns". The status is left for the service to judge, so a
    row with text but no status gets the service's own message."""

    statuses = DeliveryStatus.choices  # offered on the page; the service judges what is sent
    delivery_status = forms.CharField(required=False)
    progress_note = NoteField(required=False, widget=forms.Textarea)
    revised_date = forms.CharField(required=False)
    reason = NoteField(required=False, widget=forms.Textarea)
    corrective_action = NoteField(required=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, max_value=10**9, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages = {
            key: "This form is out of date: reload the page and enter the update again"
            for key in ("required", "invalid", "min_value", "max_value")
        }

    def full_clean(self) -> None:
        """A bad hidden version is the row's problem, shown at the row, not at a hidden field."""
        super().full_clean()
        errors = self.errors
        if "version" in errors:
            errors.setdefault(NON_FIELD_ERRORS, self.error_class()).extend(errors.pop("version"))

    def clean_revised_date(self) -> date | None:
        return date_from_text(self.cleaned_data["revised_date"])

    def is_blank(self) -> bool:
        """Nothing chosen or typed in the row at all."""
        data = self.cleaned_data
        return (
            not data.get("delivery_status")
            and data.get("revised_date") is None
            and not any(data.get(name, "").strip() for name in TEXTS)
        )

    def has_edits(self) -> bool:
        """Whether anything differs from what the page showed (the version aside)."""
        return any(name != "version" for name in self.changed_data)

    def milestone_input(self) -> MilestoneInput:
        data = self.cleaned_data
        return MilestoneInput(
            delivery_status=data["delivery_status"],
            progress_note=data["progress_note"].strip(),
            revised_date=data["revised_date"],
            reason=data["reason"].strip(),
            corrective_action=data["corrective_action"].strip(),
        )

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Put a service's problems with this row beside the fields they name (or at the row)."""
        for name, messages in problems.items():
            self.add_error(name if name in self.fields else None, messages)


def initial_for_milestone(
    update: MilestoneUpdate | None, previous: MilestoneUpdate | None
) -> dict[str, object]:
    """The form's starting values: this period's update; else the status and texts of the
    latest approved one, to carry forward (never its revised date, which was that period's)."""
    if update is not None:
        return {
            "delivery_status": update.delivery_status,
            **{name: getattr(update, name) for name in TEXTS},
            "revised_date": date_text(update.revised_date),
            "version": update.version,
        }
    if previous is not None:
        return {
            "delivery_status": previous.delivery_status,
            **{name: getattr(previous, name) for name in TEXTS},
            "version": 0,
        }
    return {"version": 0}
