"""The demo clinic and the scale clinic: all synthetic seeding (`manage.py seed_demo`).

On the top floor of the apps: it may import every app, and no app imports it.
"""
