"""`{% load diary_alerts %}{% urgent_alerts %}`: the urgent side-effect alerts partial,
for the clinic dashboard (shows nothing when there are none)."""

from django import template

from cadence.diary.selectors import unacknowledged_urgent_reports

register = template.Library()


@register.inclusion_tag("diary/_urgent_alerts.html", takes_context=True)
def urgent_alerts(context):
    request = context.get("request")
    return {
        "urgent_reports": list(unacknowledged_urgent_reports()),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "alerts_next": getattr(request, "path", ""),
    }
