"""Attachment pages: previews and downloads for residents and staff, staff staging (ATT-6, ATT-7)."""

from django.urls import path

from vardnav.attachments import views

app_name = "attachments"
_resident = "arenden/<int:case_id>/bilagor/<int:attachment_id>/"
_staff = "personal/arenden/<int:case_id>/bilagor/<int:attachment_id>/"
urlpatterns = [
    path(_resident, views.preview, name="preview"),
    path(_resident + "visa/", views.inline, name="inline"),
    path(_resident + "ladda-ner/", views.download, name="download"),
    path("personal/arenden/<int:case_id>/bilagor/", views.staff_upload, name="staff_upload"),
    path(_staff, views.staff_preview, name="staff_preview"),
    path(_staff + "visa/", views.staff_inline, name="staff_inline"),
    path(_staff + "ladda-ner/", views.staff_download, name="staff_download"),
    path(_staff + "ta-bort/", views.staff_discard, name="staff_discard"),
]
