"""The FastAPI application of ``filiere serve``: server-rendered pages and their JSON twins under /api/.

``create_app`` builds it:
1. check that the store opens read-only (each request then opens its own read-only connection);
2. add the security headers (a strict Content-Security-Policy: scripts only from this server, none inline) to
   every response, errors and server errors included (the headers wrap the whole middleware stack);
3. serve the static files and the chart library (plotly.js from the plotly wheel, never a CDN);
4. route the pages and the API, both calling the functions of queries.py;
5. turn a bad parameter into a 4xx with a clear message (JSON under /api/, a page elsewhere), and a fault of ours
   into a 500 that tells nothing of it.
Links are relative to the server: none is ever built from the Host header. Document ids are any string: the
routes take the rest of the path (``{doc:anytext}``) and links quote every character of an id (issue 13).
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Iterator, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape
from pydantic import BaseModel, ConfigDict
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..domains.packs import load_pack
from ..errors import printable
from ..readable import count_phrase
from ..store import Store
from . import queries
from .labels import (ACTOR_KINDS, APPROX, KINDS, REMOVED, STATUS, UNITS, VERDICT, WORDS, count, format_date,
                     format_deadline, format_number, format_value, metric_definition, metric_label, pick_language)

HERE = Path(__file__).parent
# Scripts only from this server and never inline; the chart library draws with inline styles, so only the
# pages that hold a chart allow them (CHART_CSP); no page may be framed, post elsewhere or load from outside.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CHART_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"), (b"cross-origin-opener-policy", b"same-origin")]

Status = Literal["achieved", "achieved_late", "missed", "unverified", "pending", "undated"]
Verdict = Literal["agree_within_rounding", "disagree", "differ_in_details"]
Kind = Literal["actual", "target"]
CommitmentKind = Literal["promise", "forecast"]
Lang = Literal["fr", "en"]
MAX_OFFSET = 1_000_000_000
PATH_SAFE = "/%:@!$&'()*+,;=-._~"  # what a path may hold unquoted (RFC 3986), '%' keeping the client's escapes
MAX_ID = 1000  # characters of a document id in an address (ids are at most 300, plus a '~N' suffix)
log = logging.getLogger("filiere.web")


def text_query(description: str | None = None):
    """An optional text filter (a fresh Query each time: FastAPI must not share one between parameters)."""
    return Query(None, max_length=200, description=description)


class AnyText(Convertor):
    """The rest of the path, whatever it holds: '/', '..', a line break (Starlette's 'path' stops at a line break)."""

    regex = "(?s:.+)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("anytext", AnyText())


class Evidence(BaseModel):
    """FACTS.md's evidence; with ``page`` (PDF) or ``paragraph`` (DOCX) when the document came from such a file."""

    model_config = ConfigDict(extra="allow")
    text: str
    start: int
    end: int


class Fact(BaseModel):
    """A fact as shared/spec/FACTS.md names its fields, with its store id and its document's date."""

    model_config = ConfigDict(extra="allow")
    type: str
    id: int
    doc: str
    date: str | None
    kind: Kind
    metric: str
    value: float
    unit: str
    approx: str
    subject: str
    year: int | None
    qualifier: str | None
    scope: dict[str, str] | None = None
    claimed_by: str | None
    evidence: Evidence


class Commitment(BaseModel):
    """A commitment as shared/spec/TRACKER.md names its fields."""

    model_config = ConfigDict(extra="allow")
    type: str
    id: str
    subject: str
    metric: str | None
    what: str
    target: dict[str, Any] | None
    deadline: dict[str, Any] | None
    status: Status
    announced: list[dict[str, Any]]
    decided_by: list[dict[str, Any]]
    latest_actual: dict[str, Any] | None
    progress: float | None
    supersedes: str | None
    superseded_by: str | None
    commitment_kind: CommitmentKind = "promise"
    scope: dict[str, str] | None = None


class FactPage(BaseModel):
    items: list[Fact]
    total: int


class CommitmentPage(BaseModel):
    items: list[Commitment]
    total: int


class ItemPage(BaseModel):
    items: list[dict[str, Any]]
    total: int


class Paging:
    """offset and limit of a list endpoint."""

    def __init__(self, offset: int = Query(0, ge=0, le=MAX_OFFSET, description="items to skip"),
                 limit: int = Query(50, ge=1, le=500, description="most items to return (1-500)")):
        self.offset, self.limit = offset, limit


def create_app(db: str | None = None, as_of: dt.date | None = None, edit: bool = False,
               pack: str = "automotive") -> FastAPI:
    """The dashboard and API over the store at db (--db, else $FILIERE_DB, else ./filiere.db).

    Args:
        db: the store's path or sqlite:/// URL; it is only ever opened read-only, except, with edit, to save the
            corrections a person makes in the forms (POST /corrections, each form carrying a CSRF token).
        as_of: the date to read the tracker at when a request gives none (default: today, at each request).
        edit: show a correction form on each commitment, fact and milestone (filiere serve --edit).
        pack: the domain pack whose scope words the tracker and the metric pages read (--pack).
    Raises:
        StoreError: the store is missing or unreadable.
    """
    import secrets

    if edit:  # the corrections table exists before the first form is shown
        from ..store import open_store

        open_store(db, create=False).close()
    Store.open_readonly(db).close()
    load_pack(pack)  # an unknown pack is refused before serving
    app = _App(title="filiere", version=__version__, docs_url=None, redoc_url=None,
                  description="Read-only JSON API over a filiere store: facts (shared/spec/FACTS.md), commitments "
                              "and conflicts (shared/spec/TRACKER.md), documents, actors, full-text search. "
                              "List endpoints return {\"items\": [...], \"total\": N}.")
    app.state.db, app.state.as_of, app.state.pack = db, as_of, pack
    app.state.edit, app.state.csrf = edit, secrets.token_urlsafe(32) if edit else None
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _add_errors(app)
    _add_api(app)
    _add_pages(app)
    if edit:
        _add_edit(app)
    else:
        @app.post("/corrections", include_in_schema=False)
        def read_only() -> Response:
            raise HTTPException(status_code=405, detail="this server is read-only: start it with "
                                                        "'filiere serve --edit' to correct the record")
    return app


class _App(FastAPI):
    """FastAPI whose whole middleware stack is wrapped in the security headers: the 500 that Starlette's outermost
    middleware sends for a fault of ours carries them too (issue 13, row 17)."""

    def build_middleware_stack(self):
        return SecurityHeaders(super().build_middleware_stack())


class SecurityHeaders:
    """Adds the Content-Security-Policy and the other security headers to every response (pure ASGI)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def get_store(request: Request) -> Iterator[Store]:
    """A read-only connection for one request."""
    store = Store.open_readonly(request.app.state.db)
    store.pack = request.app.state.pack  # the pack this dashboard reads with (queries.py)
    try:
        yield store
    finally:
        store.close()


def get_as_of(request: Request, as_of: dt.date | None = Query(
        None, description="read the tracker at this date, YYYY-MM-DD (default: today)")) -> dt.date:
    return as_of or request.app.state.as_of or dt.date.today()


# API ----------------------------------------------------------------------------------------------------

def _add_api(app: FastAPI) -> None:
    @app.get("/api/overview", tags=["overview"], summary="Counts, commitments by status, deadlines, latest figures")
    def api_overview(store: Store = Depends(get_store), as_of: dt.date = Depends(get_as_of)) -> dict[str, Any]:
        return queries.overview(store, as_of)

    @app.get("/api/facts", response_model=FactPage, tags=["facts"], summary="Stored facts (FACTS.md), filtered")
    def api_facts(metric: str | None = text_query(), subject: str | None = text_query(), unit: str | None = text_query(),
                  year: int | None = Query(None, ge=1000, le=9999), kind: Kind | None = None,
                  doc: str | None = text_query(), paging: Paging = Depends(), store: Store = Depends(get_store)):
        return queries.facts(store, paging.offset, paging.limit, metric=metric, subject=subject, unit=unit,
                             year=year, kind=kind, doc=doc)

    @app.get("/api/commitments", response_model=CommitmentPage, tags=["tracker"],
             summary="Commitments (TRACKER.md) with their status, most urgent first")
    def api_commitments(subject: str | None = text_query(), metric: str | None = text_query(), status: Status | None = None,
                        commitment_kind: CommitmentKind | None = Query(
                            None, description="promise (of a company, the state, an association) or forecast (of a "
                                              "market, recalled by an article)"),
                        paging: Paging = Depends(), store: Store = Depends(get_store),
                        as_of: dt.date = Depends(get_as_of)):
        return queries.commitments(store, as_of, subject, metric, status, paging.offset, paging.limit, commitment_kind)

    @app.get("/api/conflicts", response_model=ItemPage, tags=["tracker"],
             summary="Figures and promises that sources report differently (TRACKER.md)")
    def api_conflicts(subject: str | None = text_query(), metric: str | None = text_query(), verdict: Verdict | None = None,
                      paging: Paging = Depends(), store: Store = Depends(get_store),
                      as_of: dt.date = Depends(get_as_of)):
        return queries.conflicts(store, as_of, subject, metric, verdict, paging.offset, paging.limit)

    @app.get("/api/metrics/{metric}", tags=["facts"], summary="One metric: figures, chart series, commitments")
    def api_metric(metric: str = PathParam(max_length=200), store: Store = Depends(get_store),
                   as_of: dt.date = Depends(get_as_of)) -> dict[str, Any]:
        return _found(queries.metric_view(store, metric, as_of), f"no figures for metric '{metric}'")

    @app.get("/api/documents", response_model=ItemPage, tags=["documents"], summary="Articles, newest first")
    def api_documents(q: str | None = Query(None, max_length=200, description="part of a title or an id"),
                      paging: Paging = Depends(), store: Store = Depends(get_store)):
        return queries.documents(store, paging.offset, paging.limit, q)

    @app.get("/api/documents/{doc:anytext}", tags=["documents"],
             summary="One article: cleaned text, removed parts, facts, milestones, related articles")
    def api_document(doc: str = PathParam(max_length=MAX_ID, description="the document id (any string; quote '/' "
                                          "as %2F or not)"), store: Store = Depends(get_store)) -> dict[str, Any]:
        return _found(queries.document(store, doc), f"no document '{doc}'")

    @app.get("/api/actors", response_model=ItemPage, tags=["actors"], summary="Actors, most often named first")
    def api_actors(kind: str | None = text_query(), q: str | None = Query(None, max_length=200, description="part of a name"),
                   paging: Paging = Depends(), store: Store = Depends(get_store)):
        return queries.actors(store, paging.offset, paging.limit, kind, q)

    @app.get("/api/actors/{actor_id}", tags=["actors"], summary="One actor: roles, facts, promises, articles")
    def api_actor(actor_id: int = PathParam(ge=0, le=2**62), store: Store = Depends(get_store),
                  as_of: dt.date = Depends(get_as_of)) -> dict[str, Any]:
        return _found(queries.actor(store, actor_id, as_of), f"no actor {actor_id}")

    @app.get("/api/changes", tags=["tracker"],
             summary="What the documents stored since a date or the latest run changed (new and revised promises, "
                     "status changes, new conflicts)")
    def api_changes(since: str | None = since_query(), store: Store = Depends(get_store),
                    as_of: dt.date = Depends(get_as_of)) -> dict[str, Any]:
        return _changes(store, since, as_of)

    @app.get("/api/search", response_model=ItemPage, tags=["search"],
             summary="Full-text search over sentences (all the words, accents ignored), with their figures")
    def api_search(q: str = Query(..., max_length=200, description="words to look for"),
                   offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(20, ge=1, le=500),
                   store: Store = Depends(get_store)):
        return queries.search(store, q, offset, limit)


SINCE = r"^(last-run|\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([+-]\d{2}:\d{2}|Z)?)?)$"


def since_query():
    return Query(None, max_length=40, pattern=SINCE,
                 description="YYYY-MM-DD (documents stored from that day on, UTC) or last-run (default: last-run, "
                             "or the whole store when no run is recorded)")


def _changes(store: Store, since: str | None, as_of: dt.date) -> dict[str, Any]:
    from ..errors import InputError
    from ..store.corrections import last_run

    if since is None:
        since = "last-run" if last_run(store) is not None else "1970-01-01"
    try:
        return queries.changes(store, since, as_of)
    except InputError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None


def _pack_filter(pack: str | None) -> str | None:
    """A pack to filter by (issue 17: a store with several packs), or None for all; an unknown name is a 422."""
    from ..domains.packs import available_packs

    if not pack:
        return None
    if pack not in available_packs():
        raise HTTPException(status_code=422, detail=f"pack: must be one of {', '.join(available_packs())}")
    return pack


def _found(record: dict[str, Any] | None, message: str) -> dict[str, Any]:
    if record is None:
        raise HTTPException(status_code=404, detail=message)
    return record


# pages --------------------------------------------------------------------------------------------------

def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_number
    env.filters["val"] = format_value
    env.filters["segment"] = lambda value: quote(str(value), safe="")  # one path segment, whatever the id holds
    env.filters["metric"] = metric_label  # {{ code|metric(lang) }}: the pack's label_fr / label_en
    env.filters["date"] = format_date  # '13 novembre 2025'
    env.filters["deadline_words"] = format_deadline
    env.filters["count"] = lambda n, key, lang: count(n, key, lang)  # '1 source indépendante'
    env.filters["kind"] = lambda kind, lang: KINDS[lang].get(kind, kind)
    env.filters["actor_kind"] = lambda kind, lang: ACTOR_KINDS[lang].get(kind, kind)
    env.filters["removed_reason"] = lambda reason, lang: REMOVED[lang].get(reason, reason)
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def get_lang(request: Request, lang: Lang | None = Query(None, description="page language")) -> str:
    return pick_language(lang, request.cookies.get("lang"))


def render(request: Request, name: str, lang: str, status_code: int = 200, csp: str | None = None,
           store: Store | None = None, **context: Any) -> HTMLResponse:
    """A page in the asked language; the language asked in the address is remembered in a cookie. With the store,
    links to articles show their titles (or first sentence), never their ids."""
    other = "en" if lang == "fr" else "fr"
    response = TEMPLATES.TemplateResponse(request, name, {"titles": queries.titles(store) if store else {},
        "lang": lang, "w": WORDS[lang], "status_words": STATUS[lang], "verdict_words": VERDICT[lang],
        "unit_words": UNITS[lang], "approx_words": APPROX[lang], "other_lang": other,
        "switch_url": here(request, lang=other), "page_url": lambda **params: here(request, **params),
        "count_phrase": count_phrase, **_edit_context(request), **context},
        status_code=status_code)
    if csp:
        response.headers["content-security-policy"] = csp
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _edit_context(request: Request) -> dict[str, Any]:
    """What the correction forms need, only when the server was started with --edit."""
    if not getattr(request.app.state, "edit", False):
        return {"edit": False}
    from ..review_cli import author
    from ..track.corrections import FIELDS

    try:
        by = author(None)
    except Exception:
        by = ""
    return {"edit": True, "csrf": request.app.state.csrf, "default_author": by,
            "commitment_fields": FIELDS["commitment"], "fact_fields": FIELDS["fact"],
            "milestone_fields": FIELDS["milestone"]}


def _add_edit(app: FastAPI) -> None:
    """POST /corrections: one correction from a form of the dashboard (filiere serve --edit only).

    The form must carry this server's CSRF token (a random value made at start, in every form it renders): a page of
    another site cannot know it, so it cannot make a visitor's browser post a correction. The body is read as a
    urlencoded form (at most 20 000 bytes); a bad value gets a 422 naming it; success redirects to the record.
    """
    from secrets import compare_digest
    from urllib.parse import parse_qs

    from fastapi.responses import RedirectResponse

    @app.post("/corrections", include_in_schema=False)
    async def post_correction(request: Request, as_of: dt.date = Depends(get_as_of)) -> Response:
        from ..errors import FiliereError
        from ..review_cli import author, make_corrections
        from ..store import open_store

        body = await request.body()
        if len(body) > 20_000:
            raise HTTPException(status_code=413, detail="form too large")
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
        get = lambda key: (form.get(key) or [""])[0].strip()
        if not compare_digest(get("csrf").encode(), request.app.state.csrf.encode()):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token: reload the page and try again")
        target, ident = get("target"), get("id")
        if target not in ("fact", "milestone", "commitment"):
            raise HTTPException(status_code=422, detail="target: must be fact, milestone or commitment")
        wrong, merge_into, value = get("wrong") == "1", get("merge_into") or None, get("value")
        sets = [f"{get('field')}={value}"] if value and not wrong and not merge_into else []
        store = open_store(request.app.state.db, create=False)
        try:
            make_corrections(store, target, ident, sets, wrong, author(get("by")), get("note") or None,
                             merge_into if target == "commitment" else None, None, as_of)
        except FiliereError as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        finally:
            store.close()
        target_page = get("next")
        if not target_page.startswith("/") or target_page.startswith(("//", "/\\")):
            target_page = "/tracker"
        return RedirectResponse(target_page, status_code=303)


def here(request: Request, **params: Any) -> str:
    """This page's address with these query parameters, relative to this server: the path as the client sent it
    (its quoted characters kept), never the Host header (issue 13, row 16)."""
    raw = request.scope.get("raw_path")
    path = quote(raw, safe=PATH_SAFE) if raw else quote(request.url.path, safe="/")  # ASCII, the client's bytes
    query = request.url.include_query_params(**params).query
    return "/" + path.lstrip("/") + ("?" + query if query else "")  # '//host' would name another server


def _add_pages(app: FastAPI) -> None:
    plotly_js = _plotly_js()

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def vendor_plotly() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"cache-control": "max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_overview(request: Request, store: Store = Depends(get_store), as_of: dt.date = Depends(get_as_of),
                      lang: str = Depends(get_lang)):
        return render(request, "overview.html", lang, store=store, data=queries.overview(store, as_of),
                      metrics=store.distinct("metric"), as_of=as_of)

    @app.get("/tracker", response_class=HTMLResponse, include_in_schema=False)
    def page_tracker(request: Request, subject: str | None = text_query(), metric: str | None = text_query(),
                     status: Status | Literal[""] | None = None, pack: str | None = text_query(),
                     paging: Paging = Depends(), store: Store = Depends(get_store),
                     as_of: dt.date = Depends(get_as_of), lang: str = Depends(get_lang)):
        pack = _pack_filter(pack)
        data = queries.commitments(store, as_of, subject or None, metric or None, status or None, paging.offset,
                                   paging.limit, pack=pack)
        every = queries.commitments(store, as_of, limit=10**6, pack=pack)["items"]
        by_subject: dict[str, list] = {}
        for c in every:
            by_subject.setdefault(c["subject"], []).append(c)
        return render(request, "tracker.html", lang, store=store, data=data, paging=paging, as_of=as_of, by_subject=by_subject,
                      chains=queries.revision_chains(every), subjects=sorted({c["subject"] for c in every}),
                      metrics=sorted({c["metric"] for c in every if c["metric"]}), statuses=list(STATUS["en"]),
                      chosen={"subject": subject, "metric": metric, "status": status, "pack": pack},
                      packs=store.packs(),
                      conflicts=queries.conflicts(store, as_of, subject or None, metric or None, limit=500,
                                                  pack=pack)["items"])

    @app.get("/metrics/{metric}", response_class=HTMLResponse, include_in_schema=False)
    def page_metric(request: Request, metric: str = PathParam(max_length=200), store: Store = Depends(get_store),
                    as_of: dt.date = Depends(get_as_of), lang: str = Depends(get_lang)):
        data = _found(queries.metric_view(store, metric, as_of), f"no figures for metric '{metric}'")
        chart = chart_data(data, lang, queries.titles(store))
        return render(request, "metric.html", lang, store=store, csp=CHART_CSP, data=data, chart=chart, as_of=as_of,
                      definition=metric_definition(metric, lang))

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def page_documents(request: Request, q: str | None = text_query(), pack: str | None = text_query(),
                       paging: Paging = Depends(), store: Store = Depends(get_store), lang: str = Depends(get_lang)):
        pack = _pack_filter(pack)
        return render(request, "documents.html", lang, store=store,
                      data=queries.documents(store, paging.offset, paging.limit, q, pack),
                      paging=paging, q=q, packs=store.packs(), chosen_pack=pack)

    @app.get("/documents/{doc:anytext}", response_class=HTMLResponse, include_in_schema=False)
    def page_document(request: Request, doc: str = PathParam(max_length=MAX_ID), store: Store = Depends(get_store),
                      lang: str = Depends(get_lang)):
        data = _found(queries.document(store, doc), f"no document '{doc}'")
        pieces = queries.highlight(data["text"], data["facts"] + data["milestones"])
        return render(request, "document.html", lang, store=store, data=data, pieces=pieces)

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def page_actors(request: Request, kind: str | None = text_query(), q: str | None = text_query(), paging: Paging = Depends(),
                    store: Store = Depends(get_store), lang: str = Depends(get_lang)):
        return render(request, "actors.html", lang, store=store, data=queries.actors(store, paging.offset, paging.limit,
                                                                         kind or None, q or None),
                      paging=paging, q=q, kind=kind)

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_actor(request: Request, actor_id: int = PathParam(ge=0, le=2**62), store: Store = Depends(get_store),
                   as_of: dt.date = Depends(get_as_of), lang: str = Depends(get_lang)):
        data = _found(queries.actor(store, actor_id, as_of), f"no actor {actor_id}")
        return render(request, "actor.html", lang, store=store, data=data)

    @app.get("/changes", response_class=HTMLResponse, include_in_schema=False)
    def page_changes(request: Request, since: str | None = since_query(), store: Store = Depends(get_store),
                     as_of: dt.date = Depends(get_as_of), lang: str = Depends(get_lang)):
        return render(request, "changes.html", lang, store=store, data=_changes(store, since, as_of), as_of=as_of, since=since)

    @app.get("/feed.atom", include_in_schema=False)
    def feed_atom(since: str | None = since_query(), store: Store = Depends(get_store),
                  as_of: dt.date = Depends(get_as_of)) -> Response:
        from .feed import atom

        return Response(atom(_changes(store, since, as_of)), media_type="application/atom+xml; charset=utf-8")

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: str | None = text_query(), paging: Paging = Depends(),
                    store: Store = Depends(get_store), lang: str = Depends(get_lang)):
        data = queries.search(store, q, paging.offset, min(paging.limit, 100)) if q else {"items": [], "total": 0}
        return render(request, "search.html", lang, store=store, data=data, paging=paging, q=q,
                      groups=queries.group_hits(data["items"], q))


def chart_data(data: dict[str, Any], lang: str, titles: dict[str, str]) -> dict[str, Any]:
    """What chart.js draws, all words and numbers already written for the language: per unit, per series (a
    subject and its scope, actual or target) the line through one value a year and one marker trace per source;
    targets are their own series, at their deadline. Hover texts are escaped here (plotly reads a little HTML)."""
    facts = {f["id"]: f for f in data["facts"]}
    units: dict[str, dict[str, Any]] = {}
    for s in data["series"]:
        unit = units.setdefault(s["unit"], {"unit": s["unit"], "title": UNITS[lang].get(s["unit"], s["unit"]),
                                            "series": []})
        target = s["kind"] == "target"
        name = f"{s['label']} — {WORDS[lang]['chart_target' if target else 'chart_actual']}"
        sources: dict[str, dict[str, Any]] = {}
        for p in s["points"]:
            f = facts.get(p["id"], {})
            source = f.get("claimed_by") or titles.get(p["doc"]) or p["doc"]
            short = source if len(source) <= 28 else source[:28].rsplit(" ", 1)[0] + "…"
            quote = (f.get("evidence") or {}).get("text", "")
            quote = quote if len(quote) <= 160 else quote[:160].rsplit(" ", 1)[0] + "…"
            value = format_value(p["value"], s["unit"], p["approx"], lang)
            when = f"{WORDS[lang]['by_year']} {p['year']}" if target else str(p["year"])
            lines = [f"<b>{escape(value)}</b> ({escape(when)})", f"« {escape(quote)} »" if lang == "fr" else
                     f"“{escape(quote)}”", escape(f"{WORDS[lang]['claimed_by']} {source}" if f.get("claimed_by")
                                                  else titles.get(p["doc"], p["doc"]))]
            if p.get("date"):
                lines.append(escape(format_date(p["date"], lang)))
            if p.get("verdict"):
                lines.append(escape(VERDICT[lang].get(p["verdict"], p["verdict"])))
            entry = sources.setdefault(short, {"name": short, "x": [], "y": [], "hover": []})
            entry["x"].append(p["year"])
            entry["y"].append(p["value"])
            entry["hover"].append("<br>".join(_wrap(line) for line in lines))
        unit["series"].append({"name": name, "kind": s["kind"], "line": {"x": [p["year"] for p in s["line"]],
                                                                         "y": [p["value"] for p in s["line"]]},
                               "sources": list(sources.values())})
    scales = [[1e9, "Md" if lang == "fr" else "bn"], [1e6, "M"]]
    return {"lang": lang, "units": list(units.values()), "scales": scales,
            "decimal": "," if lang == "fr" else ".", "group": "\u202f" if lang == "fr" else ",",
            "words": {"year": WORDS[lang]["year"], "sources": WORDS[lang]["sources"]}}


def _wrap(text: str, width: int = 60) -> str:
    """A hover line broken at words every ~width characters (plotly never wraps)."""
    out, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return "<br>".join(out)


def _plotly_js() -> Path:
    """plotly.min.js as the plotly wheel ships it (package data), served by this app: no CDN, works offline."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


# errors -------------------------------------------------------------------------------------------------

def _add_errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        lang = pick_language(request.query_params.get("lang"), request.cookies.get("lang"))
        messages = list(dict.fromkeys(_bad_value(str(e["loc"][1] if len(e["loc"]) > 1 else e["loc"][0]),
                                                 e.get("input"), lang) for e in exc.errors()))
        return _error_page(request, 422, messages)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code == 405:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        lang = pick_language(request.query_params.get("lang"), request.cookies.get("lang"))
        return _error_page(request, exc.status_code, [_detail_words(str(exc.detail), lang)])

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        """A fault of ours: logged on the server's stderr, and a 500 that says nothing of it to the client."""
        log.error("%s", printable(f"{request.method} {request.url.path}: {type(exc).__name__}: {exc}"))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal server error"}, status_code=500)
        try:
            lang = pick_language(request.query_params.get("lang"), request.cookies.get("lang"))
            return _error_page(request, 500, [_detail_words("internal server error", lang)])
        except Exception:  # the page itself cannot be drawn: plain text
            return Response("internal server error", status_code=500, media_type="text/plain")


ERROR_WORDS = {"fr": (("no document ", "aucun article "), ("no figures for metric ", "aucun chiffre pour l'indicateur "),
                       ("no actor ", "aucun acteur "), ("Not Found", "page introuvable"),
                       ("internal server error", "erreur interne du serveur"))}


def _detail_words(detail: str, lang: str) -> str:
    """An error's detail in the page's language (the API keeps the English one)."""
    for english, words in ERROR_WORDS.get(lang, ()):
        if detail.startswith(english):
            return words + detail[len(english):]
    return detail


def _bad_value(field: str, value: Any, lang: str) -> str:
    """A bad parameter of a page, said for people: which parameter, which value."""
    shown = "" if value is None or isinstance(value, dict) else str(value)[:200]
    if lang == "fr":
        return f"paramètre « {field} » : la valeur « {shown} » ne convient pas"
    return f"parameter '{field}': the value '{shown}' does not fit"


def _error_page(request: Request, status_code: int, messages: list[str]) -> HTMLResponse:
    lang = pick_language(request.query_params.get("lang"), request.cookies.get("lang"))
    return render(request, "error.html", lang, status_code=status_code, messages=messages, code=status_code)
