"""gunicorn settings for production (`gunicorn -c config/gunicorn.py config.wsgi:application`).

The access log names the path without its query string (a FHIR search by family name and
birth date is patient data) and without the referer (a page address with its query):
%(U)s is the path only; %(r)s (the request line), %(q)s (the query) and %(f)s (referer)
are never logged. See docs/deploy.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 3))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 30
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# remote address, time, method, path (no query), protocol, status, bytes, seconds
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'
