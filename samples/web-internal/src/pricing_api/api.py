"""The service's own API, version 1: add your endpoints here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from pricing_api.dependencies import SettingsDep

router = APIRouter(prefix="/v1", tags=["v1"])


class Greeting(BaseModel):
    """A greeting from this service."""

    message: str
    service: str


#: Spelled out in ASCII: Python reads `\w` as any Unicode letter, while OpenAPI clients apply
#: the published pattern with JSON Schema's (ECMA-262) ASCII-only `\w`, and the two would differ.
NAME_PATTERN = r"^[A-Za-z0-9_ .'-]+$"


@router.get("/greetings/{name}")
async def get_greeting(
    name: Annotated[str, Path(min_length=1, max_length=64, pattern=NAME_PATTERN)],
    settings: SettingsDep,
) -> Greeting:
    """Greet `name`: an example endpoint showing validation, dependencies and a typed response."""
    return Greeting(message=f"Hello, {name}!", service=settings.service_name)
