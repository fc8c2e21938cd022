"""Filters for dashboard tables: by block, theme, portfolio and text on the indicators, and by
RAG and direction of travel on their stored scores; all of it done by the database."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from ambitions.models import Ambition, Plan
from measures.models import Indicator, Score
from measures.performance import DIRECTION_LABELS, RAG_LABELS, Direction, Rag
from portfolios.models import Portfolio


class IndicatorFilter(django_filters.FilterSet):
    """The filter form above every dashboard table."""

    q = django_filters.CharFilter(method="search", label="Search code, title or definition")
    block = django_filters.ModelChoiceFilter(
        method="in_block",
        queryset=Ambition.objects.all(),
        label="Block of the plan",
        empty_label="All blocks",
    )
    theme = django_filters.ModelChoiceFilter(
        method="in_theme",
        label="Cross-cutting theme",
        empty_label="Any theme",
        queryset=Ambition.objects.filter(kind__cuts_across=True),
    )
    portfolio = django_filters.ModelChoiceFilter(
        field_name="lead_portfolio",
        queryset=Portfolio.objects.all(),
        label="Lead portfolio",
        empty_label="All portfolios",
    )
    rag = django_filters.ChoiceFilter(
        choices=[(rag.value, RAG_LABELS[rag]) for rag in Rag],
        method="after_statuses",
        label="Status",
        empty_label="Any status",
    )
    direction = django_filters.ChoiceFilter(
        choices=[(d.value, DIRECTION_LABELS[d]) for d in Direction],
        method="after_statuses",
        label="Direction of travel",
        empty_label="Any direction",
    )

    class Meta:
        model = Indicator
        fields: list[str] = []

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        """The block and theme choices are the plan's, named in its words; a plan with no
        kind of block that cuts across has no theme filter."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is None:
            return
        blocks = Ambition.objects.filter(plan=plan).order_by("position")
        self.filters["block"].queryset = blocks
        kinds = list(plan.block_kinds.all())
        if len(kinds) == 1:
            self.filters["block"].label = kinds[0].singular
            self.filters["block"].extra["empty_label"] = f"All {kinds[0].plural.lower()}"
        across = [kind for kind in kinds if kind.cuts_across]
        if across:
            self.filters["theme"].queryset = blocks.filter(kind__in=across)
            self.filters["theme"].label = across[0].singular
        else:
            del self.filters["theme"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        words = Q()
        for word in value.split()[:10]:
            words &= (
                Q(code__icontains=word) | Q(title__icontains=word) | Q(definition__icontains=word)
            )
        return queryset.filter(words)

    def in_block(
        self, queryset: QuerySet[Indicator], name: str, value: Ambition
    ) -> QuerySet[Indicator]:
        """Evidencing one of the block's impact measures (defined for it or carried into it)."""
        return queryset.filter(_evidences(value))

    def in_theme(
        self, queryset: QuerySet[Indicator], name: str, value: Ambition
    ) -> QuerySet[Indicator]:
        """Tagged with the theme, or evidencing one of the theme's own impact measures."""
        tagged = Indicator.objects.filter(themes=value).values("pk")
        return queryset.filter(Q(pk__in=tagged) | _evidences(value))

    def after_statuses(
        self, queryset: QuerySet[Indicator], name: str, value: str
    ) -> QuerySet[Indicator]:
        """Statuses are the scores', not the indicators': see scores_matching."""
        return queryset

    def scores_matching(self, scores: QuerySet[Score]) -> QuerySet[Score]:
        """The scores whose RAG and direction match the form's choice."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        if data.get("rag"):
            scores = scores.filter(rag=data["rag"])
        if data.get("direction"):
            scores = scores.filter(direction=data["direction"])
        return scores


def _evidences(block: Ambition) -> Q:
    carried = Indicator.objects.filter(later_measures__ambition=block).values("pk")
    return Q(impact_measure__ambition=block) | Q(pk__in=carried)
