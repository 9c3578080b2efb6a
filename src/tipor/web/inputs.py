"""Checks every request passes before any handler runs: no NUL characters in any text (query,
path, form or JSON) and no integer path or query parameter outside the database's range.

PostgreSQL cannot store NUL in text and refuses integers above 2**31 - 1; both used to surface
as 500s. One app-wide dependency refuses them with 422 naming the field, for every route.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from tipor.exceptions import ValidationFailed
from tipor.fields import MAX_INT
from tipor.i18n import messages, normalise, translate
from tipor.web.deps import LANG_COOKIE

MIN_INT = -(2**31)


def request_lang(request: Request) -> str:
    """The language for messages: the signed-in user's if known yet, else the cookie's."""
    return getattr(request.state, "lang", None) or normalise(request.cookies.get(LANG_COOKIE))


def error_message(error: dict[str, Any], lang: str) -> str:
    """A pydantic error in ``lang`` when tipor has a label for its type, else pydantic's text."""
    kind = str(error.get("type", ""))
    key = kind if kind.startswith("input.") else f"input.{kind}"
    if key not in messages("en"):
        return str(error.get("msg", ""))
    values = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return translate(key, lang, **values)
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_is_int(arg) for arg in get_args(annotation))
    return False


def _int_fields(dependant: Dependant) -> Iterator[tuple[str, str]]:
    yield from (("path", f.alias) for f in dependant.path_params
                if _is_int(f.field_info.annotation))
    yield from (("query", f.alias) for f in dependant.query_params
                if _is_int(f.field_info.annotation))
    for sub in dependant.dependencies:
        yield from _int_fields(sub)


def int_params(route: APIRoute) -> tuple[tuple[str, str], ...]:
    """(where, name) of every integer path or query parameter of ``route`` (kept on it)."""
    found: tuple[tuple[str, str], ...] | None = getattr(route, "_tipor_int_params", None)
    if found is None:
        found = tuple(dict.fromkeys(_int_fields(route.dependant)))
        route._tipor_int_params = found  # type: ignore[attr-defined]
    return found


def _out_of_range(request: Request) -> Iterator[tuple[str, str]]:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    for where, name in int_params(route):
        raw = ([request.path_params.get(name)] if where == "path"
               else request.query_params.getlist(name))
        for value in raw:
            try:
                number = int(str(value))
            except ValueError:
                continue  # not a number at all: FastAPI's own validation names it
            if not MIN_INT <= number <= MAX_INT:
                yield name, str(value)


def nul_paths(value: Any, path: str) -> Iterator[str]:
    """Paths (``a.b.0``) inside a decoded JSON value whose text holds a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                yield child
            else:
                yield from nul_paths(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}.{index}" if path else str(index))


async def _nul_fields(request: Request) -> list[str]:
    found = [f"query.{k}" for k, v in request.query_params.multi_items() if "\x00" in k + v]
    found += [f"path.{k}" for k, v in request.path_params.items() if "\x00" in str(v)]
    kind = request.headers.get("content-type", "")
    route = request.scope.get("route")
    if "json" in kind and getattr(route, "body_field", None) is not None:
        try:
            found += list(nul_paths(await request.json(), ""))  # parsed and cached by FastAPI
        except ValueError:
            pass  # an empty body: nothing to check
    elif request.method not in ("GET", "HEAD") and ("form" in kind):
        for key, value in (await request.form()).multi_items():
            text = (value.filename or "") if isinstance(value, UploadFile) else value
            if "\x00" in key + text:
                found.append(key)
    return found


async def guard_inputs(request: Request) -> None:
    """Refuse NUL characters and out-of-range integers with 422 naming each field."""
    lang = request_lang(request)
    problems = [(name, translate("input.int_range", lang, field=name, value=value, low=MIN_INT,
                                 high=MAX_INT)) for name, value in _out_of_range(request)]
    problems += [(name, translate("input.nul", lang, field=name))
                 for name in await _nul_fields(request)]
    if problems:
        raise ValidationFailed("; ".join(message for _, message in problems), problems)
