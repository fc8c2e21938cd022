"""The kinds of value indicators, periods, readings and scores take: each a set of choices
the database is constrained to (see models.py, which uses them)."""

from __future__ import annotations

from django.db import models


class IndicatorUnit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    COUNT = "count", "Count"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000"
    RATE_PER_100000 = "rate_per_100000", "Rate per 100,000"
    CURRENCY = "currency", "Pounds (£)"
    DAYS = "days", "Days"
    RATIO = "ratio", "Ratio"
    SCORE = "score", "Score"
    YES_NO = "yes_no", "Yes or no"


class IndicatorFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class IndicatorStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"


class IndicatorPolarity(models.TextChoices):
    """The same values as measures.performance.Polarity, which the status rules take."""

    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    ON_TARGET_BAND = "on_target_band", "Within a target band"


class ReportingPeriodState(models.TextChoices):
    NOT_OPEN = "not_open", "Not yet open"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"


class ReadingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class ReadingDataQuality(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    FINAL = "final", "Final"
    ESTIMATED = "estimated", "Estimated"


class ScoreAudience(models.TextChoices):
    """Whose view of the figures a score is: which readings it may be judged from."""

    PUBLIC = "public", "The public (published readings of public indicators)"
    MEMBERS = "members", "Members (approved and published readings)"
    WORKFLOW = "workflow", "The returns workflow (every reading, drafts included)"


class DeliveryStatus(models.TextChoices):
    """Where a milestone stands, as its officer reports it each quarter."""

    COMPLETE = "complete", "Complete"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    SLIPPED = "slipped", "Slipped"
    NOT_STARTED = "not_started", "Not started"
    CANCELLED = "cancelled", "Cancelled"


class MilestoneState(models.TextChoices):
    """A milestone's stored position in a period, for one audience: a delivery status, or
    "no update" when that audience has none to go on (the plan's own words aside)."""

    COMPLETE = "complete", "Complete"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    SLIPPED = "slipped", "Slipped"
    NOT_STARTED = "not_started", "Not started"
    CANCELLED = "cancelled", "Cancelled"
    NO_UPDATE = "no_update", "No update"
