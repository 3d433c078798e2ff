import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The app servers run no system checks of their own: refuse to serve when the audit
# trail's start-up check fails (production: CADENCE_AUDIT_KEY must verify the newest
# entries; see cadence/audit/models.py). manage.py commands run it as a system check.
_audit_errors = [error for error in checks.run_checks(tags=["audit"]) if error.is_serious()]
if _audit_errors:
    raise ImproperlyConfigured("\n".join(str(error) for error in _audit_errors))
