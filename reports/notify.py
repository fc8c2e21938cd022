"""Telling a committee's members that its report is ready: one email each, with a link to
the committee's page (never the file: it is downloaded signed in, as members may), sent once
per report however many times a worker finishes it."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from core.formatting import person_name
from core.sent_once import send_once_a_day
from reports.models import ReportRun

logger = logging.getLogger("stockport_plan.reports")


def report_ready_notify(*, run_id: int) -> int:
    """Email each member of the run's committee that its report is ready; how many were sent
    now (a member without an email address is skipped, and said so in the log)."""
    run = ReportRun.objects.select_related("committee", "period").get(pk=run_id)
    if run.status != ReportRun.Status.DONE:
        return 0
    link = f"{settings.SITE_URL}{reverse('reports:list', args=[run.committee.slug])}"
    subject = f"{run.committee.name}: the {run.period.label} performance report is ready"
    sent = 0
    for member in run.committee.members.filter(is_active=True).order_by("pk"):
        if not member.email:
            logger.warning("Member %s of %s has no email address", member.pk, run.committee.slug)
            continue
        body = "\n".join(
            [
                f"Dear {person_name(member)},",
                "",
                f"The {run.period.label} performance report for the {run.committee.name} is "
                f"ready ({', '.join(f.upper() for f in run.formats)}).",
                "",
                f"Open it, signed in, at {link}",
                "",
                f"Its data fingerprint is {run.fingerprint[:12]}: the PDF, workbook and CSV "
                "with this fingerprint hold the same figures.",
            ]
        )
        try:
            sent += send_once_a_day(
                kind="report-ready",
                recipient=member,
                about=f"run-{run.pk}",
                day=timezone.localdate(),
                send=partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]),
            )
        except Exception:  # one member's mail server failing must not stop the others'
            logger.exception("Could not tell member %s that run %s is ready", member.pk, run.pk)
    return sent
