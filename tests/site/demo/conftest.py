"""The app fixtures the demo's tests build on."""

from tests.initiativpris.conftest import prize_pages  # noqa: F401
