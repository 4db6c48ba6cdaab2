"""``fieldsync-server handover draw|assign|show|verify``: hand a leaving rep's customers over
(随机抽数分配, 001 §14(五)3(12)) from the command line, with the service the console uses
(``services.handover``). ``verify`` runs a recorded draw again from its seed and compares."""

from __future__ import annotations

import argparse
import sys

from .errors import ApiError
from .services import admin, handover
from .services.audit import Origin
from .services.auth import Actor
from .storage.base import HandoverRow, Store

__all__ = ["add_parser", "run", "EXIT_DIFFERS", "EXIT_NOT_FOUND"]

EXIT_DIFFERS = 2
"""``verify``: the recorded draw run again from its seed gives another result."""
EXIT_NOT_FOUND = 3
"""``show``/``verify``: no such site, or no such hand-over at that site (issue 12 QA: a script
could not tell this from a differing result, both exited 1). Other errors exit 1."""
_VERIFY_EPILOG = (f"exit status: 0 the draw run again gives the recorded result (or a choice: nothing to draw); "
                  f"{EXIT_DIFFERS} it differs (the customers are listed); {EXIT_NOT_FOUND} no such site or "
                  f"hand-over at the site; 1 any other error")


def add_parser(sub, db_after: argparse.ArgumentParser) -> None:
    """The ``handover`` command and its actions under ``sub`` (the main parser's subparsers)."""
    actions = sub.add_parser("handover", help="hand a leaving rep's customers over").add_subparsers(
        dest="action", required=True)
    drawing = actions.add_parser("draw", help="by random draw among the other active reps", parents=[db_after])
    assign = actions.add_parser("assign", help="to reps the manager chooses", parents=[db_after])
    for parser in (drawing, assign):
        parser.add_argument("--by", required=True, help="the manager's username (recorded as who handed over)")
        parser.add_argument("--from", dest="from_rep", required=True, help="the leaving rep's username")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--deals-too", action="store_true",
                            help="customers with a deal move too (by default they keep their rep)")
    drawing.add_argument("--exclude", default="", metavar="REP,…", help="reps who do not receive")
    drawing.add_argument("--seed", help="the draw's seed (default: a fresh one from the server)")
    assign.add_argument("--to", help="one rep receiving every customer")
    assign.add_argument("--choice", action="append", default=[], metavar="CUSTOMER_ID=REP",
                        help="one customer (its id, as `handover show` or the console lists it) and its rep; repeat")
    for action in ("show", "verify"):
        parser = actions.add_parser(action, help=f"{action} a recorded hand-over", parents=[db_after],
                                    epilog=_VERIFY_EPILOG if action == "verify" else
                                    f"exit status: 0 shown; {EXIT_NOT_FOUND} no such site or hand-over at the site")
        parser.add_argument("handover_id")
        parser.add_argument("--site", required=True)


def _actor(store: Store, username: str) -> Actor:
    user = store.get_user(username)
    if user is None or user.role != "manager" or not user.active:
        raise admin.AdminError(f"{username!r} is not an active manager; --by names the manager who hands over.")
    site = store.get_site(user.site_id)
    assert site is not None
    return Actor(user=user, site=site)


def _print(row: HandoverRow) -> None:
    same, _ = handover.verify(row)
    print(f"hand-over {row.id}\nfrom {row.from_rep} by {row.author} at {row.created_at} ({row.method}"
          f"{', deals too' if row.deals_too else ''})\nreason: {row.reason}")
    if row.method == "draw":
        print(f"seed {row.seed} ({row.algorithm}); receivers {', '.join(row.receivers)}; "
              f"{'verified' if same else 'DIFFERS from its draw'}")
    for customer, rep in row.result.items():
        print(f"{customer}\t{rep}")


def run(store: Store, args: argparse.Namespace) -> int:
    """Run one ``handover`` action: 0 done; ``EXIT_DIFFERS`` when ``verify`` finds a recorded
    draw differs; ``EXIT_NOT_FOUND`` when ``show``/``verify`` finds no such site or hand-over;
    ``admin.AdminError`` (exit 1) for anything else."""
    try:
        if args.action in ("show", "verify"):
            site = store.get_site(args.site)
            row = store.get_handover(site.id, args.handover_id) if site is not None else None
            if row is None:
                print("fieldsync-server: not found: " + (
                    f"no site {args.site!r}; list them with 'sites list'." if site is None else
                    f"no hand-over {args.handover_id!r} at site {args.site}; the console's 客户交接 page lists "
                    f"them with their ids."), file=sys.stderr)
                return EXIT_NOT_FOUND
            if args.action == "show":
                _print(row)
                return 0
            same, again = handover.verify(row)
            if same:
                print(f"verified: the draw run again from seed {row.seed} gives the recorded result "
                      f"({len(again)} customer(s))" if row.method == "draw" else "a choice, no draw to run again")
                return 0
            print("DIFFERS: the draw run again gives another result:")
            for customer in sorted(set(again) | set(row.result)):
                if again.get(customer) != row.result.get(customer):
                    print(f"{customer}\trecorded {row.result.get(customer)}\tagain {again.get(customer)}")
            return EXIT_DIFFERS
        actor = _actor(store, args.by)
        if args.action == "draw":
            exclude = [name for name in args.exclude.split(",") if name.strip()]
            row = handover.record(store, actor, args.from_rep, "draw", args.reason, origin=Origin.cli(actor.user.username),
                                  deals_too=args.deals_too, exclude=exclude, seed=args.seed)
        else:
            choices = dict(choice.split("=", 1) for choice in args.choice if "=" in choice)
            if args.to:
                units = handover.leaving_units(store, actor, args.from_rep)
                choices = {u.id: args.to for u in units if not u.deal or args.deals_too} | choices
            row = handover.record(store, actor, args.from_rep, "choice", args.reason, origin=Origin.cli(actor.user.username),
                                  deals_too=args.deals_too, choices=choices)
        _print(row)
        return 0
    except ApiError as exc:
        raise admin.AdminError(exc.message) from None
