from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import STAFF_ROLES

NAV_ITEMS = [NavItem("Requests", "intake:request-list", STAFF_ROLES, order=40)]
