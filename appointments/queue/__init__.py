"""The OPD day (issue 14): walk-ins, tokens, the queue with live position and ETA, no-shows.

Split by room: `board.py` is the pure order/ETA arithmetic, `selectors.py` the reads (each in
at most three statements), `services.py` the writes (under the doctor's row lock, like
booking), `policies.py` who runs which queue, `serializers.py` and `views.py` the HTTP side.
"""
