"""Every write to readings, periods and uploads: validated, versioned, recorded with who,
when and why, and all or nothing. Views only translate requests into these calls.

- readings.py: saving drafts, one reading or many (the one path);
- decisions.py: submit, approve, return, and the My returns and approval pages' actions;
- periods.py: opening, closing and publishing periods;
- uploads.py: a file of readings (and milestone updates: milestone_upload.py), read once,
  previewed, saved, purged;
- milestones.py, milestone_scores.py, milestone_owners.py: milestone updates (the readings'
  workflow, for the plan's milestones), their stored scores, and who owns them;
- returns_page.py: My returns' whole save and submit, readings and milestone updates as one;
- targets.py: the periods' targets, as agreements set them, with their history;
- errors.py: ReadingsRefused (every problem by reading and field) and ReadingConflict;
- guards.py and history.py: the checks and versioned writes they share.
"""

from measures.services.decisions import (
    FIGURES,
    Decision,
    ReturnsSaved,
    figures_set_by,
    reading_approve,
    reading_return,
    reading_submit,
    readings_decide,
    returns_save,
    returns_submit,
    returns_submit_errors,
    submit_errors,
)
from measures.services.errors import WHOLE, ReadingConflict, ReadingKey, ReadingsRefused, key_of
from measures.services.periods import period_close, period_open, period_publish
from measures.services.readings import (
    BATCH,
    EDITABLE,
    ReadingEntry,
    ReadingInput,
    reading_errors,
    reading_save,
    readings_save,
    readings_save_many,
)
from measures.services.returns_page import (
    PageSaved,
    ReturnsPageRefused,
    returns_page_save,
    returns_page_submit,
)
from measures.services.targets import TargetsSet, TargetValues, targets_set
from measures.services.uploads import uploads_purge

__all__ = [
    "BATCH",
    "EDITABLE",
    "FIGURES",
    "WHOLE",
    "Decision",
    "PageSaved",
    "ReadingConflict",
    "ReadingEntry",
    "ReadingInput",
    "ReadingKey",
    "ReadingsRefused",
    "ReturnsPageRefused",
    "ReturnsSaved",
    "TargetValues",
    "TargetsSet",
    "figures_set_by",
    "key_of",
    "period_close",
    "period_open",
    "period_publish",
    "reading_approve",
    "reading_errors",
    "reading_return",
    "reading_save",
    "reading_submit",
    "readings_decide",
    "readings_save",
    "readings_save_many",
    "returns_page_save",
    "returns_page_submit",
    "returns_save",
    "returns_submit",
    "returns_submit_errors",
    "submit_errors",
    "targets_set",
    "uploads_purge",
]
