"""The records settings of the staff settings area, mounted at /personal/installningar/journal/ (issue 11, item 13)."""

from django.urls import path

from vardnav.records import staff_views as views

app_name = "recordsettings"
urlpatterns = [
    path("sammanhallen-journalforing/", views.sharing_periods, name="sharing_periods"),
    path("sammanhallen-journalforing/<int:period_id>/avsluta/", views.end_sharing_period, name="end_sharing_period"),
    path("personnummer/", views.staff_numbers, name="staff_numbers"),
    path("personnummer/<int:staff_id>/", views.staff_number, name="staff_number"),
]
