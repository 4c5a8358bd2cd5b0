"""Record pages: "Min journal" under Mina sidor, a case's notes under /personal/."""

from django.urls import path

from vardnav.records import views

app_name = "records"
urlpatterns = [
    path("mina-sidor/journal/", views.my_journal, name="my_journal"),
    path("mina-sidor/journal/kopia.pdf", views.journal_copy, name="journal_copy"),
    path("mina-sidor/journal/nationell/", views.national_view, name="national_view"),
    path("mina-sidor/journal/sparr-och-forsegling/", views.restrictions, name="restrictions"),
    path("mina-sidor/journal/sparr/", views.block, name="block"),
    path("mina-sidor/journal/sparr/<int:restriction_id>/hav/", views.lift_block, name="lift_block"),
    path("mina-sidor/journal/forsegling/", views.seal, name="seal"),
    path("mina-sidor/journal/forsegling/<int:restriction_id>/hav/", views.lift_seal, name="lift_seal"),
    path("personal/arenden/<int:case_id>/journal/", views.case_notes, name="case_notes"),
    path("personal/arenden/<int:case_id>/journal/signera/", views.sign_note, name="sign_note"),
    path("personal/arenden/<int:case_id>/journal/kontakt/", views.classify_contact, name="classify_contact"),
    path("personal/arenden/<int:case_id>/sammanhallen-journal/", views.shared_records, name="shared_records"),
    path(
        "personal/arenden/<int:case_id>/sammanhallen-journal/samtycke/",
        views.record_consent,
        name="record_consent",
    ),
    path("personal/loggkontroll/", views.log_reviews, name="log_reviews"),
    path("personal/loggkontroll/<int:review_id>/", views.log_review, name="log_review"),
    path(
        "personal/loggkontroll/<int:review_id>/poster/<int:item_id>/",
        views.decide_log_item,
        name="decide_log_item",
    ),
]

urlpatterns += [
    path(
        "personal/arenden/<int:case_id>/journal/tidig-atkomst/",
        views.register_early_access,
        name="register_early_access",
    ),
    path("personal/tidig-atkomst/", views.early_access_applications, name="early_access_applications"),
    path(
        "personal/tidig-atkomst/<int:application_id>/beslut/",
        views.decide_early_access,
        name="decide_early_access",
    ),
    path(
        "personal/tidig-atkomst/<int:application_id>/aterkalla/",
        views.withdraw_early_access,
        name="withdraw_early_access",
    ),
    path(
        "personal/arenden/<int:case_id>/journal/forsakringsbolag/",
        views.register_insurer_request,
        name="register_insurer_request",
    ),
    path("mina-sidor/forsakring/", views.my_insurance, name="my_insurance"),
    path(
        "mina-sidor/forsakring/fullmakt/<int:poa_id>/aterkalla/",
        views.revoke_power_of_attorney,
        name="revoke_power_of_attorney",
    ),
]
