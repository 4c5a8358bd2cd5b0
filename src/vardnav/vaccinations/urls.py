"""Vaccination pages: the card under Mina sidor, the nurse's pages under /personal/."""

from django.urls import path

from vardnav.vaccinations import staff_views, views

app_name = "vaccinations"
urlpatterns = [
    path("mina-sidor/vaccinationer/", views.card, name="card"),
    path("mina-sidor/vaccinationer/barn/<int:child_id>/", views.child_card, name="child_card"),
    path("mina-sidor/vaccinationer/lagg-till/", views.add_self_reported, name="add"),
    path("mina-sidor/vaccinationer/reserad/", views.travel, name="travel"),
    path("personal/vaccinationer/", staff_views.find, name="staff_find"),
    path("personal/vaccinationer/invanare/<int:person_id>/", staff_views.card, name="staff_card"),
    path("personal/vaccinationer/invanare/<int:person_id>/registrera/", staff_views.register, name="staff_register"),
    path("personal/vaccinationer/invanare/<int:person_id>/reserad/", staff_views.record_travel, name="staff_travel"),
]
