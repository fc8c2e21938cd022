"""Reading agreements: the list, one version with everything its page shows, the indicators a
portfolio may report in a year, and the version in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementComment,
    AgreementVersion,
    VersionState,
)
from agreements.permissions import sees_comments, versions_visible_to
from ambitions.models import Scheme
from measures.models import Indicator
from measures.plans import plan_of_year, reported_on
from portfolios.models import Portfolio


def candidates_for(version: AgreementVersion) -> QuerySet[Indicator]:
    """The indicators the version's portfolio leads and reports in its year: an agreement
    belongs to the plan in force for its year (measures/plans.py)."""
    agreement = version.agreement
    year = agreement.financial_year
    return (
        Indicator.objects.filter(lead_portfolio_id=agreement.portfolio_id, first_year__lte=year)
        .exclude(last_year__lt=year)
        .filter(reported_on(date(year, 4, 1)))
        .order_by("position", "code")
    )


def version_in_force(*, portfolio: Portfolio, financial_year: int) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(
            agreement__portfolio=portfolio,
            agreement__financial_year=financial_year,
            state=VersionState.AGREED,
        )
        .select_related("agreement")
        .first()
    )


@dataclass
class AgreementRow:
    """One line of the agreements list: the agreement and the latest version the reader sees."""

    agreement: Agreement
    version: AgreementVersion


def agreement_list(*, user: User | AnonymousUser) -> list[AgreementRow]:
    versions = versions_visible_to(user).select_related("agreement__portfolio")
    latest: dict[int, AgreementVersion] = {}
    for version in versions.order_by("agreement_id", "number"):
        latest[version.agreement_id] = version
    rows = [AgreementRow(v.agreement, v) for v in latest.values()]
    rows.sort(key=lambda r: (-r.agreement.financial_year, r.agreement.portfolio.position))
    return rows


def agreement_get(*, slug: str, year: int) -> Agreement:
    agreement = (
        Agreement.objects.select_related("portfolio")
        .filter(portfolio__slug=slug, financial_year=year)
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def version_for_page(
    *, agreement: Agreement, user: User | AnonymousUser, number: int | None = None
) -> AgreementVersion:
    """The version asked for, or else the latest the reader may see; 404 if none."""
    visible = versions_visible_to(user).filter(agreement=agreement)
    chosen = visible.filter(number=number) if number else visible.order_by("-number")
    version = (
        chosen.select_related("agreement__portfolio", "created_by")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=AgreedMeasure.objects.select_related("indicator").order_by(
                    "indicator__position", "indicator__code"
                ),
            ),
            "key_projects__scheme__milestones",
            "key_projects__scheme__focus_area__ambition__kind",
        )
        .first()
    )
    if version is None:
        raise Http404("No such version of this agreement")
    return version


def versions_of(*, agreement: Agreement, user: User | AnonymousUser) -> QuerySet[AgreementVersion]:
    return versions_visible_to(user).filter(agreement=agreement).order_by("number")


def comments_for(
    *, version: AgreementVersion, user: User | AnonymousUser
) -> QuerySet[AgreementComment]:
    if not sees_comments(user):
        return AgreementComment.objects.none()
    return version.comments.select_related("by", "indicator")


def schemes_for(*, portfolio: Portfolio, financial_year: int | None = None) -> QuerySet[Scheme]:
    """The plan's schemes under the blocks the portfolio delivers (the delivery table), which
    its agreement may name as key projects: for a year, those of the plan in force for it."""
    schemes = Scheme.objects.filter(focus_area__ambition__delivery_priorities__portfolios=portfolio)
    if financial_year is not None and (plan := plan_of_year(financial_year)) is not None:
        schemes = schemes.filter(focus_area__ambition__plan=plan)
    return schemes.select_related("focus_area__ambition__kind").distinct()


def agreements_of_portfolio(
    *, portfolio: Portfolio, user: User | AnonymousUser
) -> list[AgreementVersion]:
    """For the portfolio's pages: each year's latest version the reader may see, newest first."""
    latest: dict[int, AgreementVersion] = {}
    versions = versions_visible_to(user).filter(agreement__portfolio=portfolio)
    for version in versions.select_related("agreement").order_by("agreement_id", "number"):
        latest[version.agreement.financial_year] = version
    return [latest[year] for year in sorted(latest, reverse=True)]
