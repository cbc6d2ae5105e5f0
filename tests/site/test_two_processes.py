"""Two web processes behave as one: two real gunicorn servers with the production settings
on the same database and the same Redis. A rate limit hit on one holds on the other, a
person logged in through one is logged in on the other, and a page cached by one is served
by the other."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from .test_settings import REPO, clean_env

REDIS = ("127.0.0.1", 6379)
HOST = "frivillig.dragoer.test"


def redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    cfg = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{cfg['NAME']}"
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else "")
    return f"postgres://{auth}@{cfg['HOST'] or 'localhost'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser's cookie jar, kept by hand: the production cookies are Secure, which
    Python's jar would not send over the loopback's plain HTTP."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, base: str, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Behind a load balancer every process sees the site's own host name.
        req = urllib.request.Request(base + path, data=body, headers={"Host": HOST})  # noqa: S310
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(req, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read().decode()

    def post_form(self, base: str, path: str, fields: dict):
        status, _, html = self.request(base, path)
        assert status == 200, html[-500:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(base, path, {"csrfmiddlewaretoken": token, **fields})


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production serves hashed, compressed static files from a collected folder."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "site/manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        check=True,
        timeout=600,
        env={
            **clean_env(),
            "DJANGO_SETTINGS_MODULE": "dragoer.settings.production",
            "SECRET_KEY": "collectstatic-only-" + "x" * 40,
            "STATIC_ROOT": str(root),
        },
    )
    return root


@pytest.fixture
def two_servers(servers, site_tree):
    return servers


@pytest.fixture(scope="module")
def servers(static_root, django_db_setup, django_db_blocker):
    """Started once for the module; each test's committed rows are what they serve."""
    prefix = f"twoproc-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        test_database_url = database_url()
    env = {
        **clean_env(),
        "PYTHONPATH": f"{REPO / 'site'}:{REPO}",
        "DJANGO_SETTINGS_MODULE": "dragoer.settings.production",
        "SECRET_KEY": "two-processes-share-this-secret-" + "x" * 30,
        "DATABASE_URL": test_database_url,
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "CACHE_KEY_PREFIX": prefix,
        "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(static_root),
        "GUNICORN_ACCESS_LOG": "0",
        "LOG_LEVEL": "WARNING",
    }
    servers, bases = [], []
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    str(REPO / "site" / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for server, base in zip(servers, bases, strict=True):
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)
            server.stderr.close()
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/3")
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def verified_user(user_factory, email, password="rigtig-adgangskode-42"):
    user = user_factory(email=email)
    # Hashed as production hashes (the test settings' fast MD5 hasher is not accepted there).
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_a_rate_limit_hit_on_one_process_holds_on_the_other(two_servers, user_factory):
    first, second = two_servers
    verified_user(user_factory, "grethe@example.org")
    visitor = Visitor()
    for _ in range(5):
        status, _, html = visitor.post_form(
            first, "/konto/login/", {"login": "grethe@example.org", "password": "forkert"}
        )
        assert status == 200
        assert "mislykkede logonforsøg" not in html
    # The sixth wrong attempt goes to the other process: it knows about the first five.
    status, _, html = Visitor().post_form(
        second, "/konto/login/", {"login": "grethe@example.org", "password": "forkert"}
    )
    assert "For mange forsøg på at logge ind. Prøv igen om lidt." in html


def test_a_person_logged_in_through_one_process_is_logged_in_on_the_other(
    two_servers, user_factory
):
    first, second = two_servers
    verified_user(user_factory, "aksel@example.org")
    visitor = Visitor()
    status, _, html = visitor.post_form(
        first, "/konto/login/", {"login": "aksel@example.org", "password": "rigtig-adgangskode-42"}
    )
    assert status == 302, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.find("<main") :]))[
        :400
    ]
    status, _, html = visitor.request(second, "/mine-sider/")
    assert status == 200
    assert "aksel@example.org" in html
    stranger_status, stranger_headers, _ = Visitor().request(second, "/mine-sider/")
    assert stranger_status == 302 and "/konto/login/" in stranger_headers["Location"]


def test_a_page_cached_by_one_process_is_served_by_the_other(two_servers):
    first, second = two_servers
    status, headers, html = Visitor().request(first, "/frivillig/")
    assert status == 200 and headers["X-Page-Cache"] == "miss"
    status, headers, cached = Visitor().request(second, "/frivillig/")
    assert status == 200 and headers["X-Page-Cache"] == "hit"
    assert cached == html
