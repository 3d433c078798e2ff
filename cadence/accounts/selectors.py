"""Reads of accounts."""

from __future__ import annotations

from cadence.accounts.models import ApiToken, User
from cadence.accounts.roles import Role


def tokens_visible_to(user: User):
    """The API tokens a user manages: their own; an administrator's: everyone's."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at")
    if user.role == Role.ADMIN:
        return tokens
    return tokens.filter(user=user)
