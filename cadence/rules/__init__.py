"""Cadence's clinical rules: plain Python, no Django.

Every clinical number comes from ../shared/clinic-reference.md and lives here as a named
constant or a payer-profile setting. Views, services and API handlers call these functions;
they never re-implement a rule.
"""
