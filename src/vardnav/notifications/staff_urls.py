"""The support queue in the staff settings area, mounted at /personal/installningar/support/."""

from django.urls import path

from vardnav.notifications import staff_views as views

app_name = "supportsettings"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:request_id>/", views.support_request, name="request"),
    path("<int:request_id>/hanterad/", views.mark_handled, name="handled"),
]
