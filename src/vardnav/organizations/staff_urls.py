"""The staff settings area, mounted at /personal/installningar/ from vardnav/urls.py (issue 11, item 13)."""

from django.urls import path

from vardnav.organizations import staff_views as views

app_name = "staffsettings"
urlpatterns = [
    path("", views.home, name="home"),
    path("mottagningar/<int:unit_id>/", views.unit, name="unit"),
    path("mottagningar/<int:unit_id>/roller/", views.roles, name="roles"),
    path("mottagningar/<int:unit_id>/roller/<int:grant_id>/ta-bort/", views.revoke_role, name="revoke_role"),
    path("mottagningar/<int:unit_id>/ovrig-information/", views.other_information, name="other_information"),
    path("mottagningar/<int:unit_id>/oppettider/", views.opening_hours, name="opening_hours"),
    path("mottagningar/<int:unit_id>/e-tjanster/", views.unit_services, name="unit_services"),
    path("vardgivare/", views.policies, name="policies"),
    path("vardgivare/e-tjanster/", views.services, name="services"),
    path("vardgivare/medarbetare/", views.staff_members, name="staff"),
    path("vardgivare/medarbetare/<int:staff_id>/", views.staff_member, name="staff_member"),
    path("mottagningar/<int:unit_id>/listningar/", views.listings, name="listings"),
    path("mottagningar/<int:unit_id>/listningar/<int:listing_id>/avsluta/", views.end_listing, name="end_listing"),
    path("vardgivare/ny-mottagning/", views.new_unit, name="unit_add"),
    path("mottagningar/<int:unit_id>/e-tjanster-pa/", views.unit_activation, name="unit_activation"),
    path("mottagningar/<int:unit_id>/uppgifter/", views.unit_details, name="unit_details"),
    path("vardgivare/e-tjanster/ny/", views.new_service, name="service_add"),
    path("vardgivare/e-tjanster/<int:service_id>/", views.service_details, name="service"),
    path("formular/", views.questionnaires, name="questionnaires"),
    path("formular/<int:service_id>/", views.questionnaire, name="questionnaire"),
    path("formular/<int:service_id>/rubrik/", views.questionnaire_title, name="questionnaire_title"),
    path("formular/<int:service_id>/ny-fraga/", views.questionnaire_item, name="questionnaire_add"),
    path("formular/<int:service_id>/fragor/<slug:link_id>/", views.questionnaire_item, name="questionnaire_item"),
    path(
        "formular/<int:service_id>/fragor/<slug:link_id>/flytta/", views.questionnaire_move, name="questionnaire_move"
    ),
    path(
        "formular/<int:service_id>/fragor/<slug:link_id>/ta-bort/",
        views.questionnaire_remove,
        name="questionnaire_remove",
    ),
    path("formular/<int:service_id>/forhandsvisning/", views.questionnaire_preview, name="questionnaire_preview"),
    path("formular/<int:service_id>/publicera/", views.questionnaire_publish, name="questionnaire_publish"),
]
