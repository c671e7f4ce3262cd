"""Events privacy sends, for the apps above it (notifications) to answer.

`personal_data_erased`: sent inside the erasure's transaction with `user=<User>`; each app that
keeps personal data of its own (the notifications inbox, push devices) erases it there, so the
erasure is whole or not at all.
"""

from django.dispatch import Signal

personal_data_erased = Signal()
