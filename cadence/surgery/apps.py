from django.apps import AppConfig

from cadence.outcomes.report_sections import (
    register_progress_section,
    register_report_section,
)


class SurgeryConfig(AppConfig):
    name = "cadence.surgery"
    label = "surgery"
    verbose_name = "Migraine surgery"

    def ready(self):
        from cadence.surgery.report import (  # needs the models loaded
            clinic_report_section,
            progress_section,
        )

        register_report_section(self.label, clinic_report_section)
        register_progress_section(self.label, progress_section)
