"""Signals of the innovations app, for writes that bypass Model.save() and so send no post_save."""

from django.dispatch import Signal

# Sent inside the transaction that published records in bulk (an import), with `pks`: their ids.
records_published = Signal()

# Sent inside the transaction that changed what public records show without saving each row (the KIPP
# awards a competition's results write in bulk), with `pks`: the records' ids.
records_changed = Signal()
