"""Quality pages: peer review, surveys and the statistics (staff), the survey (residents)."""

from django.urls import URLPattern, path

from vardnav.quality import stats_views

app_name = "quality"
urlpatterns: list[URLPattern] = [
    # --- statistics: continuity (QA-3) and prescribing (QA-4) ---
    path("personal/kvalitet/", stats_views.home, name="stats_home"),
    path("personal/kvalitet/kontinuitet/", stats_views.continuity, name="stats_continuity"),
    path("personal/kvalitet/kontinuitet/csv/", stats_views.continuity_csv, name="stats_continuity_csv"),
    path("personal/kvalitet/forskrivning/", stats_views.prescribing, name="stats_prescribing"),
    path("personal/kvalitet/forskrivning/csv/", stats_views.prescribing_csv, name="stats_prescribing_csv"),
]
