"""Case pages for residents (Swedish paths) and staff (under /personal/)."""

from django.urls import path

from vardnav.cases import staff_views, views

app_name = "cases"
urlpatterns = [
    path("e-tjanster/", views.services, name="services"),
    path("e-tjanster/<slug:unit_slug>/", views.unit_services, name="unit_services"),
    path("e-tjanster/<slug:unit_slug>/<int:service_id>/", views.new_case, name="new"),
    path("arenden/", views.my_cases, name="mine"),
    path("arenden/<int:case_id>/", views.case_detail, name="detail"),
    path("arenden/<int:case_id>/kvitto/", views.receipt, name="receipt"),
    path("personal/inkorg/", staff_views.inbox, name="inbox"),
    path("personal/arenden/<int:case_id>/", staff_views.case_detail, name="staff_detail"),
    path("personal/arenden/<int:case_id>/ta/", staff_views.take, name="take"),
    path("personal/arenden/<int:case_id>/fordela/", staff_views.distribute, name="distribute"),
    path("personal/arenden/<int:case_id>/motfraga/", staff_views.ask, name="ask"),
    path("personal/arenden/<int:case_id>/svara/", staff_views.reply, name="reply"),
    path("personal/arenden/<int:case_id>/anteckning/", staff_views.note, name="note"),
    path("personal/arenden/<int:case_id>/avsluta/", staff_views.close, name="close"),
]
