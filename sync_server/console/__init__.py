"""The manager console: server-rendered pages under ``/console/`` (issue 5).

``mount_console(app)`` is the one call the server's app factory makes: it adds the routes,
the vendored static files and the handlers that turn "not signed in", "not a manager" and
"bad CSRF token" into pages a person understands.
"""

from __future__ import annotations

from .app import console_router, mount_console

__all__ = ["console_router", "mount_console"]
