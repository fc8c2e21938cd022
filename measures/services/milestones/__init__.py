"""Every write to milestone updates: the same workflow, four-eyes rule, version checks and
history as readings, for the plan's milestones.

- drafts.py: saving drafts (one or many, all or nothing), how an update is named, and what
  makes it ready to submit;
- decisions.py: submit, approve, return, publish with the period, and the pages' actions on
  many.
"""

from measures.services.milestones.decisions import (
    CHANGED_SINCE_CHECKED,
    MilestoneDecision,
    milestone_update_approve,
    milestone_update_return,
    milestone_update_submit,
    milestone_updates_decide,
    milestone_updates_publish,
    milestone_updates_submit,
    set_by,
    submit_errors_for,
    waiting_in,
)
from measures.services.milestones.drafts import (
    EDITABLE,
    FIGURES,
    MilestoneEntry,
    MilestoneInput,
    MilestoneUpdateConflict,
    current_date_before,
    key_of,
    label_of,
    milestone_from_ref,
    milestone_ref,
    milestone_update_save,
    milestone_updates_save,
    one_line_break,
    submit_errors,
    update_errors,
)

__all__ = [
    "CHANGED_SINCE_CHECKED",
    "EDITABLE",
    "FIGURES",
    "MilestoneDecision",
    "MilestoneEntry",
    "MilestoneInput",
    "MilestoneUpdateConflict",
    "current_date_before",
    "key_of",
    "label_of",
    "milestone_from_ref",
    "milestone_ref",
    "milestone_update_approve",
    "milestone_update_return",
    "milestone_update_save",
    "milestone_update_submit",
    "milestone_updates_decide",
    "milestone_updates_publish",
    "milestone_updates_save",
    "milestone_updates_submit",
    "one_line_break",
    "set_by",
    "submit_errors",
    "submit_errors_for",
    "update_errors",
    "waiting_in",
]
