"""The limit app: a minimal Django + DRF project the bench compares QuickCare to (issue 16)."""
