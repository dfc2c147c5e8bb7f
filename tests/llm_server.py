"""A local OpenAI-compatible server for the LLM tests: real HTTP, scripted answers.

Each request to `/v1/chat/completions` takes the next step of the script (or asks the
`responder` when the script is empty):

- `answer(content, finish_reason="stop", refusal=None)`: a chat completion;
- `status(code, message)`: an HTTP error with an OpenAI-style error body;
- `delay(seconds, then)`: wait, then do the step `then` (a timeout when the client gives up).

Every request body is kept in `requests`, so tests can look at what went over the wire.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = dict[str, Any]


def answer(
    content: str | dict[str, Any], finish_reason: str = "stop", refusal: str | None = None
) -> Step:
    text = content if isinstance(content, str) else json.dumps(content)
    return {"kind": "answer", "content": text, "finish_reason": finish_reason, "refusal": refusal}


def status(code: int, message: str = "error") -> Step:
    return {"kind": "status", "code": code, "message": message}


def delay(seconds: float, then: Step) -> Step:
    return {"kind": "delay", "seconds": seconds, "then": then}


class ScriptedServer:
    def __init__(self) -> None:
        self.script: deque[Step] = deque()
        self.requests: list[dict[str, Any]] = []
        self.responder: Callable[[dict[str, Any]], Step] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                if server.script:
                    step = server.script.popleft()
                elif server.responder is not None:
                    step = server.responder(body)
                else:
                    step = status(500, "script exhausted")
                self._do(step, body)

            def _do(self, step: Step, body: dict[str, Any]) -> None:
                if step["kind"] == "delay":
                    time.sleep(step["seconds"])
                    self._do(step["then"], body)
                    return
                if step["kind"] == "status":
                    payload = {"error": {"message": step["message"], "type": "server_error"}}
                    self._send(step["code"], payload)
                    return
                content = step["content"]
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "test"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {
                                "role": "assistant",
                                "content": content,
                                "refusal": step["refusal"],
                            },
                            "finish_reason": step["finish_reason"],
                        }
                    ],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
                }
                self._send(200, payload)

            def _send(self, code: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def add(self, *steps: Step) -> None:
        self.script.extend(steps)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
