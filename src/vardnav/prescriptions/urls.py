"""Resident pages for prescriptions (Swedish paths) and the type-ahead search."""

from django.urls import path

from vardnav.prescriptions import views

app_name = "prescriptions"
urlpatterns = [
    path("recept/", views.medication_list, name="list"),
    path("recept/fornya/", views.renew, name="renew_new"),
    path("recept/<int:prescription_id>/fornya/", views.renew, name="renew"),
    path("recept/sok/", views.product_search, name="search"),
]
