from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import ALL_ROLES, Role

NAV_ITEMS = [
    NavItem("Home", "accounts:home", ALL_ROLES, order=0),
    NavItem("Users", "accounts:user-list", frozenset({Role.ADMIN}), order=90),
]
