"""Quality pages: peer review, surveys and the statistics (staff), the survey (residents)."""

from django.urls import URLPattern, path

from vardnav.quality import survey_views

app_name = "quality"
urlpatterns: list[URLPattern] = []

# --- surveys (QA-2): the resident's survey under Mina sidor, the results for staff ---
urlpatterns += [
    path("mina-sidor/enkater/", survey_views.survey_list, name="surveys"),
    path("mina-sidor/enkater/<int:survey_id>/", survey_views.survey, name="survey"),
    path("mina-sidor/enkater/<int:survey_id>/hoppa-over/", survey_views.skip, name="survey_skip"),
    path("mina-sidor/enkater/<int:survey_id>/tack/", survey_views.thanks, name="survey_thanks"),
    path("personal/kvalitet/enkater/", survey_views.results, name="survey_results"),
]
