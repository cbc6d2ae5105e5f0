"""The container files hold the basics a hosting partner checks (hadolint-style): a pinned
base image, a non-root user, no build tools and no secrets in the final image, and a
compose file with every process. (Building the image needs a Docker daemon: see README.)"""

import re

import yaml

from .test_settings import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text()


def stages() -> list[str]:
    return re.split(r"^FROM ", DOCKERFILE, flags=re.M)[1:]


def test_the_base_image_is_pinned_to_a_release():
    image = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, re.M).group(1)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", image)
    assert ":latest" not in DOCKERFILE


def test_the_final_stage_runs_as_a_user_without_build_tools_or_secrets():
    final = stages()[-1]
    assert "build-essential" not in final and "gcc" not in final
    user = re.findall(r"^USER (\S+)$", final, re.M)
    assert user == ["frivillig"]
    assert final.index("USER frivillig") < final.index("CMD ")
    for line in re.findall(r"^(?:ENV|ARG) .*$", DOCKERFILE, re.M):
        assert not re.search(r"SECRET|PASSWORD|TOKEN|DSN", line), line
    assert "collectstatic-only-not-a-secret" in final  # only for collectstatic, not kept


def test_compose_runs_every_process_on_postgresql_and_redis():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "scheduler"} <= set(services)
    assert services["worker"]["command"][-3:] == ["db_worker", "--queue-name", "*"]
    assert services["scheduler"]["command"][-1] == "run_scheduler"
    assert "SECRET_KEY" in services["web"]["environment"]
    assert services["web"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")
