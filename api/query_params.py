"""One value for each query parameter a route declares as a single value.

``?limit=5&limit=500`` has no one meaning: FastAPI silently keeps the last value, a proxy or
a cache in front may read the first. Such a request is refused (422) instead of guessed at.
Parameters a route does not declare are ignored, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.errors import ApiError

__all__ = ["single_query_values"]

_SEQUENCES = (list, tuple, set, frozenset)


async def single_query_values(request: Request) -> None:
    """A router dependency: 422 when a single-valued query parameter comes more than once."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    single = _single_valued(route)
    seen: set[str] = set()
    for name, _ in request.query_params.multi_items():
        if name in single and name in seen:
            raise ApiError(
                422,
                "validation_error",
                f"查询参数 {name} 只能出现一次。",
                f"The query parameter {name} may appear only once.",
                field=f"query.{name}",
            )
        seen.add(name)


def _single_valued(route: APIRoute) -> frozenset[str]:
    return frozenset(
        param.alias
        for param in _query_params(route.dependant)
        if not _is_sequence(param.field_info.annotation)
    )


def _query_params(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for sub in dependant.dependencies:
        yield from _query_params(sub)


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Union or origin is UnionType:
        return any(_is_sequence(arg) for arg in get_args(annotation))
    return origin in _SEQUENCES or annotation in _SEQUENCES
