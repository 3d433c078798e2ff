from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "cadence.diary"
    label = "diary"
