"""URL patterns of certificates (included from vardnav/urls.py): the resident's and the doctor's pages."""

from django.urls import path

from vardnav.certificates import staff_views, views

app_name = "certificates"
urlpatterns = [
    path("mina-sidor/intyg/", views.mine, name="mine"),
    path("mina-sidor/intyg/<int:certificate_id>/pdf/", views.download, name="download"),
    path("personal/arenden/<int:case_id>/intyg/", staff_views.issue, name="issue"),
    path("personal/arenden/<int:case_id>/intyg/sjukintyg/", staff_views.issue_sick_note, name="issue_sick_note"),
    path(
        "personal/arenden/<int:case_id>/intyg/vardintyg/",
        staff_views.issue_care_certificate,
        name="issue_care_certificate",
    ),
]
