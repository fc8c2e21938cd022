"""Signals other apps listen to, so measures need not know about them."""

from django.dispatch import Signal

# Sent inside the publishing transaction with `period`; receivers' writes commit with it.
period_published = Signal()

# Sent inside the publishing transaction, before anything is published, with `period`: a
# receiver returns why the period cannot be published yet ("2 finance returns await
# approval") or None; any reason refuses the publication.
period_publish_check = Signal()

# Sent when the publish page is shown, with `period`: a receiver returns a sentence saying
# what else publishing the period publishes ("2 approved finance returns: …"), or None.
period_publish_preview = Signal()
