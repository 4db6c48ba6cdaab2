"""``fieldsync-server``: run the sync server and manage sites, users and devices.

Every management command opens the same database the server uses (``--db`` or
``FIELDSYNC_DB``), so it works while the server runs. ``--db`` goes before or after the
subcommand (``fieldsync-server --db URL sites list`` = ``fieldsync-server sites list --db URL``).
Every act on users and devices is written to the site's audit log as the command line's, with
the OS user and host (``services/audit.py``). Settings come from ``config.load_settings`` (options win over ``FIELDSYNC_*`` variables) and
are validated before anything starts. Errors go to stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from sqlalchemy.exc import DatabaseError, OperationalError

from shared.timeutil import parse_time, site_zone, utc_now

from . import cli_care, cli_handover
from .config import DEFAULT_DB_URL, THROTTLE_FILE_VAR, Settings, load_settings, worker_environment
from .services import admin, organisations, people
from .services.audit import Origin
from .storage import open_store
from .storage.base import ROLES, Site
from .storage.organisations import APPROVAL_SETTINGS
from .storage.rows import REPLICA_KEYS

__all__ = ["main"]


_DB_HELP = f"database URL (default $FIELDSYNC_DB or {DEFAULT_DB_URL})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldsync-server", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help=_DB_HELP)
    # every command also takes --db after its name; SUPPRESS keeps a --db given before it
    db_after = argparse.ArgumentParser(add_help=False)
    db_after.add_argument("--db", default=argparse.SUPPRESS, help=_DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server", parents=[db_after])
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int,
                       help="server processes (default $FIELDSYNC_WORKERS or 1); more than one needs "
                            "FIELDSYNC_CONSOLE_SECRET (the console's shared signing key) and is meant for "
                            "a postgresql:// database")

    sites = sub.add_parser("sites", help="sales offices").add_subparsers(dest="action", required=True)
    add = sites.add_parser("add", help="create a site", parents=[db_after])
    add.add_argument("--id", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--validity-days", type=int, default=30)
    add.add_argument("--region", default="CN")
    add.add_argument("--household", default="split", help="split (50/50) or first")
    add.add_argument("--utc-offset-minutes", type=int, default=480)
    add.add_argument("--walkin-landlines", choices=("yes", "no"), default="no",
                     help="may a walk-in be registered by a landline (default no: a mobile is asked for)")
    sites.add_parser("list", help="list sites", parents=[db_after])
    change = sites.add_parser("set", help="change a site's settings", parents=[db_after])
    change.add_argument("--id", required=True)
    change.add_argument("--walkin-landlines", choices=("yes", "no"),
                        help="may a walk-in be registered by a landline")
    change.add_argument("--closed-days", metavar="YYYY-MM-DD,…",
                        help="the site's own closed days on top of the official holidays (replaces the list; "
                             "'' for none): complaint limits do not count them")
    change.add_argument("--replica-keys", choices=REPLICA_KEYS,
                        help="private (default): tablets get keyed phone tags only (keys=tag and keys=tag2); "
                             "tag2: only the costlier keys=tag2 tags, once every tablet is updated (tablets "
                             "asking keys=tag then find other tablets' customers by phone no more); legacy: "
                             "tablets from before issue 14 still get the unsalted phone hash they look customers "
                             "up by (docs/privacy.md: hidden numbers are then recoverable from a tablet)")
    change.add_argument("--org", help="the organisation the site belongs to (its director reviews decisions)")
    change.add_argument("--approval", choices=APPROVAL_SETTINGS,
                        help="which manager decisions wait for the director's approval (default none)")

    orgs = sub.add_parser("orgs", help="organisations of several sites").add_subparsers(dest="action", required=True)
    org_add = orgs.add_parser("add", help="create an organisation", parents=[db_after])
    org_add.add_argument("--id", required=True)
    org_add.add_argument("--name", required=True)
    orgs.add_parser("list", help="list organisations, their sites and directors", parents=[db_after])

    users = sub.add_parser("users", help="people who sign in").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="create a user", parents=[db_after])
    add.add_argument("--site", help="the user's site (every role but director)")
    add.add_argument("--org", help="the director's organisation (role director only)")
    add.add_argument("--username", required=True)
    add.add_argument("--password", required=True)
    add.add_argument("--role", required=True, help=" | ".join((*ROLES, "director")))
    add.add_argument("--name", required=True)
    add.add_argument("--listed-from", metavar="DAY_OR_TIME",
                     help="on the rotation duty list from this day (YYYY-MM-DD) or time (ISO 8601 with offset); "
                          "default now: staff already working when the office moves onto fieldsync. Refused "
                          "when a day from then to today already has rotation records (a used board is never "
                          "rewritten) or more than 60 days ahead")
    listing = users.add_parser("list", help="list users", parents=[db_after])
    listing.add_argument("--site")
    for action in ("deactivate", "activate"):
        users.add_parser(action, help=f"{action} a user", parents=[db_after]).add_argument("username")
    passwd = users.add_parser("passwd", help="set a user's password", parents=[db_after])
    passwd.add_argument("username")
    passwd.add_argument("--password", required=True)
    passwd.add_argument("--must-change", action="store_true",
                        help="the user must choose a new password at the next sign-in (console or tablet)")

    db = sub.add_parser("db", help="the database schema (Alembic)").add_subparsers(dest="action", required=True)
    for action, text in (("upgrade", "upgrade the schema to the newest revision (the server does it at start)"),
                         ("current", "print the schema's revision and the newest this version knows")):
        db.add_parser(action, help=text, parents=[db_after])

    devices = sub.add_parser("devices", help="enrolled tablets").add_subparsers(dest="action", required=True)
    devices.add_parser("list", help="list devices", parents=[db_after]).add_argument("--site")
    devices.add_parser("revoke", help="revoke a lost tablet", parents=[db_after]).add_argument("device_id")
    cli_handover.add_parser(sub, db_after)
    cli_care.add_parser(sub, db_after)
    return parser


def worker_program(settings: Settings, host: str, port: int, log_level: str) -> tuple[list[str], dict[str, str]]:
    """``(argv, env)`` of the uvicorn program that runs ``settings.workers`` processes: uvicorn's
    own supervisor, whose workers build the app with ``create_app()`` (a factory) from the
    validated settings in ``env["FIELDSYNC_WORKER_SETTINGS"]`` (``config.worker_environment``).
    ``env`` is a new dict; this process's own environment is not changed."""
    argv = [sys.executable, "-m", "uvicorn", "sync_server.app:create_app", "--factory",
            "--host", host, "--port", str(port), "--workers", str(settings.workers),
            "--log-level", log_level, "--no-proxy-headers", "--timeout-keep-alive", str(settings.keep_alive_s)]
    return argv, worker_environment(settings)


def _serve(settings: Settings, host: str, port: int, log_level: str) -> None:
    import uvicorn

    if settings.workers > 1:
        # uvicorn starts workers by importing the app by name, so they cannot be handed an object:
        # this process becomes uvicorn (same pid, so signals and exit codes are uvicorn's), with
        # the settings in the new program's environment only
        argv, env = worker_program(settings, host, port, log_level)
        # the workers count failed sign-ins together (services/throttle.py), in a private directory
        env[THROTTLE_FILE_VAR] = os.path.join(tempfile.mkdtemp(prefix="fieldsync-throttle-"), "sign-in-failures.db")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)
    from .app import create_app

    # uvicorn would rewrite the client address from X-Forwarded-For sent through 127.0.0.1;
    # the app decides whom to believe (FIELDSYNC_TRUSTED_PROXIES, services/client_address.py)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level,
                proxy_headers=False, timeout_keep_alive=settings.keep_alive_s)


def _db(url: str, action: str) -> None:
    from .storage import migrations

    if action == "upgrade":
        passed = migrations.upgrade(url)
        print(f"upgraded through {', '.join(passed)}" if passed else "already at the newest revision")
    revision = migrations.current(url)
    print(f"current revision: {revision or 'none (not under Alembic yet)'}; newest: {migrations.head_revision()}")
    migrations.check_known(revision)  # a newer release's revision: say so, exit 1


def _run(args: argparse.Namespace) -> int:
    settings = load_settings(db_url=args.db, workers=getattr(args, "workers", None))
    if args.command == "serve":
        open_store(settings.db_url, pool_size=1).close()  # migrate and fail early on a bad URL
        _serve(settings, args.host, args.port, args.log_level)
        return 0
    if args.command == "db":
        _db(settings.db_url, args.action)
        return 0
    if (args.command in ("handover", "care") or args.action in ("list", "set", "deactivate", "activate", "passwd", "revoke")) and _missing_sqlite(settings.db_url):
        raise admin.AdminError(f"No database at {settings.db_url.removeprefix('sqlite:///')}: pass --db URL or set "
                               "FIELDSYNC_DB (reading or changing what does not exist would make an empty one).")
    store = open_store(settings.db_url, pool_size=settings.db_pool_size)
    if args.command == "handover":
        return cli_handover.run(store, args)
    if args.command == "care":
        return cli_care.run(store, args)
    match (args.command, args.action):
        case ("sites", "add"):
            site = admin.add_site(store, Site(id=args.id, name=args.name, validity_days=args.validity_days,
                                              household=args.household, region=args.region.upper(),
                                              utc_offset_minutes=args.utc_offset_minutes,
                                              walkin_landlines=args.walkin_landlines == "yes"))
            print(f"site {site.id} created")
        case ("sites", "set"):
            landlines = None if args.walkin_landlines is None else args.walkin_landlines == "yes"
            if args.org is not None or args.approval is not None:
                organisations.set_site_org(store, args.id, org_id=args.org, approval=args.approval)
                print(f"site {args.id}: organisation {store.org_of_site(args.id) or 'none'}; "
                      f"approval {store.site_approval(args.id)}")
                if landlines is None and args.closed_days is None and args.replica_keys is None:
                    return 0
            site = admin.set_site(store, args.id, walkin_landlines=landlines, closed_days=args.closed_days,
                                  replica_keys=args.replica_keys)
            print(f"site {site.id}: walk-ins by landline {'accepted' if site.walkin_landlines else 'refused'}; "
                  f"closed days: {', '.join(site.closed_days) or 'none'}; replica keys {site.replica_keys}")
        case ("sites", "list"):
            for s in store.list_sites():
                print(f"{s.id}\t{s.name}\tvalidity {s.validity_days}d\thousehold {s.household}\t{s.region}\t"
                      f"UTC{s.utc_offset_minutes:+d}min\twalk-in landlines {'yes' if s.walkin_landlines else 'no'}\t"
                      f"closed days {','.join(s.closed_days) or 'none'}\treplica keys {s.replica_keys}")
        case ("orgs", "add"):
            org = organisations.add_org(store, args.id, args.name)
            print(f"organisation {org.id} created")
        case ("orgs", "list"):
            for o in store.list_orgs():
                directors = ",".join(d.username for d in store.list_directors(o.id)) or "none"
                print(f"{o.id}\t{o.name}\tsites {','.join(store.sites_of_org(o.id)) or 'none'}\tdirectors {directors}")
        case ("users", "add") if args.role == "director":
            if not args.org or args.site:
                raise admin.AdminError("A director belongs to an organisation, not a site: give --org ORG "
                                       "(and no --site).")
            director = organisations.add_director(store, org_id=args.org, username=args.username,
                                                  password=args.password, name=args.name)
            print(f"user {director.username} (director) created in organisation {director.org_id}")
        case ("users", "add"):
            if not args.site or args.org:
                raise admin.AdminError(f"A {args.role} belongs to a site: give --site SITE (--org is for directors).")
            user = people.add_person(store, Origin.cli(), site_id=args.site, username=args.username,
                                     password=args.password, role=args.role, name=args.name,
                                     listed_from=args.listed_from)
            print(f"user {user.username} ({user.role}) created in site {user.site_id}")
            joins = parse_time(user.duty_periods[0][0]) if user.duty_periods and user.role == "rep" else None
            if joins is not None and args.listed_from:
                home = store.get_site(user.site_id)
                local = joins.astimezone(site_zone(home.utc_offset_minutes if home else 480))
                if joins > utc_now():
                    print(f"{user.name} 将于 {local:%Y-%m-%d %H:%M}（案场时间）加入排班，此前不在轮班队列中。 / "
                          f"{user.name} joins the rotation on {local:%Y-%m-%d %H:%M} (site time), not before.")
                else:  # the server saw no rotation records since then; an offline desk may hold some
                    print(f"{user.name} 自 {local:%Y-%m-%d %H:%M}（案场时间）起计入排班。若有平板此后离线未同步，"
                          f"其排班记录到达后，{user.name} 将按此时间排入队列。 / {user.name} is on the rotation from "
                          f"{local:%Y-%m-%d %H:%M} (site time). If a tablet has been offline since then, its rotation "
                          f"records will place {user.name} in the queue from that time when they arrive.")
        case ("users", "list"):
            for u in store.list_users(args.site):
                print(f"{u.site_id}\t{u.username}\t{u.role}\t{u.name}\t{'active' if u.active else 'inactive'}")
        case ("users", "deactivate" | "activate"):
            people.set_active(store, Origin.cli(), args.username, args.action == "activate")
            print(f"user {args.username} {args.action}d")
        case ("users", "passwd"):
            people.set_password(store, Origin.cli(), args.username, args.password, must_change_password=args.must_change)
            print(f"password of {args.username} changed" + (" (to be replaced at the next sign-in)"
                                                           if args.must_change else ""))
        case ("devices", "list"):
            for d in store.list_devices(args.site):
                state = f"revoked {d.revoked_at}" if d.revoked_at else "active"
                print(f"{d.id}\t{d.site_id}\t{d.username}\t{d.name}\tenrolled {d.enrolled_at}\t{state}\t"
                      f"seq {d.contiguous_seq}")
        case ("devices", "revoke"):
            people.revoke_device(store, Origin.cli(), args.device_id)
            print(f"device {args.device_id} revoked")
    return 0


def _port(text: str) -> int:
    """A TCP port for ``serve --port`` (argparse says what is wrong, no traceback)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; write one from 1 to 65535") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number; write one from 1 to 65535")
    return port


def _missing_sqlite(url: str) -> bool:
    """A ``sqlite:///`` URL whose file does not exist (a command that only reads or changes
    rows should not create an empty database: issue 10 QA)."""
    return url.startswith("sqlite:///") and ":memory:" not in url and not os.path.exists(url.removeprefix("sqlite:///"))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code = _run(args)
    except BrokenPipeError:  # `sites list | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (admin.AdminError, ValueError) as exc:
        print(f"fieldsync-server: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:  # the database cannot be reached or opened
        print(f"fieldsync-server: cannot open the database: {exc.orig}", file=sys.stderr)
        return 1
    except DatabaseError as exc:  # it opened, but is not a database (a SQLite path to another file)
        print(f"fieldsync-server: the database given (--db or FIELDSYNC_DB) is not a database fieldsync can "
              f"use ({exc.orig}); check the path or URL", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
