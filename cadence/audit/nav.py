from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import Role

NAV_ITEMS = [
    NavItem("Audit", "audit:event-list", frozenset({Role.ADMIN}), order=92),
    NavItem("Who viewed my record", "audit:my-record", frozenset({Role.PATIENT}), order=85),
]
