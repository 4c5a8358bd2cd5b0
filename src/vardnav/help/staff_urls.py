"""A provider's help entries in the staff settings area, mounted at /personal/installningar/hjalp/ (vardnav/urls.py)."""

from django.urls import path

from vardnav.help import staff_views as views

app_name = "helpsettings"
urlpatterns = [
    path("", views.entries, name="entries"),
    path("ny/", views.entry, name="new"),
    path("<int:article_id>/", views.entry, name="edit"),
    path("<int:article_id>/engelska/", views.entry_english, name="english"),
]
