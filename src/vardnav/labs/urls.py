"""URL patterns of referrals and results (included from vardnav/urls.py): resident and staff pages."""

from django.urls import path

from vardnav.labs import staff_views, views

app_name = "labs"
urlpatterns = [
    path("mina-sidor/remisser/", views.mine, name="mine"),
    path("mina-sidor/remisser/blodtryck/", views.pressure, name="pressure"),
    path("mina-sidor/remisser/hemmatning/<int:period_id>/", views.period, name="period"),
    path("mina-sidor/remisser/<int:referral_id>/provtagningsstalle/", views.choose_lab, name="choose_lab"),
    path("mina-sidor/remisser/<int:referral_id>/pdf/", views.referral_pdf, name="referral_pdf"),
    path("mina-sidor/remisser/annan-vard/<int:referral_id>/pdf/", views.care_referral_pdf, name="care_referral_pdf"),
    path("personal/digitala-besok/<int:case_id>/remisser/", staff_views.case_page, name="staff_case"),
    path(
        "personal/digitala-besok/<int:case_id>/remisser/prov/",
        staff_views.write_lab_referral,
        name="write_lab_referral",
    ),
    path(
        "personal/digitala-besok/<int:case_id>/remisser/svar/<int:result_id>/",
        staff_views.review_result,
        name="review_result",
    ),
    path(
        "personal/digitala-besok/<int:case_id>/remisser/annan-vard/",
        staff_views.write_care_referral,
        name="write_care_referral",
    ),
    path("personal/digitala-besok/<int:case_id>/remisser/hanvisning/", staff_views.where_to_turn, name="where_to_turn"),
    path("personal/digitala-besok/<int:case_id>/remisser/blodtryck/", staff_views.send_voucher, name="send_voucher"),
    path(
        "personal/digitala-besok/<int:case_id>/remisser/hemmatning/",
        staff_views.order_period,
        name="order_period",
    ),
    path(
        "personal/digitala-besok/<int:case_id>/remisser/hemmatning/<int:period_id>/sammanfattning/",
        staff_views.conclude_period,
        name="conclude_period",
    ),
]
