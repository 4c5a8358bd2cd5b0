"""Quality pages: peer review, surveys and the statistics (staff), the survey (residents)."""

from django.urls import URLPattern, path

from vardnav.quality import review_views, stats_views, survey_views

app_name = "quality"
urlpatterns: list[URLPattern] = [
    # --- statistics: continuity (QA-3) and prescribing (QA-4) ---
    path("personal/kvalitet/", stats_views.home, name="stats_home"),
    path("personal/kvalitet/kontinuitet/", stats_views.continuity, name="stats_continuity"),
    path("personal/kvalitet/kontinuitet/csv/", stats_views.continuity_csv, name="stats_continuity_csv"),
    path("personal/kvalitet/forskrivning/", stats_views.prescribing, name="stats_prescribing"),
    path("personal/kvalitet/forskrivning/csv/", stats_views.prescribing_csv, name="stats_prescribing_csv"),
]

# --- peer review (QA-1) ---
urlpatterns += [
    path("personal/kvalitet/granskning/", review_views.queue, name="review_queue"),
    path("personal/kvalitet/granskning/<int:pick_id>/", review_views.review, name="review_detail"),
    path("personal/kvalitet/granskning/uppfoljning/", review_views.follow_up, name="review_follow_up"),
    path("personal/kvalitet/granskning/granskare/", review_views.appoint, name="review_appoint"),
    path(
        "personal/kvalitet/granskning/granskare/<int:appointment_id>/avsluta/",
        review_views.end_appointment,
        name="review_end_appointment",
    ),
]

# --- surveys (QA-2): the resident's survey under Mina sidor, the results for staff ---
urlpatterns += [
    path("mina-sidor/enkater/", survey_views.survey_list, name="surveys"),
    path("mina-sidor/enkater/<int:survey_id>/", survey_views.survey, name="survey"),
    path("mina-sidor/enkater/<int:survey_id>/hoppa-over/", survey_views.skip, name="survey_skip"),
    path("mina-sidor/enkater/<int:survey_id>/tack/", survey_views.thanks, name="survey_thanks"),
    path("personal/kvalitet/enkater/", survey_views.results, name="survey_results"),
]
