"""``filiere serve``: the dashboard and JSON API over a store (FastAPI and uvicorn are imported only here)."""
from __future__ import annotations

import argparse
import sys

from ..cli import _db_option


def register(commands) -> None:
    """Add the ``serve`` command to the ``filiere`` subparsers."""
    serve = commands.add_parser(
        "serve", help="serve the dashboard and the JSON API of a store (read-only, on 127.0.0.1 by default)",
        description="Serve the dashboard (overview, tracker, what changed and its Atom feed, metrics, documents, "
                    "actors, search; French, or English with ?lang=en) and its JSON API under /api/, described at "
                    "/openapi.json. The store is opened read-only; with --edit (this machine only), the pages also "
                    "carry correction forms.")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 exposes it)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--as-of", help="read the tracker at this date, YYYY-MM-DD (default: today)")
    serve.add_argument("--edit", action="store_true",
                       help="show a correction form on each commitment, fact and milestone and save what is sent "
                            "(this machine only: --host must be a loopback address; every form carries a CSRF token)")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..cli import _date_option
    from .app import create_app

    if args.edit and not is_loopback(args.host):
        from ..errors import InputError

        raise InputError("--edit", f"the editing server listens on this machine only, not on '{args.host}'",
                         "leave --host out, or give 127.0.0.1, ::1 or localhost")
    app = create_app(args.db, _date_option(args.as_of, "--as-of"), edit=args.edit)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"filiere: serving the dashboard at http://{host}:{args.port}/ (API: /api/, schema: /openapi.json)",
          file=sys.stderr, flush=True)
    # keep-alive longer than uvicorn's 5 s: a busy dashboard reuses its connections (bench/web_load.py)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_keep_alive=30)
    return 0


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: an address only this machine reaches."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
