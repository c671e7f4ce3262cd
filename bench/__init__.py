"""`make bench`: load numbers for the public doctor list and the slot endpoint (not a test)."""
