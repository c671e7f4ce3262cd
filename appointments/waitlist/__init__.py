"""The waitlist: patients waiting for a doctor's day, and offers that hold a freed slot for them.

Its own package so the reschedule/queue work beside it merges cleanly; its models are
registered through `appointments.models`, its routes through `appointments.urls`.
"""
