"""Every write to an agreement: drafting (from last year's), editing its measures (on the page
or from a spreadsheet), its key projects and introduction, sending it for comment, comments,
recording Cabinet's approval (which sets the periods' targets) and amending it. All or
nothing; a version saved from an out-of-date page is refused; every change is in its history."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementComment,
    AgreementEvent,
    AgreementVersion,
    KeyProject,
    VersionState,
)
from agreements.rules import FIGURES, MeasureInput, measure_read, reported_answer
from agreements.selectors import candidates_for, schemes_for, version_in_force
from agreements.targets import targets_of
from ambitions.models import Scheme
from core.formatting import decimal_text
from measures.models import Indicator
from measures.services import TargetsSet, targets_set
from measures.validation import text_errors
from portfolios.models import Portfolio

Action = AgreementEvent.Action
Cells = Mapping[str, str]
MAX_TEXT = 10_000


class AgreementRefused(ValidationError):
    """Nothing was saved: `by_indicator` holds each refused measure's problems by field."""

    def __init__(self, by_indicator: dict[str, dict[str, list[str]]]) -> None:
        self.by_indicator = by_indicator
        super().__init__(
            [
                f"{code}: {message}"
                for code, fields in by_indicator.items()
                for messages in fields.values()
                for message in messages
            ]
        )


class AgreementConflict(ValidationError):
    """The version changed since the page (or file) was made from it."""


def draft_start(
    *, portfolio: Portfolio, financial_year: int, by: User | None, is_synthetic: bool = False
) -> AgreementVersion:
    """Start a portfolio's agreement for a year: a copy of the year before's agreed version
    (its measures still reported, targets, key projects and introduction) where there is one,
    else every indicator the portfolio leads that year, without targets."""
    with transaction.atomic():
        agreement, _ = Agreement.objects.get_or_create(
            portfolio=portfolio, financial_year=financial_year
        )
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.versions.exists():
            raise ValidationError(
                f"{portfolio}'s {agreement.year_label} agreement has already been started: "
                "open it to carry on"
            )
        previous = version_in_force(portfolio=portfolio, financial_year=financial_year - 1)
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            effective_from=agreement.year_start,
            introduction=previous.introduction if previous else "",
            created_by=by,
            is_synthetic=is_synthetic,
        )
        candidates = candidates_for(version)
        if previous is not None:
            _copy(previous, version, candidates)
            year = previous.agreement.year_label
            note = f"Copied from the {year} agreement, version {previous.number}"
        else:
            AgreedMeasure.objects.bulk_create(
                AgreedMeasure(version=version, indicator=i, polarity=i.polarity) for i in candidates
            )
            note = "Started with every indicator the portfolio leads this year, without targets"
        _event(version, Action.DRAFTED, by, note)
    return version


def amend_start(
    *, agreement: Agreement, by: User | None, reason: str, effective_from: date | None
) -> AgreementVersion:
    """Start an amendment of the version in force: a new version, a copy of it, whose targets
    will judge from `effective_from` once it is agreed. The version in force stays in force
    (and readable) until then."""
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update().select_related("portfolio").get(pk=agreement.pk)
        )
        current = agreement.versions.filter(state=VersionState.AGREED).first()
        errors: dict[str, list[str]] = {}
        if current is None:
            raise ValidationError("Only an agreed agreement can be amended: agree it first")
        if agreement.versions.filter(
            state__in=[VersionState.DRAFT, VersionState.FOR_COMMENT]
        ).exists():
            raise ValidationError("An amendment is already being drafted: open it to carry on")
        if not reason.strip():
            errors["reason"] = ["Say why the agreement is being amended"]
        errors.setdefault("reason", []).extend(text_errors(reason))
        if effective_from is None:
            errors["effective_from"] = ["Enter the date the amended targets judge from"]
        elif not agreement.year_start <= effective_from <= agreement.year_end:
            errors["effective_from"] = [
                f"The date must be within {agreement.year_label}: between "
                f"{agreement.year_start:%-d %B %Y} and {agreement.year_end:%-d %B %Y}"
            ]
        elif effective_from < current.effective_from:
            errors["effective_from"] = [
                f"The date must not be before {current.effective_from:%-d %B %Y}, when the "
                f"version it amends took effect"
            ]
        errors = {k: v for k, v in errors.items() if v}
        if errors:
            raise ValidationError(errors)
        assert effective_from is not None  # noqa: S101 - checked above
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=current.number + 1,
            introduction=current.introduction,
            reason=reason.strip(),
            effective_from=effective_from,
            created_by=by,
            is_synthetic=current.is_synthetic,
        )
        _copy(current, version, None)
        _event(version, Action.AMENDED, by, reason.strip())
    return version


def measures_save(
    *,
    version: AgreementVersion,
    rows: Mapping[str, Cells],
    by: User | None,
    revision: int,
    action: str = Action.EDITED,
    note: str = "",
) -> dict[str, dict[str, list[str]]]:
    """Save the measures named in `rows` (indicator code -> cells as typed: "reported" is
    "yes" or "no", then the figures, polarity and note); rows left out are unchanged. Every
    problem is found before anything is saved; the changes made, by code and field."""
    with transaction.atomic():
        version = _editable(version, revision)
        candidates = {indicator.code: indicator for indicator in candidates_for(version)}
        existing = {m.indicator.code: m for m in version.measures.select_related("indicator")}
        read: dict[str, MeasureInput] = {}
        errors: dict[str, dict[str, list[str]]] = {}
        for code, cells in rows.items():
            indicator = candidates.get(code)
            if indicator is None:
                errors[code] = {"indicator": [_not_a_candidate(code, version)]}
                continue
            reported = reported_answer(cells.get("reported", ""))
            if reported is None:
                errors[code] = {"reported": ["Enter yes if it is reported this year, or no"]}
                continue
            read[code] = measure_read(indicator, cells, reported=reported)
            if read[code].errors:
                errors[code] = read[code].errors
        if errors:
            raise AgreementRefused(errors)
        changes = {
            code: change
            for code, measure in read.items()
            if (change := _apply(version, candidates[code], existing.get(code), measure))
        }
        if changes:
            _touch(version)
            _event(version, action, by, note, changes)
    return changes


class _DryRun(Exception):
    def __init__(self, changes: dict[str, dict[str, list[str]]]) -> None:
        super().__init__("dry run")
        self.changes = changes


def measures_preview(
    *, version: AgreementVersion, rows: Mapping[str, Cells]
) -> dict[str, dict[str, list[str]]]:
    """What `measures_save` would change, by code and field, without saving anything (it is
    run and rolled back); AgreementRefused, as it would raise, for rows with problems."""
    try:
        with transaction.atomic():
            raise _DryRun(
                measures_save(version=version, rows=rows, by=None, revision=version.revision)
            )
    except _DryRun as dry_run:
        return dry_run.changes


def details_save(
    *,
    version: AgreementVersion,
    introduction: str,
    scheme_ids: Collection[int],
    by: User | None,
    revision: int,
) -> bool:
    """Save the portfolio holder's introduction and the key projects (schemes) it commits to."""
    with transaction.atomic():
        version = _editable(version, revision)
        problems = text_errors(introduction)
        if len(introduction) > MAX_TEXT:
            problems.append(f"Keep the introduction to {MAX_TEXT:,} characters or fewer")
        agreement = version.agreement
        schemes = list(
            schemes_for(
                portfolio=agreement.portfolio, financial_year=agreement.financial_year
            ).filter(pk__in=scheme_ids)
        )
        if len(schemes) != len(set(scheme_ids)):
            problems.append(
                "One of the key projects chosen is not a scheme this portfolio delivers in the "
                f"plan in force for {agreement.year_label}"
            )
        if problems:
            raise ValidationError({"introduction": problems})
        changed = False
        if introduction.strip() != version.introduction:
            _event(
                version,
                Action.INTRODUCTION,
                by,
                "",
                {"": {"introduction": [version.introduction, introduction.strip()]}},
            )
            version.introduction = introduction.strip()
            changed = True
        before = set(version.key_projects.values_list("scheme_id", flat=True))
        after = {scheme.pk for scheme in schemes}
        if before != after:
            version.key_projects.filter(scheme_id__in=before - after).delete()
            KeyProject.objects.bulk_create(
                KeyProject(version=version, scheme=s) for s in schemes if s.pk in after - before
            )
            names = {s.pk: s.name for s in Scheme.objects.filter(pk__in=before | after)}
            _event(
                version,
                Action.KEY_PROJECTS,
                by,
                "",
                {
                    "": {
                        "key projects": [
                            "; ".join(sorted(names[p] for p in before)),
                            "; ".join(sorted(names[p] for p in after)),
                        ]
                    }
                },
            )
            changed = True
        if changed:
            _touch(version)
    return changed


def send_for_comment(*, version: AgreementVersion, by: User | None, revision: int) -> None:
    with transaction.atomic():
        version = _editable(version, revision)
        if version.state != VersionState.DRAFT:
            raise ValidationError("This draft is already out for scrutiny comment")
        version.state = VersionState.FOR_COMMENT
        _touch(version)
        _event(version, Action.SENT_FOR_COMMENT, by, "")


def comment_add(
    *, version: AgreementVersion, by: User, text: str, indicator_code: str = ""
) -> AgreementComment:
    """A scrutiny member's comment, on one of its indicators or (no code) on the whole."""
    with transaction.atomic():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.FOR_COMMENT:
            raise ValidationError("Comments are taken only while a draft is out for comment")
        errors: dict[str, list[str]] = {}
        if not text.strip():
            errors["text"] = ["Enter your comment"]
        elif problems := text_errors(text) or (
            [f"Keep the comment to {MAX_TEXT:,} characters or fewer"]
            if len(text) > MAX_TEXT
            else []
        ):
            errors["text"] = problems
        indicator = None
        if indicator_code:
            indicator = Indicator.objects.filter(
                code=indicator_code, pk__in=version.measures.values("indicator")
            ).first()
            if indicator is None:
                errors["indicator"] = [f"{indicator_code} is not one of this draft's measures"]
        if errors:
            raise ValidationError(errors)
        comment = AgreementComment.objects.create(
            version=version, indicator=indicator, by=by, text=text.strip()
        )
        _event(version, Action.COMMENTED, by, indicator_code or "On the whole agreement")
    return comment


def agree(
    *,
    version: AgreementVersion,
    by: User | None,
    agreed_on: date | None,
    revision: int,
    decided_by: str = "Cabinet",
    today: date | None = None,
) -> TargetsSet:
    """Record the decision: the version is in force (the one it amends is kept, superseded)
    and its targets are set for every period it covers from its effective date, except those
    already published, which keep what they were judged against."""
    today = today or timezone.localdate()
    with transaction.atomic():
        version = _editable(version, revision)
        current = version.agreement.versions.filter(state=VersionState.AGREED).first()
        if agreed_on is None:
            raise ValidationError({"agreed_on": ["Enter the date of the meeting that agreed it"]})
        if agreed_on > today:
            raise ValidationError(
                {"agreed_on": ["The meeting's date cannot be in the future: record it after"]}
            )
        if current is not None and current.agreed_on and agreed_on < current.agreed_on:
            raise ValidationError(
                {
                    "agreed_on": [
                        f"The amendment cannot be agreed before the version it amends was "
                        f"({current.agreed_on:%-d %B %Y})"
                    ]
                }
            )
        if not decided_by.strip() or len(decided_by) > 200:
            raise ValidationError({"decided_by": ["Say which meeting agreed it, like Cabinet"]})
        result = _in_force(version, current, by=by, agreed_on=agreed_on, decided_by=decided_by)
    return result


def fixture_agree(*, version: AgreementVersion, decided_by: str) -> TargetsSet:
    """Put a version loaded from the fixtures in force: the plan's own targets, agreed with
    the plan (no meeting date), as `agree` does but without a person or a date to check."""
    with transaction.atomic():
        version = (
            AgreementVersion.objects.select_for_update()
            .select_related("agreement__portfolio")
            .get(pk=version.pk)
        )
        return _in_force(version, None, by=None, agreed_on=None, decided_by=decided_by)


def _in_force(
    version: AgreementVersion,
    current: AgreementVersion | None,
    *,
    by: User | None,
    agreed_on: date | None,
    decided_by: str,
) -> TargetsSet:
    """The version replaces `current` (kept, superseded) and its targets are set."""
    if current is not None:
        current.state = VersionState.SUPERSEDED
        current.save(update_fields=["state"])
        _event(current, Action.SUPERSEDED, by, f"By version {version.number}: {version.reason}")
    version.state, version.agreed_on = VersionState.AGREED, agreed_on
    version.decided_by = decided_by.strip()
    _touch(version)
    result = targets_set(
        targets=targets_of(version, current),
        by=by,
        reason=version.reason or f"The {version.agreement.year_label} agreement was agreed",
        source=version.source,
    )
    kept = (
        f"; published periods kept their targets: {', '.join(result.kept_published)}"
        if result.kept_published
        else ""
    )
    _event(version, Action.AGREED, by, f"{version.decision}: {result.changed} target(s) set{kept}")
    return result


def _apply(
    version: AgreementVersion,
    indicator: Indicator,
    current: AgreedMeasure | None,
    measure: MeasureInput,
) -> dict[str, list[str]]:
    """Write one measure's new figures; what changed, {field: [old, new]}."""
    if not measure.reported:
        if current is None:
            return {}
        current.delete()
        return {"reported": ["yes", "no"]}
    row = current or AgreedMeasure(version=version, indicator=indicator)
    before = _shown(current) if current else {"reported": "no"}
    for name in FIGURES:
        value = measure.figures.get(name)
        setattr(row, name, Decimal(0) if name == "tolerance" and value is None else value)
    row.polarity, row.note = measure.polarity, measure.note
    after = _shown(row)
    change = {
        name: [before.get(name, ""), after[name]]
        for name in after
        if before.get(name, "") != after[name]
    }
    if change:
        row.full_clean(exclude=["version", "indicator"], validate_unique=False)
        row.save()
    return change


def _shown(measure: AgreedMeasure) -> dict[str, str]:
    shown = {name: decimal_text(getattr(measure, name)) for name in FIGURES}
    return {"reported": "yes", **shown, "polarity": measure.polarity, "note": measure.note}


def _copy(
    source: AgreementVersion, version: AgreementVersion, candidates: Iterable[Indicator] | None
) -> None:
    """Copy a version's measures (those still among the candidates, if given) and key projects."""
    allowed = None if candidates is None else {indicator.pk for indicator in candidates}
    AgreedMeasure.objects.bulk_create(
        AgreedMeasure(
            version=version,
            indicator_id=m.indicator_id,
            target=m.target,
            upper=m.upper,
            q1=m.q1,
            q2=m.q2,
            q3=m.q3,
            q4=m.q4,
            tolerance=m.tolerance,
            polarity=m.polarity,
            note=m.note,
        )
        for m in source.measures.all()
        if allowed is None or m.indicator_id in allowed
    )
    KeyProject.objects.bulk_create(
        KeyProject(version=version, scheme_id=k.scheme_id, note=k.note)
        for k in source.key_projects.all()
    )


def _editable(version: AgreementVersion, revision: int) -> AgreementVersion:
    """The version, locked, if it may still be edited and has not changed since `revision`."""
    locked = (
        AgreementVersion.objects.select_for_update()
        .select_related("agreement__portfolio")
        .get(pk=version.pk)
    )
    if not locked.is_open:
        raise ValidationError(
            f"Version {locked.number} was {locked.decision or 'replaced'} and cannot be "
            "changed: start an amendment instead"
        )
    if locked.revision != revision:
        raise AgreementConflict(
            "Someone else changed this agreement after you opened it, so nothing was saved: "
            "look at it again and make your change on the current version"
        )
    return locked


def _touch(version: AgreementVersion) -> None:
    version.revision += 1
    version.save()


def _event(
    version: AgreementVersion,
    action: str,
    by: User | None,
    note: str,
    changes: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> None:
    AgreementEvent.objects.create(
        version=version, action=action, by=by, note=note, changes=dict(changes or {})
    )


def _not_a_candidate(code: str, version: AgreementVersion) -> str:
    agreement = version.agreement
    return (
        f"{code} is not an indicator {agreement.portfolio} leads in {agreement.year_label}: "
        "an indicator belongs to the agreement of the portfolio the plan gives it"
    )
