"""URL patterns of bookings (included from vardnav/urls.py): public, resident and staff pages."""

from django.urls import path

from vardnav.bookings import settings_views, staff_views, views

app_name = "bookings"
urlpatterns = [
    path("mottagningar/<slug:slug>/boka/", views.unit_booking, name="unit_booking"),
    path("boka/tid/<int:time_id>/", views.book, name="book"),
    path("avboka-tid/", views.cancel_by_code, name="cancel_by_code"),
    path("mina-sidor/bokningar/", views.my_bookings, name="my_bookings"),
    path("mina-sidor/bokningar/<int:booking_id>/", views.detail, name="detail"),
    path("mina-sidor/bokningar/<int:booking_id>/avboka/", views.cancel, name="cancel"),
    path("mina-sidor/bokningar/<int:booking_id>/boka-om/", views.rebook, name="rebook"),
    path("personal/tidbok/", staff_views.day, name="staff_day"),
    path("personal/tidbok/vecka/", staff_views.week, name="staff_week"),
    path("personal/tidbok/extra-tid/", staff_views.extra_time, name="staff_extra_time"),
    path("personal/tidbok/tider/<int:slot_id>/kalla/", staff_views.summon, name="staff_summon"),
    path("mina-sidor/bokningar/vantelista/", views.join_waiting_list, name="join_waiting_list"),
    path("mina-sidor/bokningar/vantelista/<int:entry_id>/lamna/", views.leave_waiting_list, name="leave_waiting_list"),
    path("personal/tidbok/kallelsebrev/", staff_views.summons_letters, name="staff_summons_letters"),
    path(
        "personal/tidbok/kallelsebrev/utskrift.pdf", staff_views.summons_letters_pdf, name="staff_summons_letters_pdf"
    ),
    path("personal/tidbok/publicera/", staff_views.publish, name="staff_publish"),
    path("personal/tidbok/blockera/", staff_views.block, name="staff_block"),
    path("personal/tidbok/bokningar/<int:booking_id>/", staff_views.booking, name="staff_booking"),
    path("personal/tidbok/bokningar/<int:booking_id>/avboka/", staff_views.staff_cancel, name="staff_cancel"),
    path("personal/tidbok/bokningar/<int:booking_id>/uteblev/", staff_views.no_show, name="staff_no_show"),
    # The booking settings pages (issue 11, item 13), linked from the staff settings area's start page.
    path(
        "personal/tidbok/installningar/mottagningar/<int:unit_id>/",
        settings_views.unit_settings,
        name="settings_unit",
    ),
    path(
        "personal/tidbok/installningar/mottagningar/<int:unit_id>/besokstyper/",
        settings_views.visit_types,
        name="settings_visit_types",
    ),
    path(
        "personal/tidbok/installningar/mottagningar/<int:unit_id>/besokstyper/ny/",
        settings_views.visit_type_add,
        name="settings_visit_type_add",
    ),
    path(
        "personal/tidbok/installningar/mottagningar/<int:unit_id>/besokstyper/<int:visit_type_id>/",
        settings_views.visit_type_edit,
        name="settings_visit_type",
    ),
    path("personal/tidbok/installningar/avbokning/", settings_views.policies, name="settings_policies"),
]
