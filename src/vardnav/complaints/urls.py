"""Complaint pages: where residents start (Mina sidor), the board's list, the follow-up and the placement setting."""

from django.urls import path

from vardnav.complaints import staff_views, views

app_name = "complaints"
urlpatterns = [
    path("mina-sidor/synpunkter/", views.start, name="start"),
    path("personal/synpunkter/", staff_views.board, name="board"),
    path("personal/synpunkter/arenden/<int:case_id>/mottagning/", staff_views.set_unit, name="set_unit"),
    path("personal/synpunkter/uppfoljning/", staff_views.follow_up, name="follow_up"),
    path("personal/synpunkter/installningar/", staff_views.policy, name="policy"),
]
