"""A provider's insurers and insurance e-services (REC-9) in the staff settings area,
mounted at /personal/installningar/forsakring/ (vardnav/urls.py)."""

from django.urls import path

from vardnav.records import staff_views as views

app_name = "recordsettings"
urlpatterns = [
    path("", views.insurance, name="insurance"),
    path("forsakringsbolag/ny/", views.add_insurer, name="add_insurer"),
    path("forsakringsbolag/<int:insurer_id>/", views.change_insurer, name="change_insurer"),
    path("forsakringsbolag/<int:insurer_id>/api-nyckel/", views.link_insurer_token, name="link_insurer_token"),
    path("e-tjanster/<int:service_id>/", views.mark_service, name="mark_service"),
]
