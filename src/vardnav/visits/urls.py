"""URL patterns of digital visits (included from vardnav/urls.py): resident and staff pages."""

from django.urls import path

from vardnav.visits import staff_views, views

app_name = "visits"
urlpatterns = [
    path("digitalt-vardbesok/", views.areas, name="areas"),
    path("digitalt-vardbesok/halsoprofil/", views.health_profile, name="health_profile"),
    path("digitalt-vardbesok/<int:area_id>/", views.start, name="start"),
    path("digitalt-vardbesok/besok/<int:case_id>/aterbesok/", views.revisit, name="revisit"),
    path("digitalt-vardbesok/besok/<int:case_id>/skriv-igen/", views.write_again, name="write_again"),
    path("digitalt-vardbesok/besok/<int:case_id>/videomote/", views.meeting, name="meeting"),
    path("digitalt-vardbesok/besok/<int:case_id>/videomote/svara/", views.answer_meeting, name="answer_meeting"),
    path("personal/digitala-besok/", staff_views.queue, name="queue"),
    path("personal/digitala-besok/tjanstgoring/", staff_views.duty, name="duty"),
    path("personal/digitala-besok/<int:case_id>/", staff_views.visit, name="staff_visit"),
    path("personal/digitala-besok/<int:case_id>/remittera/", staff_views.refer, name="refer"),
    path("personal/digitala-besok/<int:case_id>/erbjud-aterbesok/", staff_views.offer_revisit, name="offer_revisit"),
    path("personal/digitala-besok/<int:case_id>/videomote/", staff_views.meeting, name="staff_meeting"),
    path(
        "personal/digitala-besok/<int:case_id>/videomote/foresla/", staff_views.propose_meeting, name="propose_meeting"
    ),
    path(
        "personal/digitala-besok/<int:case_id>/videomote/stall-in/", staff_views.cancel_meeting, name="cancel_meeting"
    ),
]
