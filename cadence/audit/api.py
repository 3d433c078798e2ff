"""JSON API operations of the audit app (mounted under /api/v1 by config/api.py)."""

from ninja import Router

router = Router(tags=["Audit"])
