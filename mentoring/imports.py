"""The needs list from Excel: who needs a mentor this year, why, with a note.

A row names a teacher of the organization's staff (ФИО in one column or three) and a reason;
the preview says who is added, whose reason or note changes (old → new) and who is already
listed as written. Saved in bulk as confirmed entries of this year's list.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.tabular import Column
from core.text import normalize
from mentoring.models import NeedEntry, NeedReason, NeedStatus
from mentoring.services import _touch, academic_year_of, needs_list_for
from orgs.list_import import Change, ListImport, ListPreview, ListRow, full_name_columns
from orgs.models import Employment, Organization

REASON_SYNONYMS = {
    "молодой специалист": NeedReason.YOUNG_SPECIALIST,
    "мс": NeedReason.YOUNG_SPECIALIST,
    "новый сотрудник": NeedReason.NEWCOMER,
    "вновь принятый": NeedReason.NEWCOMER,
    "новичок": NeedReason.NEWCOMER,
    "новая должность": NeedReason.NEW_POSITION,
    "перевод на новую должность": NeedReason.NEW_POSITION,
    "после аттестации": NeedReason.AFTER_ATTESTATION,
    "по итогам аттестации": NeedReason.AFTER_ATTESTATION,
    "по собственному желанию": NeedReason.OWN_REQUEST,
    "по запросу": NeedReason.OWN_REQUEST,
    "по собственному запросу": NeedReason.OWN_REQUEST,
    "другое": NeedReason.OTHER,
    "иное": NeedReason.OTHER,
}


def _reasons() -> dict[str, str]:
    lookup = {normalize(key): value for key, value in REASON_SYNONYMS.items()}
    for value, label in NeedReason.choices:
        lookup[normalize(value)] = value
        for language in ("ru", "en"):
            with translation.override(language):
                lookup[normalize(str(label))] = value
    return lookup


class NeedsImport(ListImport):
    kind = "needs"
    title = _("needs list")
    file_name = "needs-list"
    back_url_name = "mentoring:need_list"
    summary_headings = (_("Full name"), _("Reason"), _("Note"))
    columns = (
        *full_name_columns(),
        Column(
            "reason",
            _("Reason"),
            True,
            ("причина", "основание", "причина включения", "категория наставляемого"),
        ),
        Column("note", _("Note"), False, ("примечание", "комментарий", "потребность")),
    )

    def reference_values(self, organization: Organization) -> dict[str, list[str]]:
        return {str(_("Reason")): [str(label) for label in NeedReason.labels]}

    def check_rows(self, organization: Organization, rows: list[ListRow]) -> None:
        today = timezone.localdate()
        reasons = _reasons()
        staff: dict[str, list] = {}
        for employment in (
            Employment.objects.filter(organization=organization).active().select_related("person")
        ):
            people = staff.setdefault(employment.person.search_key, [])
            if employment.person not in people:
                people.append(employment.person)
        listed = {
            entry.person_id: entry
            for entry in NeedEntry.objects.filter(
                needs_list__organization=organization,
                needs_list__academic_year=academic_year_of(today),
            )
        }
        seen: dict[int, int] = {}
        for row in rows:
            cells = row.cells
            name = " ".join(
                part
                for part in (cells["last_name"], cells["first_name"], cells["middle_name"])
                if part
            )
            reason_label = cells["reason"]
            row.summary = [name, reason_label, cells["note"]]
            if not cells["last_name"] or not cells["first_name"]:
                row.refuse("last_name", gettext("The last name and the first name are needed."))
            people = staff.get(normalize(name), [])
            if name and not people:
                row.refuse(
                    "last_name",
                    gettext("%(name)s is not on the staff list of %(organization)s.")
                    % {"name": name, "organization": organization.short_name},
                )
            elif len(people) > 1:
                row.refuse(
                    "last_name",
                    gettext("Two teachers of the staff are called %(name)s: add them by hand.")
                    % {"name": name},
                )
            reason = reasons.get(normalize(reason_label))
            if not reason_label:
                row.refuse("reason", gettext("The reason is missing."))
            elif reason is None:
                row.refuse(
                    "reason",
                    gettext("Unknown reason «%(value)s»: take one from the template.")
                    % {"value": reason_label},
                )
            if len(cells["note"]) > 500:
                row.refuse("note", gettext("The note is longer than 500 characters."))
            if row.errors:
                continue
            person = people[0]
            if person.pk in seen:
                row.errors.append(
                    gettext("The same teacher is already in row %(row)s.")
                    % {"row": seen[person.pk]}
                )
                continue
            seen[person.pk] = row.number
            row.value = (person, reason, cells["note"])
            entry = listed.get(person.pk)
            if entry is None:
                row.change = Change.NEW
                continue
            row.target = entry
            if entry.reason != reason:
                row.changes.append(
                    (str(_("Reason")), entry.get_reason_display(), str(NeedReason(reason).label))
                )
            if cells["note"] and entry.note != cells["note"]:
                row.changes.append((str(_("Note")), entry.note, cells["note"]))
            row.change = Change.CHANGED if row.changes else Change.UNCHANGED

    @transaction.atomic
    def apply(self, *, user, organization: Organization, preview: ListPreview) -> dict:
        today = timezone.localdate()
        now = timezone.now()
        needs_list = needs_list_for(organization, today)
        NeedEntry.objects.bulk_create(
            [
                NeedEntry(
                    needs_list=needs_list,
                    person=row.value[0],
                    reason=row.value[1],
                    note=row.value[2],
                    status=NeedStatus.CONFIRMED,
                    decided_by=user,
                    decided_at=now,
                )
                for row in preview.new
            ],
            batch_size=1000,
        )
        changed = []
        for row in preview.changed:
            entry = row.target
            entry.reason = row.value[1]
            if row.value[2]:
                entry.note = row.value[2]
            changed.append(entry)
        if changed:
            NeedEntry.objects.bulk_update(changed, ["reason", "note"], batch_size=1000)
        _touch(needs_list, user, today)
        return {
            "new": len(preview.new),
            "changed": len(changed),
            "unchanged": len(preview.unchanged),
        }
