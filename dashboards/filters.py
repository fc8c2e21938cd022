"""Filters for dashboard tables: by block, theme, portfolio and text on the indicators, and by
RAG and direction of travel on their stored scores; all of it done by the database."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from ambitions.models import Ambition
from measures.models import Indicator, Score
from measures.performance import DIRECTION_LABELS, RAG_LABELS, Direction, Rag
from portfolios.models import Portfolio


class IndicatorFilter(django_filters.FilterSet):
    """The filter form above every dashboard table."""

    q = django_filters.CharFilter(method="search", label="Search code, title or definition")
    block = django_filters.ModelChoiceFilter(
        field_name="impact_measure__ambition",
        queryset=Ambition.objects.all(),
        label="Block of the plan",
        empty_label="All blocks",
    )
    theme = django_filters.ModelChoiceFilter(
        method="in_theme",
        label="Cross-cutting theme",
        empty_label="Any theme",
        queryset=Ambition.objects.filter(kind=Ambition.Kind.CROSS_CUTTING_THEME),
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

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        words = Q()
        for word in value.split()[:10]:
            words &= (
                Q(code__icontains=word) | Q(title__icontains=word) | Q(definition__icontains=word)
            )
        return queryset.filter(words)

    def in_theme(
        self, queryset: QuerySet[Indicator], name: str, value: Ambition
    ) -> QuerySet[Indicator]:
        """Tagged with the theme, or evidencing one of the theme's own impact measures."""
        tagged = Indicator.objects.filter(themes=value).values("pk")
        return queryset.filter(Q(pk__in=tagged) | Q(impact_measure__ambition=value))

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
