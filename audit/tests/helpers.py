"""What tests of other apps need to know about the chain."""

# One append, whatever the number of documents or patients: the transaction (or savepoint)
# opened and closed, the chains' lock (PostgreSQL), the heads in one SELECT.
APPEND_QUERIES = 4
