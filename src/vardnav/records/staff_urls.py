"""The records settings of the staff settings area (issue 11, item 13), mounted at /personal/installningar/
(vardnav/urls.py): a provider's insurers and insurance e-services (REC-9) under forsakring/, and under journal/
the national sharing periods (REC-3) and staff members' personal numbers (the log review's flags)."""

from django.urls import path

from vardnav.records import settings_views
from vardnav.records import staff_views as views

app_name = "recordsettings"
urlpatterns = [
    path("forsakring/", views.insurance, name="insurance"),
    path("forsakring/forsakringsbolag/ny/", views.add_insurer, name="add_insurer"),
    path("forsakring/forsakringsbolag/<int:insurer_id>/", views.change_insurer, name="change_insurer"),
    path(
        "forsakring/forsakringsbolag/<int:insurer_id>/api-nyckel/", views.link_insurer_token, name="link_insurer_token"
    ),
    path("forsakring/e-tjanster/<int:service_id>/", views.mark_service, name="mark_service"),
    path("journal/sammanhallen-journalforing/", settings_views.sharing_periods, name="sharing_periods"),
    path(
        "journal/sammanhallen-journalforing/<int:period_id>/avsluta/",
        settings_views.end_sharing_period,
        name="end_sharing_period",
    ),
    path("journal/personnummer/", settings_views.staff_numbers, name="staff_numbers"),
    path("journal/personnummer/<int:staff_id>/", settings_views.staff_number, name="staff_number"),
]
