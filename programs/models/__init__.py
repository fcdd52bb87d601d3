"""Models of the programs app, one module per part: reference, diagnostics, programs, routes,
bank."""

from .access import municipalities_of
from .bank import Product, ProductQuerySet, ProductStatus
from .diagnostics import Answer, Diagnostic, Respondent, Stage
from .programs import (
    CLOSED_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    AreaRole,
    Program,
    ProgramArea,
    ProgramCorrection,
    ProgramStatus,
    Responsible,
)
from .reference import (
    DEFICIT_BELOW,
    STRENGTH_FROM,
    DifficultyArea,
    DifficultyItem,
    ProductKind,
    Score,
)
from .routes import Route, RouteArea, RouteItem, RouteItemKind, RouteStatus, RouteVersion

__all__ = [
    "DEFICIT_BELOW",
    "STRENGTH_FROM",
    "Activity",
    "CLOSED_ACTIVITY_STATUSES",
    "ActivityStatus",
    "Answer",
    "AreaRole",
    "Diagnostic",
    "DifficultyArea",
    "DifficultyItem",
    "Product",
    "ProductKind",
    "ProductQuerySet",
    "ProductStatus",
    "Program",
    "ProgramArea",
    "ProgramCorrection",
    "ProgramStatus",
    "Respondent",
    "Responsible",
    "Route",
    "RouteArea",
    "RouteItem",
    "RouteItemKind",
    "RouteStatus",
    "RouteVersion",
    "Score",
    "Stage",
    "municipalities_of",
]
