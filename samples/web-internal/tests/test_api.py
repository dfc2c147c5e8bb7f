"""The v1 API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


def test_greeting_names_the_caller_and_the_service(client: TestClient) -> None:
    response = client.get("/v1/greetings/Ada")

    assert response.status_code == 200
    assert response.json() == {"message": "Hello, Ada!", "service": "pricing-api"}


def test_greeting_rejects_an_overlong_name(client: TestClient) -> None:
    response = client.get("/v1/greetings/" + "a" * 65)

    assert response.status_code == 422


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    assert schema["info"]["title"] == "pricing-api"
    assert "/v1/greetings/{name}" in schema["paths"]


@pytest.mark.parametrize("name", ["Ada", "O'Brien", "Jean-Luc Picard", "Zoë", "名前", "a/b"])
def test_the_server_accepts_exactly_what_the_published_pattern_allows(
    client: TestClient, name: str
) -> None:
    # Clients validate with the OpenAPI document's pattern as JSON Schema defines it
    # (ECMA-262, where \\w is ASCII): the server must agree on every name.
    schema = client.get("/openapi.json").json()
    (parameter,) = schema["paths"]["/v1/greetings/{name}"]["get"]["parameters"]
    pattern = parameter["schema"]["pattern"]
    allowed_by_clients = re.search(pattern, name, flags=re.ASCII) is not None

    response = client.get(f"/v1/greetings/{name}")

    assert (response.status_code == 200) is allowed_by_clients, (name, pattern)
