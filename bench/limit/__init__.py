"""The limit app: a minimal Django + DRF project the bench compares QuickCare to (issue 16)."""

# The logged read's table (`bench.run` creates it like audit_auditevent: the same columns and
# indexes, an empty chain at every run) and how many rows it logs per read (the bench's
# documents page of 20).
LOGGED_TABLE = "limit_access_chain"
# The staged read's table: the events' facts only, no chain columns, a primary key only.
STAGED_TABLE = "limit_access_staged"
LOGGED_ROWS = 20
