"""Writes to report runs: request, queue, build (idempotently), fail, and sweep up stuck ones.

The ReportRun row is the truth. A Celery message only carries its id, is sent after the
transaction commits, and may be lost (Redis keeps nothing on disk) or delivered twice: the
sweeper re-sends what is stuck, and a run is claimed and finished with conditional updates so
that it completes exactly once with one set of files.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from measures.models import ReportingPeriod
from measures.permissions import can_request_reports_for
from portfolios.models import ScrutinyCommittee
from reports import renderers
from reports.builder import report_data_build, report_snapshot
from reports.models import ReportRun, report_path
from reports.notify import report_ready_notify
from reports.signals import report_queued

logger = logging.getLogger(__name__)
RENDERERS = renderers.RENDERERS


def report_request(
    *,
    committee: ScrutinyCommittee,
    period: ReportingPeriod,
    by: User,
    formats: list[str] | None = None,
) -> ReportRun:
    """Queue a report now; the worker is told once the request is saved."""
    if not can_request_reports_for(by, committee):
        raise PermissionDenied(
            "Only the performance team and this committee's scrutiny members request its reports."
        )
    chosen = formats or list(ReportRun.FORMATS)
    unknown = [f for f in chosen if f not in ReportRun.FORMATS]
    if unknown or not chosen:
        raise ValidationError({"formats": ["Choose one or more of PDF, Excel and CSV"]})
    if period.state == ReportingPeriod.State.NOT_OPEN:
        raise ValidationError(
            {"period": [f"{period} has not been opened: there is nothing to report yet"]}
        )
    with transaction.atomic():
        # The committee is locked so that two clicks at once cannot both find no report being
        # made; the same report still being made is given back rather than made again.
        ScrutinyCommittee.objects.select_for_update().filter(pk=committee.pk).first()
        in_progress = ReportRun.objects.filter(
            committee=committee,
            period=period,
            status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING],
        )
        for run in in_progress:
            if sorted(run.formats) == sorted(chosen):
                return run
        _require_under_hourly_limit(by)
        return _queue(committee, period, chosen, by)


def _require_under_hourly_limit(by: User) -> None:
    """Refuse a request past REPORT_REQUESTS_PER_HOUR from one person (each one costs a
    worker minutes), saying when they can ask again."""
    limit = settings.REPORT_REQUESTS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    recent = list(
        ReportRun.objects.filter(requested_by=by, requested_at__gte=since)
        .order_by("requested_at")
        .values_list("requested_at", flat=True)[:limit]
    )
    if len(recent) >= limit:
        wait = max(1, int((recent[0] + timedelta(hours=1) - timezone.now()).total_seconds() // 60))
        raise ValidationError(
            f"You have asked for {limit} reports in the last hour, the most one person can: "
            f"the reports you asked for are being made. Ask again in {wait} minute(s)."
        )


def reports_queue_for_period(*, period: ReportingPeriod) -> list[ReportRun]:
    """Every committee's report for a period that has just been published."""
    with transaction.atomic():
        return [
            _queue(c, period, list(ReportRun.FORMATS), None)
            for c in ScrutinyCommittee.objects.all()
        ]


def _queue(
    committee: ScrutinyCommittee, period: ReportingPeriod, formats: list[str], by: User | None
) -> ReportRun:
    run = ReportRun.objects.create(
        committee=committee,
        period=period,
        formats=formats,
        requested_by=by,
        step="Waiting for a worker",
    )
    transaction.on_commit(lambda: _send(run.pk))
    return run


def _send(run_id: int) -> None:
    """Tell a worker to build the run (reports.receivers sends the Celery task)."""
    ReportRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())
    report_queued.send(sender=ReportRun, run_id=run_id)


class ReportTransientError(Exception):
    """A failure worth trying again (the database or storage was briefly unavailable)."""


def report_run_execute(*, run_id: int) -> None:
    """Build and store every requested format, unless the run is done or someone else's."""
    attempt = _claim(run_id)
    if attempt is None:
        return
    run = ReportRun.objects.select_related("committee", "period").get(pk=run_id)
    try:
        _progress(run, 5, "Gathering the figures")
        data = report_data_build(
            committee=run.committee, period=run.period, generated_at=timezone.now()
        )
        files = {}
        for index, fmt in enumerate(run.formats, start=1):
            _progress(run, 10 + 80 * (index - 1) // len(run.formats), f"Making the {fmt.upper()}")
            files[fmt] = _store(run, fmt, RENDERERS[fmt](data))
    except ReportTransientError:
        raise
    except Exception as error:  # a rendering or data error: retrying will not mend it
        logger.exception("Report run %s failed", run_id)
        report_run_fail(
            run_id=run_id, message=f"The report could not be made: {type(error).__name__}: {error}"
        )
        return
    finished = ReportRun.objects.filter(
        pk=run_id, status=ReportRun.Status.RUNNING, attempts=attempt
    ).update(
        status=ReportRun.Status.DONE,
        progress=100,
        step="Done",
        finished_at=timezone.now(),
        fingerprint=data.fingerprint,
        data_as_at=data.data_as_at,
        snapshot=report_snapshot(data),
        error="",
        **files,
    )
    if not finished:
        logger.warning("Report run %s was taken over before attempt %s finished", run_id, attempt)
        return
    transaction.on_commit(lambda: report_ready_notify(run_id=run_id))


def report_run_requeue(*, run_id: int) -> None:
    """Put a running run back in the queue so that a retry of its task can claim it."""
    ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
        status=ReportRun.Status.QUEUED, step="Waiting to try again"
    )


def report_run_fail(*, run_id: int, message: str) -> None:
    """Mark a run failed with a message the performance team can read."""
    ReportRun.objects.filter(pk=run_id).exclude(status=ReportRun.Status.DONE).update(
        status=ReportRun.Status.FAILED,
        error=message[:2000],
        step="Failed",
        finished_at=timezone.now(),
    )


def _claim(run_id: int) -> int | None:
    """Move a queued run to running for this attempt; None if it is not ours to build."""
    claimed = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
        status=ReportRun.Status.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=1,
        step="Starting",
    )
    if not claimed:
        logger.info(
            "Report run %s is not queued (done, failed or already running): skipped", run_id
        )
        return None
    return ReportRun.objects.values_list("attempts", flat=True).get(pk=run_id)


def _progress(run: ReportRun, percent: int, step: str) -> None:
    ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.RUNNING).update(
        progress=percent, step=step
    )


def _store(run: ReportRun, fmt: str, content: bytes) -> str:
    """Save under the run's fixed name, replacing any earlier attempt's file: one set of files."""
    name = report_path(run, f"report.{fmt}")
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        raise ReportTransientError(f"storage saved {name} as {saved}")
    return saved


def reports_sweep(*, stuck_after: timedelta | None = None) -> list[int]:
    """Send again every run that is stuck: queued but not picked up, or running with no sign of
    life. After too many attempts a run is failed instead. Returns the ids sent."""
    limit = (
        stuck_after
        if stuck_after is not None
        else timedelta(seconds=settings.REPORT_STUCK_AFTER_SECONDS)
    )
    cutoff = timezone.now() - limit
    sent = []
    stale_running = ReportRun.objects.filter(
        status=ReportRun.Status.RUNNING, started_at__lte=cutoff
    )
    for run in stale_running:
        if run.attempts >= settings.REPORT_MAX_ATTEMPTS:
            report_run_fail(
                run_id=run.pk,
                message=(
                    f"Stopped after {run.attempts} attempts: the worker stopped before finishing "
                    "each time. Check the worker's log, then request the report again."
                ),
            )
            continue
        if ReportRun.objects.filter(
            pk=run.pk, status=ReportRun.Status.RUNNING, started_at=run.started_at
        ).update(status=ReportRun.Status.QUEUED, step="Waiting for a worker (retry)"):
            sent.append(run.pk)
    lost = ReportRun.objects.filter(status=ReportRun.Status.QUEUED).filter(
        Q(enqueued_at__lte=cutoff) | Q(enqueued_at__isnull=True, requested_at__lte=cutoff)
    )
    sent += [pk for pk in lost.values_list("pk", flat=True) if pk not in sent]
    for pk in sent:
        _send(pk)
    if sent:
        logger.warning("Report sweeper re-sent runs %s", sent)
    return sent
