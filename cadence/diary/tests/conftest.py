"""Helpers shared by the diary page tests."""

from django.utils import timezone


def today():
    return timezone.localdate()


def day_form(on, **fields):
    data = {"date": on.isoformat(), "headache_hours": "0", "peak_severity": "none"}
    data.update(fields)
    return data
