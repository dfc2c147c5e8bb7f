"""moto's server mode, started for one rehearsal on 127.0.0.1 and a port the OS picks.

The server runs in its own process (`python -m generator.rehearsal.moto`), which binds port 0
and prints the port it got, so concurrent rehearsals (and other people's tests on the same
machine) never race for a fixed port. It speaks HTTPS with a certificate made for it (clients
trust it through AWS_CA_BUNDLE): moto enforces bucket policies, and the state bucket's policy
refuses anything but TLS, as it should. IAM's AWS-managed policies are loaded (the stacks
attach `ReadOnlyAccess` and service-role policies), and Lambda checks that an image exists in
moto's ECR, as AWS does: a function created before its image fails there too.
"""

from __future__ import annotations

import datetime
import importlib.util
import ipaddress
import json
import os
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import TracebackType

from generator.errors import ToolFailedError

#: moto's settings for a rehearsal (environment of the server process).
SERVER_ENV = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
    "MOTO_LAMBDA_STUB_ECR": "false",
}


def missing() -> str | None:
    """Why moto's server cannot run here (None when it can)."""
    for module, package in (("moto", "moto[server]"), ("flask", "moto[server]")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install 'scaffold-services[rehearsal]')"
    return None


class MotoServer:
    """A running moto server: `url`, `reset()`; a context manager that stops it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.log = folder / "moto.log"
        self.ca_bundle = folder / "moto-cert.pem"
        self.process: subprocess.Popen[str] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The server's endpoint, for every AWS service."""
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        """Start the server and wait for its port."""
        key = self.folder / "moto-key.pem"
        _certificate(self.ca_bundle, key)
        env = {**os.environ, **SERVER_ENV}
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "generator.rehearsal.moto", str(self.ca_bundle), str(key)],
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=env,
            )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # the port, or nothing when the server died
        if not line.strip().isdigit():
            self.stop()
            raise ToolFailedError(f"moto did not start: {self.log.read_text(encoding='utf-8')}")
        self.port = int(line)
        return self

    def reset(self) -> None:
        """Forget every resource (POST /moto-api/reset)."""
        self._post("/moto-api/reset", b"")

    def set_transition(self, model: str, progression: str) -> None:
        """Set how one of moto's models moves through its states (e.g. ECS tasks)."""
        body = json.dumps({"model_name": model, "transition": {"progression": progression}})
        self._post("/moto-api/state-manager/set-transition", body.encode())

    def _post(self, path: str, body: bytes) -> None:
        context = ssl.create_default_context(cafile=str(self.ca_bundle))
        request = urllib.request.Request(f"{self.url}{path}", data=body, method="POST")
        with urllib.request.urlopen(request, timeout=30, context=context) as answer:
            answer.read()

    def stop(self) -> None:
        """Stop the server process."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def _certificate(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost (cryptography comes with moto)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "scaffold rehearsal moto")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _serve(cert: str, key: str) -> None:
    """The server process: bind 127.0.0.1:0 over TLS, print the port, serve until stopped."""
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        "127.0.0.1",
        0,
        app,
        threaded=True,
        request_handler=MotoRequestHandler,
        ssl_context=(cert, key),
    )
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2])
