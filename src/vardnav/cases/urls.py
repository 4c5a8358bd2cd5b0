"""Case pages for residents (Swedish paths) and staff (under /personal/)."""

from django.urls import path

from vardnav.cases import attachment_views, staff_views, views

app_name = "cases"
_resident_file = "arenden/<int:case_id>/bilagor/<int:attachment_id>/"
_staff_file = "personal/arenden/<int:case_id>/bilagor/<int:attachment_id>/"
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
    # Files of a case (ATT-6, ATT-7): the attachments store serves them once the case lets the actor in.
    path(_resident_file, attachment_views.preview, name="attachment_preview"),
    path(_resident_file + "visa/", attachment_views.inline, name="attachment_inline"),
    path(_resident_file + "ladda-ner/", attachment_views.download, name="attachment_download"),
    path("personal/arenden/<int:case_id>/bilagor/", attachment_views.staff_upload, name="staff_attachment_upload"),
    path(_staff_file, attachment_views.staff_preview, name="staff_attachment_preview"),
    path(_staff_file + "visa/", attachment_views.staff_inline, name="staff_attachment_inline"),
    path(_staff_file + "ladda-ner/", attachment_views.staff_download, name="staff_attachment_download"),
    path(_staff_file + "ta-bort/", attachment_views.staff_discard, name="staff_attachment_discard"),
]
