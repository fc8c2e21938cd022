"""The kinds of value finance returns and their lines take: each a set of choices the
database is constrained to (models.py uses them)."""

from __future__ import annotations

from django.db import models


class FinanceKind(models.TextChoices):
    """What a return holds: one of each per quarter."""

    REVENUE = "revenue", "Revenue budget"
    SAVINGS = "savings", "Savings programme"
    CAPITAL = "capital", "Capital programme"
    RESERVES = "reserves", "Reserves"


class FinanceStatus(models.TextChoices):
    """Where a return is in approval. An uploaded return awaits approval at once: the ledger
    extract is the finance officer's submission."""

    SUBMITTED = "submitted", "Awaiting approval"
    RETURNED = "returned", "Returned for correction"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class SavingRag(models.TextChoices):
    """How a saving's delivery is going, as the finance officer judges it."""

    GREEN = "green", "On track"
    AMBER = "amber", "At risk"
    RED = "red", "Will not be delivered in full"
