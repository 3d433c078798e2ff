"""Cadence's clinical rules: plain Python, no Django.

Every clinical number comes from ../shared/clinic-reference.md and lives here as a named
constant (defined once, in the module that owns it) or a payer-profile setting. Views,
services and API handlers call these functions; they never re-implement a rule.

One module per clinical question:
``diary`` (classify a diary day; the stored diary columns), ``overuse`` (medication
overuse), ``outcomes`` (28-day periods and the response), ``effect`` (effect curve and
wearing-off), ``candidacy`` and ``self_check`` (who is a candidate), ``payer`` (payer
settings and their defaults, among them the re-treatment interval), ``schedule`` (the
12-week rhythm and the treatment stage), ``sites`` and ``plans`` (injection plans),
``vials`` (vials, waste and billing), ``aftercare`` (aftercare and the expected course),
``side_effects``, ``questionnaires`` (MIDAS, HIT-6).
"""
