"""The navigation bar: each app lists its entries in `<app>/nav.py` as `NAV_ITEMS` and hands
them over from its `AppConfig.ready()` with `register_nav_items`; this context processor
shows each signed-in user the entries their role may use.

(The apps come to the navigation, not the other way round: accounts sits below them and
imports none of them.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 50


# app label -> that app's entries, filled by each app's AppConfig.ready().
_REGISTERED: dict[str, tuple[NavItem, ...]] = {}


def register_nav_items(app_label: str, items: Iterable[NavItem]) -> None:
    """An app's entries of the navigation bar (call from its `AppConfig.ready()`)."""
    _REGISTERED[app_label] = tuple(items)
    all_nav_items.cache_clear()


@cache
def all_nav_items() -> tuple[NavItem, ...]:
    items = [item for entries in _REGISTERED.values() for item in entries]
    return tuple(sorted(items, key=lambda item: (item.order, item.label)))


def nav_items_for(user) -> list[dict[str, str]]:
    if not user or not user.is_authenticated:
        return []
    entries = []
    for item in all_nav_items():
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "url_name": item.url_name})
    return entries


def navigation(request):
    return {
        "nav_items": nav_items_for(getattr(request, "user", None)),
        "clinic_name": settings.CLINIC_NAME,
    }
