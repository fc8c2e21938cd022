"""Signals other apps listen to, so measures need not know about them."""

from django.dispatch import Signal

# Sent inside the publishing transaction with `period`; receivers' writes commit with it.
period_published = Signal()
