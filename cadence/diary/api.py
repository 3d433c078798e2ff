"""JSON API operations of the diary app (mounted under /api/v1 by config/api.py)."""

from ninja import Router

router = Router(tags=["Diary"])
