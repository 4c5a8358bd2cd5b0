"""Record pages: "Min journal" under Mina sidor, a case's notes under /personal/."""

from django.urls import path

from vardnav.records import views

app_name = "records"
urlpatterns = [
    path("mina-sidor/journal/", views.my_journal, name="my_journal"),
    path("mina-sidor/journal/kopia.pdf", views.journal_copy, name="journal_copy"),
    path("personal/arenden/<int:case_id>/journal/", views.case_notes, name="case_notes"),
    path("personal/arenden/<int:case_id>/journal/signera/", views.sign_note, name="sign_note"),
    path("personal/arenden/<int:case_id>/journal/kontakt/", views.classify_contact, name="classify_contact"),
]
