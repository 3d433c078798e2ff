"""The navigation bar: each app lists its entries in `<app>/nav.py` as `NAV_ITEMS`, and this
context processor shows each signed-in user the entries their role may use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 50


@cache
def all_nav_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cadence."):
            continue
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", ()))
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
    from django.conf import settings

    return {
        "nav_items": nav_items_for(getattr(request, "user", None)),
        "clinic_name": settings.CLINIC_NAME,
    }
