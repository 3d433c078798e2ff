from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import CARE_TEAM_ROLES

NAV_ITEMS = [NavItem("Requests", "intake:request-list", CARE_TEAM_ROLES, order=40)]
