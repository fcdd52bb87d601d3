"""Every write of the programs app, one module per part: programs and their road maps,
diagnostics, routes (ИОМ), the bank of best practices, reference data. Views, admin and the
demo call these functions as `services.<name>`."""

from programs.services.bank import *  # noqa: F403
from programs.services.common import employment_of, head_of  # noqa: F401
from programs.services.diagnostics import *  # noqa: F403
from programs.services.programs import *  # noqa: F403
from programs.services.reference import *  # noqa: F403
from programs.services.routes import *  # noqa: F403
