"""Record pages: a case's notes for staff (under /personal/) and "Min journal" for residents.

Thin views: access_* → do_* → render. Reading the notes is audited once per
viewing (access.read_case_notes, REC-1); signing is a POST that comes back to
the notes page, so a reload never signs twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vardnav.audit.events import AuditEvent
from vardnav.cases.models import Case, CaseStatus
from vardnav.cases.staff_views import render_workspace
from vardnav.cases.views import answer_rows
from vardnav.core import clock
from vardnav.core.actor import Actor
from vardnav.core.errors import DomainError
from vardnav.core.forms import apply_domain_error
from vardnav.core.http import ActorRequest
from vardnav.core.idempotency import check_idempotency_key, run_idempotent
from vardnav.identity.decorators import resident_required
from vardnav.identity.staff.views import StaffRequest, staff_required
from vardnav.records import access, actions, age_rules
from vardnav.records.diagnoses import diagnosis_label
from vardnav.records.errors import RecordError
from vardnav.records.forms import (
    ConsentForm,
    ContactCategoryForm,
    EarlyAccessDecisionForm,
    EarlyAccessWithdrawalForm,
    InsurerRequestForm,
    NoteForm,
    RestrictionForm,
    ReviewDecisionForm,
)
from vardnav.records.log_review import flag_label
from vardnav.records.models import ContactCategory, ExportStatus, InsurerRequestOutcome, RecordNote
from vardnav.records.national import reason_label
from vardnav.records.pdf import render_journal_copy
from vardnav.records.templatetags.record_notes import WORKSPACE_AUTO_ID


def _notes_page(
    request: HttpRequest,
    actor: Actor,
    case: Case,
    form: NoteForm,
    status: int = 200,
    category_form: ContactCategoryForm | None = None,
    insurer_form: InsurerRequestForm | None = None,
) -> HttpResponse:
    notes = access.read_case_notes(actor, case)
    insurers = access.active_insurers(case.provider_id)
    for note in notes:
        note.diagnosis_labels = [diagnosis_label(code) for code in note.diagnosis_codes or []]  # type: ignore[attr-defined]
        note.national = national_status(note)  # type: ignore[attr-defined]
    category = actions.contact_category(case)
    amends = str(form["amends"].value() or "")
    amending = next((note for note in notes if amends.isdigit() and note.pk == int(amends)), None)
    return render(
        request,
        "records/staff/case_notes.html",
        {
            "case": case,
            "notes": notes,
            "form": form,
            "amending": amending,
            # VISIT-10: the case's handler may end the contact with the summary.
            "may_close": case.assigned_to_id == actor.staff_id and case.status != CaseStatus.CLOSED,
            "category_label": ContactCategory(category).label,
            "category_form": category_form or ContactCategoryForm(initial={"category": category}),
            # REC-8: a child of 13–15 may apply for early access; the unit registers it.
            "may_apply_early_access": age_rules.may_apply_for_early_access(case.subject.age_on(clock.today())),
            "early_access": access.case_early_access(case),
            # REC-9: an insurer's request, released only under the resident's power of attorney.
            "insurer_form": insurer_form or InsurerRequestForm(insurers=insurers),
            "insurers": insurers,
            "insurer_requests": access.case_insurer_requests(case),
        },
        status=status,
    )


@staff_required
@require_GET
def case_notes(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    amends = request.GET.get("tillagg", "")
    initial = {"amends": int(amends)} if amends.isdigit() else {}
    if initial:  # an amendment of a note of another case is the same 404 as a missing one
        access.access_note_for_staff(actor, case, initial["amends"])
    return _notes_page(request, actor, case, NoteForm(initial=initial))


@staff_required
@require_POST
def sign_note(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    # From the case page's "Anteckning" tab (issue 11, item 12): back to the case page, errors at their fields there.
    workspace = request.POST.get("workspace") == "1"
    form = NoteForm(request.POST, auto_id=WORKSPACE_AUTO_ID) if workspace else NoteForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        actions.do_sign_note(
            actor,
            case,
            body=request.POST.get("body", ""),
            kind=data.get("kind") or "",
            diagnosis_codes=data.get("diagnosis_codes", ""),
            shared_with_resident=bool(data.get("shared_with_resident")),
            amends_id=data.get("amends"),
            close_case=bool(data.get("close_case")),
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        if workspace:
            return render_workspace(request, case.pk, status=422, record_note_form=form)
        return _notes_page(request, actor, case, form, status=422)
    messages.success(request, _("Anteckningen är signerad."))
    if workspace:
        return redirect(reverse("cases:staff_detail", args=[case.pk]) + "#anteckning")
    return redirect("records:case_notes", case_id=case.pk)


def national_status(note: RecordNote) -> str:
    """What became of a summary in the national summary, in the staff's words ("" for other notes)."""
    export = getattr(note, "national_export", None)
    if note.kind != "summary":
        return ""
    if export is None or export.recheck:
        return _("Sammanhållen journalföring: väntar på nästa överföring")
    if export.status == ExportStatus.PUBLISHED:
        return _("Delas i sammanhållen journalföring")
    return _("Delas inte i sammanhållen journalföring: %(reason)s") % {"reason": reason_label(export.reason)}


@staff_required
@require_POST
def classify_contact(request: StaffRequest, case_id: int) -> HttpResponse:
    """Say what kind of contact the case is (REC-3: what the national summary may hold)."""
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    form = ContactCategoryForm(request.POST)
    form.is_valid()
    try:
        actions.do_classify_contact(actor, case, category=form.cleaned_data.get("category") or "")
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _notes_page(request, actor, case, NoteForm(), status=422, category_form=form)
    messages.success(request, _("Kontaktens art är sparad."))
    return redirect("records:case_notes", case_id=case.pk)


@resident_required
@require_GET
def my_journal(request: ActorRequest) -> HttpResponse:
    unit = request.GET.get("mottagning", "")
    try:
        page = access.journal(
            request.actor, after=request.GET.get("after") or None, unit_id=int(unit) if unit.isdigit() else None
        )
    except DomainError as error:
        if error.status == 404:
            raise
        # An age-rule refusal (REC-7, REC-8) or a forged cursor: the reason and what to do, not a generic page.
        return render(request, "records/journal_refused.html", {"message": error.message}, status=error.status)
    for item in page.items:
        if item.message is not None:
            item.author = access.message_author(item.message, request.actor)  # type: ignore[attr-defined]
        if item.kind == "answers" and item.message is not None:
            item.answers = answer_rows(item.message.case)  # type: ignore[attr-defined]
        if item.note is not None:
            item.diagnoses = [diagnosis_label(code) for code in item.note.diagnosis_codes or []]  # type: ignore[attr-defined]
    return render(
        request,
        "records/my_journal.html",
        {
            "page": page,
            "for_child": request.actor.acting_for_id is not None,
            "unit_filter": int(unit) if unit.isdigit() else None,
            "is_later_page": bool(request.GET.get("after")),
        },
    )


@resident_required
@require_GET
@never_cache
def journal_copy(request: ActorRequest) -> HttpResponse:
    """The whole journal as a PDF download (REC-2); the file name says nothing about whom or what it concerns."""
    try:
        copy = access.journal_copy(request.actor)
    except DomainError as error:
        if error.status == 404:
            raise
        return render(request, "records/journal_refused.html", {"message": error.message}, status=error.status)
    for item in copy.items:
        if item.message is not None:
            item.author = access.message_author(item.message, request.actor)  # type: ignore[attr-defined]
        if item.kind == "answers" and item.message is not None:
            item.answers = answer_rows(item.message.case)  # type: ignore[attr-defined]
    body = render_journal_copy(copy, generated_at=clock.now(), for_child=request.actor.acting_for_id is not None)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="journalkopia.pdf"'
    return response


# --- block and seal, the national view (REC-5, REC-6, REC-7) ----------------------------------


def _restrictions_page(
    request: ActorRequest,
    *,
    block_form: RestrictionForm | None = None,
    seal_form: RestrictionForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    page = access.access_restrictions(request.actor)
    return render(
        request,
        "records/restrictions.html",
        {
            "page": page,
            "for_child": request.actor.acting_for_id is not None,
            "block_form": block_form
            or RestrictionForm(prefix="sparr", units=page.units, initial={"submission_key": uuid.uuid4().hex}),
            "seal_form": seal_form
            or RestrictionForm(prefix="forsegling", units=page.units, initial={"submission_key": uuid.uuid4().hex}),
            "refusal": refusal,
        },
        status=status,
    )


@resident_required
@require_GET
def restrictions(request: ActorRequest) -> HttpResponse:
    """Spärr and försegling explained, the active ones with a button to lift each, and a form for each."""
    return _restrictions_page(request)


def _restrict(request: ActorRequest, kind: str) -> HttpResponse:
    actor = request.actor
    prefix = "sparr" if kind == "block" else "forsegling"
    units = access.access_restrictions(actor).units
    form = RestrictionForm(request.POST, prefix=prefix, units=units)
    form.is_valid()
    data = form.cleaned_data
    asked = {key: data.get(key) or "" for key in ("scope", "unit", "starts_on", "ends_on")}
    do = actions.do_block if kind == "block" else actions.do_seal

    def perform() -> tuple[int, dict[str, Any]]:
        made = do(
            actor, scope=asked["scope"], unit_id=asked["unit"], starts_on=asked["starts_on"], ends_on=asked["ends_on"]
        )
        return 201, {"id": made.pk}

    try:
        actions.restricting_person(actor)  # a guardian's refusal is logged outside the write's transaction
        key = check_idempotency_key(data.get("submission_key") or None)
        run_idempotent(actor, key, f"records.{kind}", asked, perform)
    except DomainError as error:
        if error.status == 404:
            raise
        if error.status == 403:  # a guardian for a child (REC-5): the reason, no form
            return _restrictions_page(request, refusal=str(error.message), status=403)
        apply_domain_error(form, error)
        forms_ = {"block_form" if kind == "block" else "seal_form": form}
        return _restrictions_page(request, status=422, **forms_)  # type: ignore[arg-type]
    messages.success(request, _("Spärren är gjord.") if kind == "block" else _("Förseglingen är gjord."))
    return redirect("records:restrictions")


@resident_required
@require_POST
def block(request: ActorRequest) -> HttpResponse:
    return _restrict(request, "block")


@resident_required
@require_POST
def seal(request: ActorRequest) -> HttpResponse:
    return _restrict(request, "seal")


def _lift(request: ActorRequest, kind: str, restriction_id: int) -> HttpResponse:
    lift = actions.do_lift_block if kind == "block" else actions.do_lift_seal
    try:
        lift(request.actor, restriction_id)
    except DomainError as error:
        if error.status == 404:
            raise
        return _restrictions_page(request, refusal=str(error.message), status=error.status)
    messages.success(request, _("Spärren är hävd.") if kind == "block" else _("Förseglingen är hävd."))
    return redirect("records:restrictions")


@resident_required
@require_POST
def lift_block(request: ActorRequest, restriction_id: int) -> HttpResponse:
    return _lift(request, "block", restriction_id)


@resident_required
@require_POST
def lift_seal(request: ActorRequest, restriction_id: int) -> HttpResponse:
    return _lift(request, "seal", restriction_id)


@resident_required
@require_GET
def national_view(request: ActorRequest) -> HttpResponse:
    """The national summary as 1177 Journalen shows it: what other providers may read, sealed items left out."""
    try:
        view = access.national_view(request.actor)
    except DomainError as error:
        if error.status == 404:
            raise
        return render(request, "records/journal_refused.html", {"message": error.message}, status=error.status)
    return render(
        request,
        "records/national_view.html",
        {"view": view, "for_child": request.actor.acting_for_id is not None},
    )


# --- staff: other providers' shared data, after consent (REC-4) -------------------------------


def _shared_page(request: StaffRequest, case: Case, form: ConsentForm | None = None, status: int = 200) -> HttpResponse:
    consent = access.current_consent(case)
    shared = access.read_shared_records(request.actor, case) if consent is not None and form is None else None
    return render(
        request,
        "records/staff/shared_records.html",
        {
            "case": case,
            "shared": shared,
            "form": form or ConsentForm(),
            "emergency_hours": access.EMERGENCY_HOURS,
        },
        status=status,
    )


@staff_required
@require_GET
def shared_records(request: StaffRequest, case_id: int) -> HttpResponse:
    """Other providers' shared data for the case's resident; first the consent or the emergency exception."""
    case = access.access_case_for_records(request.actor, case_id)
    return _shared_page(request, case)


@staff_required
@require_POST
def record_consent(request: StaffRequest, case_id: int) -> HttpResponse:
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    form = ConsentForm(request.POST)
    form.is_valid()
    try:
        actions.do_record_consent(
            actor, case, basis=form.cleaned_data.get("basis") or "", reason=form.cleaned_data.get("reason") or ""
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _shared_page(request, case, form, status=422)
    return redirect("records:shared_records", case_id=case.pk)


# --- the log reviewer (HSLF-FS 2016:40 4 kap.) ------------------------------------------------


@staff_required
@require_GET
def log_reviews(request: StaffRequest) -> HttpResponse:
    """The reviewer's daily selections, newest first."""
    return render(request, "records/staff/log_reviews.html", {"reviews": access.access_log_reviews(request.actor)})


def _review_page(
    request: StaffRequest, review: Any, forms_by_item: dict[int, ReviewDecisionForm] | None = None, status: int = 200
) -> HttpResponse:
    rows = access.read_log_review(request.actor, review)
    for row in rows:
        row.flags = [flag_label(flag) for flag in row.item.reasons]  # type: ignore[attr-defined]
        row.event_label = AuditEvent(row.entry.action).label if row.entry.action in AuditEvent.values else ""  # type: ignore[attr-defined]
        row.form = (forms_by_item or {}).get(row.item.pk) or ReviewDecisionForm(prefix=f"post-{row.item.pk}")  # type: ignore[attr-defined]
    return render(request, "records/staff/log_review.html", {"review": review, "rows": rows}, status=status)


@staff_required
@require_GET
def log_review(request: StaffRequest, review_id: int) -> HttpResponse:
    """One day's selected reads: who read whose data, where, when and why it was selected; an outcome for each."""
    return _review_page(request, access.access_log_review(request.actor, review_id))


@staff_required
@require_POST
def decide_log_item(request: StaffRequest, review_id: int, item_id: int) -> HttpResponse:
    actor = request.actor
    review = access.access_log_review(actor, review_id)
    item = access.access_log_item(actor, review, item_id)
    form = ReviewDecisionForm(request.POST, prefix=f"post-{item.pk}")
    form.is_valid()
    try:
        actions.do_decide_log_item(
            actor, item, outcome=form.cleaned_data.get("outcome") or "", comment=form.cleaned_data.get("comment") or ""
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _review_page(request, review, {item.pk: form}, status=409 if error.status == 409 else 422)
    messages.success(request, _("Utfallet är dokumenterat."))
    return redirect(f"{reverse('records:log_review', args=[review.pk])}#post-{item.pk}")


# --- early access for children of 13–15 (REC-8) -----------------------------------------------


@staff_required
@require_POST
def register_early_access(request: StaffRequest, case_id: int) -> HttpResponse:
    """Staff register the child's application on the case; the head of unit decides."""
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    try:
        actions.do_register_early_access(actor, case)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.message))
        return redirect(reverse("records:case_notes", args=[case.pk]) + "#tidig-atkomst")
    messages.success(request, _("Ansökan om tidig åtkomst är registrerad. Verksamhetschefen beslutar."))
    return redirect(reverse("records:case_notes", args=[case.pk]) + "#tidig-atkomst")


def _early_access_page(
    request: StaffRequest,
    forms_by_id: dict[int, EarlyAccessDecisionForm] | None = None,
    status: int = 200,
    withdrawal_forms: dict[int, EarlyAccessWithdrawalForm] | None = None,
) -> HttpResponse:
    rows = access.access_early_access_applications(request.actor)
    for row in rows:
        row.form = (forms_by_id or {}).get(row.application.pk) or EarlyAccessDecisionForm(  # type: ignore[attr-defined]
            prefix=f"ansokan-{row.application.pk}"
        )
        row.withdrawal_form = (withdrawal_forms or {}).get(  # type: ignore[attr-defined]
            row.application.pk
        ) or EarlyAccessWithdrawalForm(prefix=f"aterkalla-{row.application.pk}")
    return render(request, "records/staff/early_access.html", {"rows": rows}, status=status)


@staff_required
@require_GET
def early_access_applications(request: StaffRequest) -> HttpResponse:
    """The head of unit's applications for early access, waiting ones first."""
    return _early_access_page(request)


@staff_required
@require_POST
def decide_early_access(request: StaffRequest, application_id: int) -> HttpResponse:
    actor = request.actor
    application = access.access_early_access_application(actor, application_id)
    form = EarlyAccessDecisionForm(request.POST, prefix=f"ansokan-{application.pk}")
    form.is_valid()
    try:
        actions.do_decide_early_access(
            actor,
            application,
            decision=form.cleaned_data.get("decision") or "",
            reason=form.cleaned_data.get("reason") or "",
        )
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _early_access_page(request, {application.pk: form}, status=409 if error.status == 409 else 422)
    messages.success(request, _("Beslutet är sparat."))
    return redirect("records:early_access_applications")


@staff_required
@require_POST
def withdraw_early_access(request: StaffRequest, application_id: int) -> HttpResponse:
    """The head of unit withdraws a granted early access with a reason; the child's session ends."""
    actor = request.actor
    application = access.access_early_access_application(actor, application_id)
    form = EarlyAccessWithdrawalForm(request.POST, prefix=f"aterkalla-{application.pk}")
    form.is_valid()
    try:
        actions.do_withdraw_early_access(actor, application, reason=form.cleaned_data.get("reason") or "")
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _early_access_page(
            request, status=409 if error.status == 409 else 422, withdrawal_forms={application.pk: form}
        )
    messages.success(request, _("Den tidiga åtkomsten är återkallad."))
    return redirect("records:early_access_applications")


# --- private health insurance (REC-9) ---------------------------------------------------------


@staff_required
@require_POST
def register_insurer_request(request: StaffRequest, case_id: int) -> HttpResponse:
    """The unit registers an insurer's request; data go only under the resident's power of attorney."""
    actor = request.actor
    case = access.access_case_for_records(actor, case_id)
    form = InsurerRequestForm(request.POST, insurers=access.active_insurers(case.provider_id))
    form.is_valid()
    try:
        result = actions.do_register_insurer_request(actor, case, insurer_id=request.POST.get("insurer", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        apply_domain_error(form, error)
        return _notes_page(request, actor, case, NoteForm(), status=422, insurer_form=form)
    if result.outcome == InsurerRequestOutcome.RELEASED:
        messages.success(
            request,
            _("Begäran är registrerad. %(count)s sammanfattningar lämnas ut.") % {"count": len(result.released)},
        )
    else:
        messages.error(request, str(RecordError.POWER_OF_ATTORNEY_REQUIRED.message))
    return redirect(reverse("records:case_notes", args=[case.pk]) + "#forsakring")


@resident_required
@require_GET
def my_insurance(request: ActorRequest) -> HttpResponse:
    """The resident's powers of attorney for insurers and every request with what was released."""
    overview = access.insurance_overview(request.actor)
    return render(request, "records/my_insurance.html", {"overview": overview})


@resident_required
@require_POST
def revoke_power_of_attorney(request: ActorRequest, poa_id: int) -> HttpResponse:
    poa = access.access_power_of_attorney(request.actor, poa_id)
    try:
        actions.do_revoke_power_of_attorney(request.actor, poa)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.message))
        return redirect("records:my_insurance")
    messages.success(request, _("Fullmakten är återkallad. Försäkringsbolaget får inga fler uppgifter om ärendet."))
    return redirect("records:my_insurance")
