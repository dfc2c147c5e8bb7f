"""The v1 API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_greeting_names_the_caller_and_the_service(client: TestClient) -> None:
    response = client.get("/v1/greetings/Ada")

    assert response.status_code == 200
    assert response.json() == {"message": "Hello, Ada!", "service": "orders-api"}


def test_greeting_rejects_an_overlong_name(client: TestClient) -> None:
    response = client.get("/v1/greetings/" + "a" * 65)

    assert response.status_code == 422


def test_openapi_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    assert schema["info"]["title"] == "orders-api"
    assert "/v1/greetings/{name}" in schema["paths"]
