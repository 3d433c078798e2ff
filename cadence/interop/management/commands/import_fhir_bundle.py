"""manage.py import_fhir_bundle PATH: import a referred patient from a FHIR Bundle file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadence.interop.fhir.importer import parse_bundle
from cadence.interop.services import bundle_import
from cadence.interop.uploads import max_bundle_bytes


class Command(BaseCommand):
    help = (
        "Import a referred patient (demographics, chronic-migraine conditions, preventive "
        "history, prior sessions) from a FHIR R4 Bundle JSON file. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path to the Bundle (JSON).")

    def handle(self, *args, path: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        if file.stat().st_size > max_bundle_bytes():
            raise CommandError(
                f"The Bundle is larger than the limit of {max_bundle_bytes()} bytes."
            )
        try:
            data = json.loads(file.read_bytes())
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"Not valid JSON: {exc}") from None
        plan, problems = parse_bundle(data, today=timezone.localdate())
        if problems:
            lines = "\n".join(
                f"  {where}: {message}" if where else f"  {message}" for where, message in problems
            )
            raise CommandError(f"The Bundle was refused; nothing was imported:\n{lines}")
        result = bundle_import(plan=plan, actor=None)
        for kind, count in sorted(plan.skipped.items()):
            self.stdout.write(f"not imported: {count} {kind}")
        if result.possible_duplicates:
            self.stdout.write(
                f"warning: possible duplicate of patient(s) {result.possible_duplicates}"
            )
        self.stdout.write(f"Imported patient {result.patient.pk} ({len(result.created)} records).")
