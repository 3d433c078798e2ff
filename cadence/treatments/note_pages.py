"""The page flows of a clinical note's lifecycle, shared by the procedure note (this app)
and the nerve-block note (surgery): voiding a draft from the note's page and amending a
signed note on its amendment page. The services (``cadence.treatments.notes``) do the
work; these only turn their refusals into form errors and say what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cadence.accounts.validation import add_validation_errors


def void_draft_posted(request, form, *, void: Callable, note_url: str):
    """The void form was posted: void the draft (``void(reason=...)``) and go back to the
    note, or return None with the refusal on the form (the caller shows the note again,
    422)."""
    if form.is_valid():
        try:
            void(reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Draft voided. It stays on record and counts nowhere.")
            return redirect(note_url)
    return None


def amend_signed_page(
    request,
    note,
    *,
    form_class,
    fields: tuple[str, ...],
    amend: Callable,
    note_url: str,
    template: str,
    context: dict,
):
    """The amendment page of a signed note: the form starts from the note's ``fields``;
    a valid post calls ``amend(reason=..., <each field>=...)`` and goes back to the note.
    A note not yet signed goes back to the note with the reason; a refused post shows
    the form again (422)."""
    if not note.is_signed:
        messages.error(request, "Only a signed note is amended; sign it first.")
        return redirect(note_url)
    initial = {f: getattr(note, f) for f in fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            amend(reason=data["reason"], **{f: data[f] for f in fields})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Amendment recorded.")
            return redirect(note_url)
    return render(
        request,
        template,
        {**context, "form": form},
        status=422 if request.method == "POST" else 200,
    )
