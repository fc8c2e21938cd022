"""A real OpenID Connect provider for the sign-in tests (tests/oidc_provider, django-oauth-toolkit
under gunicorn) on a free port of 127.0.0.1, with its users and one confidential client; and
a scripted browser (requests) that signs in and out at it as a person would."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from tests import processes
from tests.azurite import free_port

SETTINGS = "tests.oidc_provider.settings"
TIMEOUT = 30  # seconds for any one request to the provider
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInFailed(AssertionError):
    """The provider did not send the browser back to the application."""


@dataclass
class Provider:
    """The running provider: where it is, the client registered at it, and its test controls."""

    base_url: str  # http://127.0.0.1:PORT, without a trailing slash
    client_id: str
    client_secret: str
    workdir: Path
    control_token: str
    browser: requests.Session = field(default_factory=requests.Session)  # of the last sign-in

    @property
    def issuer(self) -> str:
        """The issuer exactly as in the discovery document and the tokens' `iss` (no slash)."""
        return f"{self.base_url}/o"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict[str, Any]:
        """The discovery document."""
        response = requests.get(self.discovery_url, timeout=TIMEOUT)
        response.raise_for_status()
        return dict(response.json())

    def log(self) -> str:
        """What the provider's processes wrote (for a failing test's message)."""
        return "\n".join(p.read_text() for p in sorted(self.workdir.glob("*.log")))

    def set_faults(self, **flags: bool) -> None:
        """Break the ID tokens issued from now on: tamper, expired, wrong_key; none resets."""
        self._control("/test/faults/", flags)

    def add_user(
        self,
        *,
        username: str,
        password: str,
        email: str = "",
        first_name: str = "",
        last_name: str = "",
        groups: Iterable[str] = (),
    ) -> None:
        """Create (or overwrite) a user at the provider."""
        self._control(
            "/test/users/",
            {
                "username": username,
                "password": password,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "groups": list(groups),
            },
        )

    def set_groups(self, username: str, groups: Iterable[str]) -> None:
        """Make `groups` exactly the user's groups, from the next token or userinfo on."""
        self._control("/test/users/", {"username": username, "groups": list(groups)})

    def sign_in(self, authorize_url: str, username: str, password: str) -> str:
        """Open the application's authorize URL in a fresh browser, sign in with the form, and
        return the URL the provider sends the browser back to (the callback, with `code` and
        `state`, or with `error`), without following it; SignInFailed if it sends none."""
        self.browser = requests.Session()
        response = self.browser.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
        submitted = False
        for _ in range(10):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if not self._is_mine(location):
                    return location
                response = self.browser.get(location, allow_redirects=False, timeout=TIMEOUT)
                continue
            found = CSRF_FIELD.search(response.text) if response.status_code == 200 else None
            if found is None or submitted:
                refused = "the sign-in form was shown again" if submitted else "no sign-in form"
                raise SignInFailed(
                    f"{refused}: {response.status_code} at {response.url}\n{response.text[:2000]}"
                )
            response = self.browser.post(
                response.url,
                data={
                    "csrfmiddlewaretoken": found.group(1),
                    "username": username,
                    "password": password,
                },
                headers={"Referer": response.url},
                allow_redirects=False,
                timeout=TIMEOUT,
            )
            submitted = True
        raise SignInFailed(f"too many redirects at the provider, last at {response.url}")

    def logout_url_followed(self, url: str) -> str:
        """Open the end-session URL in the last sign-in's browser; where the provider sends
        it back to (the post_logout_redirect_uri, with `state` if given)."""
        response = self.browser.get(url, allow_redirects=False, timeout=TIMEOUT)
        for _ in range(10):
            if not response.is_redirect:
                raise SignInFailed(
                    f"the provider did not sign out: {response.status_code} at {response.url}\n"
                    f"{response.text[:2000]}"
                )
            location = urljoin(response.url, response.headers["Location"])
            if not self._is_mine(location):
                return location
            response = self.browser.get(location, allow_redirects=False, timeout=TIMEOUT)
        raise SignInFailed(f"too many redirects at the provider, last at {response.url}")

    def _is_mine(self, url: str) -> bool:
        return url.startswith(f"{self.base_url}/")

    def _control(self, path: str, body: dict[str, Any]) -> None:
        response = requests.post(
            f"{self.base_url}{path}",
            json=body,
            headers={"X-Control-Token": self.control_token},
            timeout=TIMEOUT,
        )
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text}")


@contextmanager
def running_provider(
    *, redirect_uri: str, post_logout_redirect_uri: str, users: list[dict[str, Any]]
) -> Iterator[Provider]:
    """The provider, with `users` (dicts of username, password, email, first_name, last_name,
    groups) and a confidential RS256 client for the application, until the block ends."""
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as folder:
        workdir = Path(folder)
        base_url = f"http://127.0.0.1:{free_port()}"
        client_id, client_secret = f"app-{secrets.token_hex(8)}", secrets.token_urlsafe(32)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "OIDC_PROVIDER_DIR": folder,
            "OIDC_PROVIDER_ISSUER": f"{base_url}/o",
        }
        config = workdir / "setup.json"
        config.write_text(
            json.dumps(
                {
                    "users": users,
                    "application": {
                        "client_id": client_id,
                        "client_secret": client_secret,
                        "redirect_uris": [redirect_uri],
                        "post_logout_redirect_uris": [post_logout_redirect_uri],
                    },
                }
            )
        )
        setup = processes.start(
            workdir / "setup.log", env, "django", "oidc_provider_setup", str(config)
        )
        if setup.wait(timeout=120) != 0:
            raise RuntimeError(
                f"the provider's setup failed:\n{(workdir / 'setup.log').read_text()}"
            )
        server = processes.start(
            workdir / "server.log",
            env,
            "gunicorn",
            "tests.oidc_provider.wsgi",
            f"--bind={base_url.removeprefix('http://')}",
            "--workers=1",
            "--threads=4",
            "--graceful-timeout=5",
            "--no-control-socket",  # its default path is one per machine, as test_two_nodes says
            "--access-logfile=-",
        )
        try:
            provider = Provider(
                base_url=base_url,
                client_id=client_id,
                client_secret=client_secret,
                workdir=workdir,
                control_token=(workdir / "control-token").read_text(),
            )
            _wait_for(provider, server)
            yield provider
        finally:
            processes.stop([server])


def _wait_for(provider: Provider, server: subprocess.Popen) -> None:
    """Return once the discovery document answers; fail, with the log, if it does not in 60 s."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the provider stopped:\n{provider.log()[-4000:]}")
        try:
            if requests.get(provider.discovery_url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the provider did not answer within 60 s:\n{provider.log()[-4000:]}")
