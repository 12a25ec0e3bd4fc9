"""The only writers of responses. Views, the autosave endpoint and the staff tools call these.

Who answers
    respondent_for(user, form) -> Province | LocalOrganisation | None
        The organisation `user` answers `form` for (through their Membership); None for staff of
        a unit and administrators (they read, they do not answer). Raises PermissionDenied with
        a Thai reason otherwise.
    can_read_response(user, response) -> bool
        The responding organisation's members, a province officer for the อปท. of their province
        (read-only, submitted responses only), staff of the circular's owner unit
        (workflows.roles UNIT_STAFF) and administrators.
    can_read_file(user, response_file) -> bool
        As can_read_response; a province officer following an อปท. only has the files listed
        in one of its submissions.

Reading
    response_for(form, organisation, create=False) -> Response | None
    status_of(form, organisation) -> "not_started" | "draft" | "submitted" | "late"
    statuses(form) -> {organisation: status} for every addressed organisation (3 queries)
    status_counts(form) -> {status: count}
    local_progress(form, province) -> {LocalOrganisation: status} for one province's อปท.
    forms_for_user(user) -> list[FormEntry] (the /forms/ listing)

Writing (each under select_for_update of the response row, in one transaction)
    save_draft(form, organisation, raw, files, user, edit_token=None) -> SaveOutcome
    submit(form, organisation, raw, files, user, edit_token=None) -> SaveOutcome
    keep_pending_input(form, data, files) -> PendingInput
    restore_pending_input(pending, form, organisation, user) -> SaveOutcome

``raw`` maps question keys to typed values (responses.validation); keys left out keep their
saved value. A file question's value (and a file cell's) lists the ids (ResponseFile.uuid) of the
files to keep; ``files`` maps upload slots (responses.schema.slot: "key" or "key.row.column") to
lists of uploaded files, each checked by content (responses.uploads) and kept when accepted.

``save_draft`` keeps everything: values that fail a format check are stored as typed
(``Response.invalid_input``) and reported. ``submit`` checks fully; on errors it keeps the input
as ``save_draft`` would and submits nothing. It refuses when the form is closed, flags late
answers, increments ``version``, records a ResponseVersion and sets the receipt ``reference``.
A refused save (closed form) creates no Response row. ``Response.is_late`` is decided by the
first submission (a late correction of an on-time answer stays "submitted"); each
ResponseVersion keeps its own ``is_late``.
A repeated submit of what was already sent (double click, second tab) creates nothing
(``outcome.unchanged``). ``edit_token`` is the Response.edit_token the browser saw; when it is
stale, the newer input it would overwrite is first kept as a ResponseVersion of kind
"overwritten" (``outcome.stale``, ``outcome.kept_version``).
"""

from __future__ import annotations

import copy
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from responses import schema as S
from responses.models import (
    PendingInput,
    Response,
    ResponseFile,
    ResponseFormPage,
    ResponseVersion,
    organisation_code,
)
from responses.storage import private_storage, random_name
from responses.validation import AnswerError, clean_answers
from workflows import roles as R

NOT_STARTED, DRAFT, SUBMITTED, LATE = "not_started", "draft", "submitted", "late"
STATUSES = (NOT_STARTED, DRAFT, SUBMITTED, LATE)
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    DRAFT: gettext_lazy("Draft"),
    SUBMITTED: gettext_lazy("Submitted"),
    LATE: gettext_lazy("Submitted late"),
}


@dataclass
class SaveOutcome:
    response: Response | None
    errors: list[AnswerError] = field(default_factory=list)
    submitted: bool = False
    unchanged: bool = False
    stale: bool = False
    kept_version: ResponseVersion | None = None
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refused


@dataclass
class FormEntry:
    form: ResponseFormPage
    organisation: object = None
    status: str = ""
    progress: bool = False  # a province following its อปท.


# -- who ----------------------------------------------------------------------------------------


def membership_of(user):
    """The user's Membership (with province and local organisation), cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_wian_response_membership"):
        from cms.organisations.models import Membership

        user._wian_response_membership = (
            Membership.objects.filter(user=user)
            .select_related("province", "local_organisation__province")
            .first()
        )
    return user._wian_response_membership


def is_staff_reader(user) -> bool:
    """Administrators and members of a DLA unit: they read and manage, they do not answer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if R.ADMINISTRATOR in R.user_groups(user):
        return True
    membership = membership_of(user)
    return bool(membership and membership.unit_id)


def respondent_for(user, form: ResponseFormPage):
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to answer this form."))
    if is_staff_reader(user):
        return None
    membership = membership_of(user)
    if membership is None or not (membership.province_id or membership.local_organisation_id):
        raise PermissionDenied(
            _(
                "Your account does not belong to a province or a local administrative "
                "organisation, so it cannot answer this form."
            )
        )
    if form.for_local_organisations:
        if not membership.local_organisation_id:
            raise PermissionDenied(
                _(
                    "This form is answered by each local administrative organisation; "
                    "provinces follow their progress."
                )
            )
        organisation = membership.local_organisation
        if not form.is_addressed_to(organisation):
            raise PermissionDenied(
                _("This form is not addressed to the province of your organisation.")
            )
        return organisation
    if not membership.province_id:
        raise PermissionDenied(_("This form is answered by provinces."))
    if R.PROVINCE_OFFICER not in R.user_groups(user):
        raise PermissionDenied(_("Only province officers answer for their province."))
    if not form.is_addressed_to(membership.province):
        raise PermissionDenied(_("This form is not addressed to your province."))
    return membership.province


def _check_organisation(form: ResponseFormPage, organisation) -> None:
    if organisation is None or not form.is_addressed_to(organisation):
        raise PermissionDenied(_("This organisation does not answer this form."))


def can_read_response(user, response: Response) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    groups = R.user_groups(user)
    if R.ADMINISTRATOR in groups:
        return True
    membership = membership_of(user)
    if membership is not None:
        if response.local_organisation_id:
            if membership.local_organisation_id == response.local_organisation_id:
                return True
            if _follows(user, response, membership, groups):
                # A province reads its own อปท.' answers once sent, never their drafts.
                return response.is_submitted
        elif membership.province_id and membership.province_id == response.province_id:
            return True
        if not membership.unit_id:
            return False
    circular = response.form.circular
    return R.UNIT_STAFF in R.roles_for(user, circular)


def _follows(user, response: Response, membership=None, groups=None) -> bool:
    """Is `user` an officer of the province of the อปท. that answered `response`?"""
    membership = membership if membership is not None else membership_of(user)
    groups = groups if groups is not None else R.user_groups(user)
    return bool(
        response.local_organisation_id
        and membership is not None
        and membership.province_id
        and membership.province_id == response.province_id
        and R.PROVINCE_OFFICER in groups
        and membership.local_organisation_id != response.local_organisation_id
    )


def can_read_file(user, item) -> bool:
    """May `user` have this ResponseFile? Whoever may read its response; a province officer
    following its อปท. only when the file was part of a submission (not a draft's upload)."""
    response = item.response
    if not can_read_response(user, response):
        return False
    if R.ADMINISTRATOR in R.user_groups(user) or not _follows(user, response):
        return True
    uuid_text = str(item.uuid)
    submissions = response.versions.filter(kind=ResponseVersion.Kind.SUBMISSION)
    return any(
        str(entry.get("uuid")) == uuid_text
        for files in submissions.values_list("files", flat=True)
        for entry in files or []
    )


# -- reading ------------------------------------------------------------------------------------


def _lookup(organisation) -> tuple[dict, dict]:
    """(lookup, extra fields on create) for an organisation's response."""
    from cms.organisations.models import LocalOrganisation, Province

    if isinstance(organisation, LocalOrganisation):
        return {"local_organisation": organisation}, {"province_id": organisation.province_id}
    if isinstance(organisation, Province):
        return {"province": organisation, "local_organisation": None}, {}
    raise TypeError(f"not an organisation: {organisation!r}")


def response_for(form: ResponseFormPage, organisation, create: bool = False) -> Response | None:
    lookup, extra = _lookup(organisation)
    response = Response.objects.filter(form=form, **lookup).first()
    if response is None and create:
        # get_or_create retries the read when a concurrent request inserted the row first (the
        # unique constraints make the second insert fail), so there is never a duplicate.
        response, _created = Response.objects.get_or_create(form=form, **lookup, defaults=extra)
    return response


def _status(status: str | None, is_late: bool) -> str:
    if status is None:
        return NOT_STARTED
    if status == Response.Status.SUBMITTED:
        return LATE if is_late else SUBMITTED
    return DRAFT


def status_of(form: ResponseFormPage, organisation) -> str:
    response = response_for(form, organisation)
    return _status(response.status, response.is_late) if response else NOT_STARTED


def statuses(form: ResponseFormPage) -> dict:
    organisations = list(form.addressed_organisations())
    field_name = "local_organisation_id" if form.for_local_organisations else "province_id"
    rows = Response.objects.filter(form=form)
    if not form.for_local_organisations:
        rows = rows.filter(local_organisation__isnull=True)
    found = {
        org_id: _status(status, late)
        for org_id, status, late in rows.values_list(field_name, "status", "is_late")
    }
    return {org: found.get(org.pk, NOT_STARTED) for org in organisations}


def status_counts(form: ResponseFormPage) -> dict[str, int]:
    counts = Counter(statuses(form).values())
    return {status: counts.get(status, 0) for status in STATUSES}


def local_progress(form: ResponseFormPage, province) -> dict:
    if not form.for_local_organisations or not form.circular.is_addressed_to(province.pk):
        return {}
    from cms.organisations.models import LocalOrganisation

    organisations = list(LocalOrganisation.objects.filter(province=province).order_by("code"))
    found = {
        org_id: _status(status, late)
        for org_id, status, late in Response.objects.filter(
            form=form, local_organisation__province=province
        ).values_list("local_organisation_id", "status", "is_late")
    }
    return {org: found.get(org.pk, NOT_STARTED) for org in organisations}


def forms_for_user(user) -> list[FormEntry]:
    """Live forms the user answers (with their status), follows, or (staff) may look at."""
    entries = []
    forms = ResponseFormPage.objects.live().select_related("circular").order_by("-pk")
    staff = is_staff_reader(user)
    membership = membership_of(user)
    for form in forms:
        if staff:
            entries.append(FormEntry(form))
            continue
        try:
            organisation = respondent_for(user, form)
        except PermissionDenied:
            if (
                form.for_local_organisations
                and membership is not None
                and membership.province_id
                and R.PROVINCE_OFFICER in R.user_groups(user)
                and form.circular.is_addressed_to(membership.province_id)
            ):
                entries.append(FormEntry(form, membership.province, progress=True))
            continue
        entries.append(FormEntry(form, organisation, status_of(form, organisation)))
    return entries


# -- writing ------------------------------------------------------------------------------------


def save_draft(form, organisation, raw, files=None, user=None, edit_token=None) -> SaveOutcome:
    return _save(form, organisation, raw, files, user, edit_token, submitting=False)


def submit(form, organisation, raw, files=None, user=None, edit_token=None) -> SaveOutcome:
    return _save(form, organisation, raw, files, user, edit_token, submitting=True)


def _save(form, organisation, raw, files, user, edit_token, submitting: bool) -> SaveOutcome:
    _check_organisation(form, organisation)
    schema = form.schema()
    now = timezone.now()
    actor = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        # A refused save must not leave an empty draft behind: decide before creating the row.
        _refresh_circular(form)
        if not form.is_open(now):
            return SaveOutcome(response_for(form, organisation), refused=form.closed_reason(now))
        response = _locked_response(form, organisation)
        stale = is_stale(response, edit_token)
        before = (response.answers, response.invalid_input)
        merged = {**response.answers, **response.invalid_input, **copy.deepcopy(raw or {})}
        merged = _own_files_only(response, schema, merged)
        upload_errors = _attach_uploads(response, schema, merged, files or {}, actor)
        draft_answers, format_errors = clean_answers(schema, merged, partial=True)
        invalid_keys = {error.key for error in format_errors if error.key}
        draft_invalid = {key: merged[key] for key in invalid_keys if key in merged}
        latest = response.latest_submission() if response.is_submitted else None
        sent = (latest.answers, {}) if latest else None

        full_answers, full_errors = None, []
        if submitting:
            full_answers, full_errors = clean_answers(schema, merged, partial=False)
        ready = submitting and not full_errors and not upload_errors

        new = (full_answers, {}) if ready else (draft_answers, draft_invalid)
        kept = None
        if stale and new != before and before != sent and _has_content(before):
            kept = _snapshot(response, schema, ResponseVersion.Kind.OVERWRITTEN, actor, *before)

        if ready and sent is not None and full_answers == latest.answers:
            # Sent already, exactly this (a double click, a second tab): nothing new.
            outcome = SaveOutcome(response, submitted=True, unchanged=True, stale=stale)
            if response.invalid_input or response.has_unsent_changes or before != new:
                response.answers, response.invalid_input = full_answers, {}
                response.has_unsent_changes = False
                response.edit_token += 1
                response.updated_by = actor
                response.save()
        elif ready:
            late_now = form.is_late(now)
            if response.version == 0:
                # Whether the answer came in late is decided by its first submission: a late
                # correction of an on-time answer does not make it late (each version keeps
                # its own flag).
                response.is_late = late_now
            response.version += 1
            response.status = Response.Status.SUBMITTED
            response.submitted_at = now
            response.submitted_by = actor
            response.reference = (
                f"WF-{form.pk}-{organisation_code(organisation)}-{response.version}"
            )
            response.answers, response.invalid_input = full_answers, {}
            response.has_unsent_changes = False
            response.edit_token += 1
            response.updated_by = actor
            response.save()
            _sync_files(response, schema)  # the version records where each file now sits
            _snapshot(
                response,
                schema,
                ResponseVersion.Kind.SUBMISSION,
                actor,
                full_answers,
                {},
                reference=response.reference,
                is_late=late_now,
                at=now,
            )
            outcome = SaveOutcome(response, submitted=True, stale=stale)
        else:
            errors = upload_errors + (full_errors if submitting else format_errors)
            if new != before:
                response.answers, response.invalid_input = new
                response.has_unsent_changes = sent is not None and new != sent
                response.edit_token += 1
                response.updated_by = actor
                response.save()
            outcome = SaveOutcome(response, errors, stale=stale)
        outcome.kept_version = kept
        _sync_files(response, schema)
        _prune_files(response, schema)
    return outcome


def _locked_response(form, organisation) -> Response:
    response = response_for(form, organisation, create=True)
    return Response.objects.select_for_update().get(pk=response.pk)


def _refresh_circular(form) -> None:
    """Read the circular's state again (it may have been closed since the page was loaded)."""
    from cms.circulars.models import CircularPage

    state = CircularPage.objects.filter(pk=form.circular_id).values_list("state", flat=True)
    form.circular.state = state.first()


def is_stale(response: Response, edit_token) -> bool:
    """True when the browser's edit_token is not the response's current one."""
    if edit_token in (None, ""):
        return False
    try:
        return int(edit_token) != response.edit_token
    except (TypeError, ValueError):
        return True


def _has_content(copy_pair) -> bool:
    answers, invalid = copy_pair
    from responses.models.responses import _blank

    return not _blank(answers) or not _blank(invalid)


def _map_files(schema, data: dict, change) -> dict:
    """data with every file list (file questions, file cells) replaced by change(list)."""
    for question in schema:
        if question.key not in data:
            continue
        value = data[question.key]
        if question.is_file:
            data[question.key] = change(S.as_list(value))
        elif question.is_table and any(column.is_file for column in question.columns):
            rows = []
            for row in S.as_list(value):
                if isinstance(row, dict):
                    row = dict(row)
                    for column in question.columns:
                        if column.is_file and column.key in row:
                            row[column.key] = change(S.as_list(row[column.key]))
                rows.append(row)
            data[question.key] = rows
    return data


def _valid_uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return None


def _own_files_only(response: Response, schema, data: dict) -> dict:
    """Drop file ids that are not files of this response (never trust a posted id)."""
    wanted = set()
    _map_files(schema, copy.copy(data), lambda ids: wanted.update(ids) or ids)
    cleaned = {_valid_uuid(v) for v in wanted} - {None}
    owned = (
        {str(u) for u in response.files.filter(uuid__in=cleaned).values_list("uuid", flat=True)}
        if cleaned
        else set()
    )
    return _map_files(
        schema, data, lambda ids: [_valid_uuid(v) for v in ids if _valid_uuid(v) in owned]
    )


def _attach_uploads(response, schema, data: dict, files, user) -> list[AnswerError]:
    """Check and store every upload; put the accepted ones' ids into data at their slots."""
    from django.core.exceptions import ValidationError

    from responses.uploads import check_upload
    from responses.validation import _error

    questions = S.by_key(schema)
    errors = []
    for name, uploads in files.items():
        try:
            key, row, column_key = S.parse_slot(name)
        except ValueError:
            continue
        question = questions.get(key)
        if question is None:
            continue
        column = question.column(column_key) if row is not None else None
        if row is None and not question.is_file:
            continue
        if row is not None and (not question.is_table or column is None or not column.is_file):
            continue
        for upload in uploads if isinstance(uploads, (list, tuple)) else [uploads]:
            if upload is None or not getattr(upload, "name", ""):
                continue
            try:
                checked = check_upload(upload)
            except ValidationError as error:
                errors.append(_error(question, " ".join(error.messages), row, column))
                continue
            # The same file sent again to the same place (a double click on "submit" with the
            # file still chosen, a second tab) is the file already kept, not a new one.
            stored = response.files.filter(
                question_key=key,
                row=row,
                column_key=column_key or "",
                original_name=_base_name(upload.name),
                sha256=checked.sha256,
            ).first()
            if stored is None:
                stored = ResponseFile(
                    response=response,
                    question_key=key,
                    row=row,
                    column_key=column_key or "",
                    original_name=_base_name(upload.name),
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    file=upload,
                    uploaded_by=user,
                )
                stored.save()
            file_id = str(stored.uuid)
            if row is None:
                kept = S.as_list(data.get(key))
                data[key] = kept if file_id in kept else [*kept, file_id]
            else:
                rows = [dict(r) if isinstance(r, dict) else {} for r in S.as_list(data.get(key))]
                while len(rows) <= row:
                    rows.append({})
                kept = S.as_list(rows[row].get(column_key))
                rows[row][column_key] = kept if file_id in kept else [*kept, file_id]
                data[key] = rows
    return errors


def _base_name(name: str) -> str:
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return name[-255:]


def _positions(schema, answers: dict) -> dict[str, tuple]:
    """file id → (question key, row, column key) in answers."""
    places = {}
    for question in schema:
        value = answers.get(question.key)
        if question.is_file:
            for file_id in S.as_list(value):
                places[str(file_id)] = (question.key, None, "")
        elif question.is_table:
            for index, row in enumerate(S.as_list(value)):
                if not isinstance(row, dict):
                    continue
                for column in question.columns:
                    if column.is_file:
                        for file_id in S.as_list(row.get(column.key)):
                            places[str(file_id)] = (question.key, index, column.key)
    return places


def _sync_files(response: Response, schema) -> None:
    """Keep each file's row and column in step with where the answers now hold it."""
    places = _positions(schema, response.invalid_input)
    places.update(_positions(schema, response.answers))
    changed = []
    for item in response.files.all():
        place = places.get(str(item.uuid))
        if place and (item.question_key, item.row, item.column_key) != place:
            item.question_key, item.row, item.column_key = place
            changed.append(item)
    if changed:
        ResponseFile.objects.bulk_update(changed, ["question_key", "row", "column_key"])


def _prune_files(response: Response, schema) -> None:
    """Delete files nothing refers to any more (not the working copy, not any version)."""
    keep = set(S.all_file_ids(schema, response.answers))
    keep |= set(S.all_file_ids(schema, response.invalid_input))
    for files in response.versions.values_list("files", flat=True):
        keep |= {item.get("uuid") for item in files or []}
    orphans = [item for item in response.files.all() if str(item.uuid) not in keep]
    if not orphans:
        return
    names = [item.file.name for item in orphans]
    ResponseFile.objects.filter(pk__in=[item.pk for item in orphans]).delete()
    transaction.on_commit(lambda: [private_storage.delete(name) for name in names if name])


def _snapshot(
    response: Response,
    schema,
    kind: str,
    user,
    answers: dict,
    invalid: dict,
    reference: str = "",
    is_late: bool = False,
    at=None,
) -> ResponseVersion:
    ids = set(S.all_file_ids(schema, answers)) | set(S.all_file_ids(schema, invalid))
    files = [item.describe() for item in response.files.filter(uuid__in=ids)] if ids else []
    return ResponseVersion.objects.create(
        response=response,
        kind=kind,
        version=response.version,
        answers=answers,
        invalid_input=invalid,
        files=files,
        reference=reference,
        is_late=is_late,
        created_at=at or timezone.now(),
        created_by=user,
    )


# -- input kept across a login ------------------------------------------------------------------


PENDING_MAX_FILES = 20  # files kept per post
PENDING_MAX_MB = 50  # their total size (settings.WIAN_RESPONSE_PENDING_MAX_MB)


def keep_pending_input(form: ResponseFormPage, data, files) -> PendingInput:
    """Store a post whose session had expired (fields and files) for 24 hours.

    Only uploads sent to a real file slot of the form and accepted by check_upload are kept, at
    most PENDING_MAX_FILES of them and PENDING_MAX_MB megabytes together; the rest is dropped
    (the person uploads it again after logging in).
    """
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from responses.models import PENDING_TTL
    from responses.uploads import check_upload

    PendingInput.objects.filter(created__lt=timezone.now() - PENDING_TTL).delete()
    fields = {
        name: [str(v) for v in data.getlist(name)]
        for name in data
        if name.startswith(S.FIELD_PREFIX) or name in ("edit_token", "action")
    }
    schema = form.schema()
    budget = int(getattr(settings, "WIAN_RESPONSE_PENDING_MAX_MB", PENDING_MAX_MB)) * 1024 * 1024
    kept_files = []
    for name in files:
        if not _is_file_slot(schema, name):
            continue
        for upload in files.getlist(name):
            if not getattr(upload, "name", "") or len(kept_files) >= PENDING_MAX_FILES:
                continue
            if upload.size > _pending_limit() or upload.size > budget:
                continue
            try:
                check_upload(upload)
            except ValidationError:
                continue
            budget -= upload.size
            stored = private_storage.save(random_name("pending"), upload)
            kept_files.append(
                {"field": name, "name": stored, "original_name": _base_name(upload.name)}
            )
    return PendingInput.objects.create(
        token=secrets.token_urlsafe(32), form=form, data=fields, files=kept_files
    )


def _is_file_slot(schema, name: str) -> bool:
    """Is the post field `name` ("q.key" or "q.key.row.column") a file question of `schema`?"""
    from responses.validation import ROWS_HARD_LIMIT

    if not name.startswith(S.FIELD_PREFIX):
        return False
    try:
        key, row, column = S.parse_slot(name[len(S.FIELD_PREFIX) :])
    except ValueError:
        return False
    question = S.by_key(schema).get(key)
    if question is None:
        return False
    if row is None:
        return question.is_file
    if not question.is_table or row >= min(question.max_rows or ROWS_HARD_LIMIT, ROWS_HARD_LIMIT):
        return False
    return any(c.key == column and c.is_file for c in question.columns)


def _pending_limit() -> int:
    from responses.uploads import max_upload_bytes

    return max_upload_bytes()


def restore_pending_input(pending: PendingInput, form, organisation, user) -> SaveOutcome:
    """Merge a kept post into the organisation's draft (never submits), then forget it."""
    from django.utils.datastructures import MultiValueDict

    from responses.forms import read_post

    data = MultiValueDict({name: list(values) for name, values in pending.data.items()})
    opened, uploads = [], MultiValueDict()
    for item in pending.files:
        if private_storage.exists(item["name"]):
            handle = private_storage.open(item["name"], "rb")
            opened.append(handle)
            uploads.appendlist(item["field"], File(handle, name=item["original_name"]))
    try:
        posted = read_post(form.schema(), data, uploads)
        outcome = save_draft(
            form, organisation, posted.raw, posted.uploads, user, edit_token=posted.edit_token
        )
    finally:
        for handle in opened:
            handle.close()
    if outcome.refused:
        return outcome  # the form is closed: keep the input until it expires
    names = [item["name"] for item in pending.files]
    pending.delete()
    transaction.on_commit(lambda: [private_storage.delete(name) for name in names])
    return outcome
