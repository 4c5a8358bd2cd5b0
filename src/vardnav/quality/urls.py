"""Quality pages: peer review, surveys and the statistics (staff), the survey (residents)."""

from django.urls import URLPattern, path

from vardnav.quality import review_views

app_name = "quality"
urlpatterns: list[URLPattern] = []

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
