"""URL patterns of billing (included from vardnav/urls.py): the resident's and the staff's fee pages."""

from django.urls import path

from vardnav.billing import payment_views, staff_views, views

app_name = "billing"
urlpatterns = [
    path("mina-sidor/avgifter/", views.my_fees, name="my_fees"),
    path("mina-sidor/hogkostnadsskydd/", views.my_ceiling, name="my_ceiling"),
    path("mina-sidor/fakturor/", views.my_invoices, name="my_invoices"),
    path("mina-sidor/fakturor/<int:invoice_id>/", views.invoice, name="invoice"),
    path("mina-sidor/fakturor/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("personal/avgifter/", staff_views.fees, name="staff_fees"),
    path("personal/avgifter/frikort/", staff_views.free_cards, name="staff_free_cards"),
    path("personal/avgifter/frikort/<int:card_id>/", staff_views.free_card_decide, name="staff_free_card_decide"),
    path("personal/avgifter/ny/", staff_views.new_fee, name="staff_new_fee"),
    path("personal/avgifter/regler/", staff_views.policy, name="staff_policy"),
    path("personal/avgifter/e-tjanster/<int:service_id>/", staff_views.service_charge, name="staff_service_charge"),
    path("personal/arenden/<int:case_id>/avgift/", staff_views.case_fee, name="staff_case_fee"),
    path("personal/fakturor/<int:invoice_id>/", staff_views.staff_invoice, name="staff_invoice"),
    path("personal/fakturor/<int:invoice_id>/kreditera/", staff_views.credit_invoice, name="staff_credit_invoice"),
    path("personal/fakturor/<int:invoice_id>/pdf/", staff_views.invoice_pdf, name="staff_invoice_pdf"),
    path("personal/avgifter/inkasso.csv", staff_views.collection_export, name="staff_collection_export"),
    # Payments (FEE-6, BOOK-5) and the finance views
    path("mina-sidor/fakturor/<int:invoice_id>/swish/", views.pay_with_swish, name="pay_with_swish"),
    path("betalning/swish/callback/<str:token>/", views.swish_callback, name="swish_callback"),
    path("personal/ekonomi/", staff_views.finance, name="finance"),
    path("personal/ekonomi/fakturor.csv", staff_views.finance_export, name="finance_export"),
    path("personal/ekonomi/fakturor/<int:invoice_id>/", staff_views.finance_invoice, name="finance_invoice"),
    path(
        "personal/ekonomi/fakturor/<int:invoice_id>/swish/<int:swish_id>/aterbetala/",
        staff_views.finance_refund,
        name="finance_refund",
    ),
    path("personal/ekonomi/inbetalningar/", staff_views.incoming_payments, name="incoming_payments"),
    path("personal/ekonomi/inbetalningar.csv", staff_views.incoming_export, name="incoming_export"),
    path(
        "personal/ekonomi/inbetalningar/<int:incoming_id>/hanterad/",
        staff_views.incoming_payment_handled,
        name="incoming_payment_handled",
    ),
    path("personal/ekonomi/bgmax/", staff_views.bgmax_import, name="bgmax_import"),
    path("personal/ekonomi/hogkostnadsskydd/", staff_views.ceiling_lookup, name="ceiling_lookup"),
    path("personal/kassa/", staff_views.desk, name="desk"),
    path("personal/kassa/kvitto/<int:payment_id>/", staff_views.desk_receipt, name="desk_receipt"),
    # The payment gaps: assignment, surpluses, the letter queue, Swish from the desk
    path(
        "personal/ekonomi/inbetalningar/<int:incoming_id>/koppla/",
        payment_views.incoming_payment_assign,
        name="incoming_payment_assign",
    ),
    path("personal/ekonomi/aterbetalningar/", payment_views.surplus_refunds, name="surplus_refunds"),
    path(
        "personal/ekonomi/aterbetalningar/<int:incoming_id>/klar/",
        payment_views.surplus_refunded,
        name="surplus_refunded",
    ),
    path("personal/ekonomi/brev/", payment_views.letter_queue, name="letter_queue"),
    path("personal/ekonomi/brev/utskrift.pdf", payment_views.letter_batch_pdf, name="letter_batch_pdf"),
    path("personal/kassa/fakturor/<int:invoice_id>/swish/", payment_views.desk_swish_start, name="desk_swish_start"),
    path("personal/kassa/swish/<int:swish_id>/", payment_views.desk_swish, name="desk_swish"),
]
