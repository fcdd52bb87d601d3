"""Individual educational routes (ИОМ) of four to five years.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core.dates import add_months
from core.permissions import require
from core.uploads import validate_upload
from mentoring.periods import check_period
from orgs.models import Employment, Organization, Person
from programs.models import (
    ActivityStatus,
    DifficultyArea,
    Route,
    RouteArea,
    RouteItem,
    RouteItemKind,
    RouteStatus,
    RouteVersion,
)
from programs.permissions import can_edit_route, can_start_route

# Routes ---------------------------------------------------------------------------------------


@dataclass
class RouteData:
    starts_on: datetime.date
    ends_on: datetime.date
    self_image: str


ROUTE_MIN_YEARS = 4
ROUTE_MAX_YEARS = 5


def check_route_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    """From 4 to 5 years, both inclusive."""
    check_period(
        starts_on,
        ends_on,
        min_months=12 * ROUTE_MIN_YEARS,
        max_months=12 * ROUTE_MAX_YEARS,
        message=_("An individual educational route lasts from 4 to 5 years."),
        code="route_period",
    )


def route_default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """What a new route's form proposes: the shortest route (4 years) from next month's first."""
    starts_on = add_months(today.replace(day=1), 1)
    return starts_on, add_months(starts_on, 12 * ROUTE_MIN_YEARS)


def _check_route(data: RouteData) -> None:
    errors: dict[str, list] = {}
    try:
        check_route_period(data.starts_on, data.ends_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (data.self_image or "").strip():
        errors["self_image"] = [_("Describe the desired professional self-image.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def route_create(*, user, person: Person, organization: Organization, data: RouteData) -> Route:
    require(can_start_route(user, person, organization))
    if not Employment.objects.active().filter(person=person, organization=organization).exists():
        raise ValidationError(
            {"organization": _("The teacher does not work in this organization.")}
        )
    _check_route(data)
    route = Route.objects.create(
        person=person,
        organization=organization,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        self_image=data.self_image.strip(),
        created_by=user,
    )
    RouteArea.objects.bulk_create(
        RouteArea(route=route, area=area) for area in DifficultyArea.objects.active()
    )
    return route


def _route_locked(route: Route) -> Route:
    return Route.objects.select_for_update().get(pk=route.pk)


def _record_version(
    route: Route, *, user, reason: str, changes: dict, today: datetime.date
) -> RouteVersion:
    number = (route.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return RouteVersion.objects.create(
        route=route, number=number, made_on=today, made_by=user, reason=reason, changes=changes
    )


def _require_reason(route: Route, reason: str) -> None:
    if route.status == RouteStatus.ACTIVE and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("A route being implemented is corrected with a stated reason.")}
        )
    if route.status == RouteStatus.COMPLETED:
        raise ValidationError(_("The route is completed and is no longer changed."))


def _route_snapshot(route: Route) -> dict:
    return {
        "starts_on": route.starts_on.isoformat(),
        "ends_on": route.ends_on.isoformat(),
        "self_image": route.self_image,
    }


@transaction.atomic
def route_update(
    *, user, route: Route, data: RouteData, reason: str = "", today: datetime.date
) -> Route:
    """Change the route; once it is being implemented, a correction is kept as a version."""
    require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    _check_route(data)
    before = _route_snapshot(route)
    route.starts_on, route.ends_on, route.self_image = (
        data.starts_on,
        data.ends_on,
        data.self_image.strip(),
    )
    after = _route_snapshot(route)
    route.save()
    if route.status == RouteStatus.ACTIVE and before != after:
        _record_version(
            route,
            user=user,
            reason=reason.strip(),
            today=today,
            changes={"route": {"before": before, "after": after}},
        )
    return route


@dataclass
class RouteAreaData:
    area_id: int
    achievements: str = ""
    deficits: str = ""


@transaction.atomic
def route_diagnose(
    *, user, route: Route, rows: Sequence[RouteAreaData], reason: str = "", today: datetime.date
) -> Route:
    """Record achievements and deficits per area."""
    require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    existing = {row.area_id: row for row in route.area_rows.all()}
    changes = {}
    for data in rows:
        row = existing.get(data.area_id) or RouteArea(route=route, area_id=data.area_id)
        before = {"achievements": row.achievements, "deficits": row.deficits}
        row.achievements, row.deficits = data.achievements.strip(), data.deficits.strip()
        after = {"achievements": row.achievements, "deficits": row.deficits}
        if before != after:
            row.save()
            changes[str(data.area_id)] = {"before": before, "after": after}
    if route.status == RouteStatus.ACTIVE and changes:
        _record_version(
            route, user=user, reason=reason.strip(), today=today, changes={"areas": changes}
        )
    return route


@dataclass
class RouteItemData:
    kind: str
    title: str
    planned_start: datetime.date
    planned_end: datetime.date
    hours: int | None = None
    area: DifficultyArea | None = None
    status: str = ActivityStatus.PLANNED
    product_kind: str = ""
    own_view: str = ""
    file: object | None = None


def _check_item(route: Route, data: RouteItemData) -> None:
    errors: dict[str, list] = {}
    if data.kind not in RouteItemKind.values:
        errors["kind"] = [_("Choose the kind of item.")]
    if not (data.title or "").strip():
        errors["title"] = [_("Say what is to be done.")]
    if data.planned_start and data.planned_end:
        if data.planned_end < data.planned_start:
            errors["planned_end"] = [_("The end of an item cannot be before its start.")]
        elif data.planned_start < route.starts_on or data.planned_end > route.ends_on:
            errors["planned_end"] = [_("The dates must fall within the route's period.")]
    if data.kind == RouteItemKind.COURSE and not data.hours:
        errors["hours"] = [_("Give the number of hours of the course.")]
    if data.file is not None:
        try:
            validate_upload(data.file)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)


def _item_snapshot(item: RouteItem) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "planned_start": item.planned_start.isoformat() if item.planned_start else None,
        "planned_end": item.planned_end.isoformat() if item.planned_end else None,
        "hours": item.hours,
        "area": item.area_id,
        "status": item.status,
        "product_kind": item.product_kind,
        "own_view": item.own_view,
        "file_name": item.file_name,
    }


def _apply_item(item: RouteItem, data: RouteItemData) -> None:
    item.kind, item.title = data.kind, data.title.strip()
    item.planned_start, item.planned_end = data.planned_start, data.planned_end
    item.hours = data.hours if data.kind == RouteItemKind.COURSE else data.hours or None
    item.area, item.status = data.area, data.status
    item.product_kind, item.own_view = data.product_kind or "", (data.own_view or "").strip()
    if data.file is not None:
        item.file_name = PurePath(data.file.name).name
        item.file.save(data.file.name, data.file, save=False)


@transaction.atomic
def route_item_save(
    *,
    user,
    route: Route,
    data: RouteItemData,
    item: RouteItem | None = None,
    reason: str = "",
    today: datetime.date,
) -> RouteItem:
    """Add or change a road-map item; in a route being implemented it is a dated correction."""
    require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    _check_item(route, data)
    if item is None:
        item, before = RouteItem(route=route), None
    else:
        item = RouteItem.objects.select_for_update().get(pk=item.pk, route=route)
        before = _item_snapshot(item)
    _apply_item(item, data)
    item.save()
    after = _item_snapshot(item)
    if route.status == RouteStatus.ACTIVE and before != after:
        _record_version(
            route,
            user=user,
            reason=reason.strip(),
            today=today,
            changes={"item": {"id": item.pk, "before": before, "after": after}},
        )
    return item


@transaction.atomic
def route_activate(*, user, route: Route, today: datetime.date) -> Route:
    """Start the implementation; the road map as it stands is kept as version 1."""
    require(can_edit_route(user, route))
    route = _route_locked(route)
    if route.status != RouteStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft route is started.")})
    if not route.items.exists():
        raise ValidationError({"status": _("Add at least one item to the road map first.")})
    route.status = RouteStatus.ACTIVE
    route.save(update_fields=["status", "updated_at"])
    _record_version(
        route,
        user=user,
        reason=str(_("The road map as approved for implementation.")),
        today=today,
        changes={
            "route": {"before": None, "after": _route_snapshot(route)},
            "items": [_item_snapshot(item) for item in route.items.all()],
        },
    )
    return route


@transaction.atomic
def route_complete(
    *,
    user,
    route: Route,
    reflections: dict[int, str],
    closing_reflection: str,
    today: datetime.date,
) -> Route:
    """Close with a reflexive analysis per deficit and on the approach to the self-image."""
    require(can_edit_route(user, route))
    route = _route_locked(route)
    if route.status != RouteStatus.ACTIVE:
        raise ValidationError({"status": _("Only a route being implemented is completed.")})
    rows = [row for row in route.area_rows.all() if row.deficits.strip()]
    errors: dict[str, list] = {}
    for row in rows:
        if not (reflections.get(row.area_id) or "").strip():
            errors[f"reflection_{row.area_id}"] = [_("Reflect on the results for this deficit.")]
    if not closing_reflection.strip():
        errors["closing_reflection"] = [_("Reflect on the approach to the desired self-image.")]
    if errors:
        raise ValidationError(errors)
    for row in rows:
        row.reflection = reflections[row.area_id].strip()
        row.save(update_fields=["reflection"])
    route.closing_reflection = closing_reflection.strip()
    route.status, route.completed_on = RouteStatus.COMPLETED, today
    route.save()
    return route
