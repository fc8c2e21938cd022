"""The one way the readings services refuse: every problem named by reading and by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from measures.models import Reading

# A reading is named by its indicator's code and its period's code.
ReadingKey = tuple[str, str]
WHOLE = ""  # the "field" of a problem with the reading as a whole


class ReadingsRefused(ValidationError):
    """Nothing was saved: `by_reading` holds each refused reading's problems by field (WHOLE
    for the reading as a whole), so a page can show each beside the right row and field."""

    def __init__(
        self, by_reading: dict[ReadingKey, dict[str, list[str]]], labels: dict[ReadingKey, str]
    ) -> None:
        self.by_reading = by_reading
        super().__init__(
            [
                f"{labels.get(key, key[0])}: {message}"
                for key, fields in by_reading.items()
                for messages in fields.values()
                for message in messages
            ]
        )

    @classmethod
    def of(cls, reading_key: ReadingKey, label: str, error: ValidationError) -> ReadingsRefused:
        """One reading's ValidationError (by field or as a whole) as a refusal."""
        fields = (
            error.message_dict if hasattr(error, "error_dict") else {WHOLE: list(error.messages)}
        )
        return cls(
            {reading_key: {WHOLE if k == "__all__" else k: v for k, v in fields.items()}},
            {reading_key: label},
        )


def key_of(indicator_code: str, period_code: str) -> ReadingKey:
    return (indicator_code, period_code)


class ReadingConflict(ReadingsRefused):
    """Someone else changed the reading since it was opened; nothing was saved."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        message = (
            f"{reading.indicator.code} was changed by someone else while you were editing it "
            f"(now version {reading.version}). Nothing was saved: check their change and enter "
            "yours again."
        )
        key = key_of(reading.indicator.code, reading.period.code)
        ValidationError.__init__(self, message)
        self.by_reading = {key: {WHOLE: [message]}}

    def __str__(self) -> str:
        return self.messages[0]
