"""Signals of the report pipeline, so its services need not import the Celery tasks that call
them (reports.receivers connects the task)."""

from django.dispatch import Signal

# Sent after the transaction that queued a run commits, with `run_id`: a worker should build it.
report_queued = Signal()
