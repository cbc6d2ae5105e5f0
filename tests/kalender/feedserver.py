"""A real HTTP server on 127.0.0.1 serving calendars the test writes (issue #23): the pages,
the task and the browser test link a feed from it as an association would link theirs.
``build_feed`` writes a small iCalendar body with dates relative to today, so the tests do
not age."""

from __future__ import annotations

import datetime
import hashlib
import http.server
import threading
import zoneinfo

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        found = self.server.bodies.get(self.path)
        if found is None:
            body, kind = b"Not found", "text/plain"
            self.send_response(404)
        else:
            body, kind = found
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: dict[str, tuple[bytes, str]] = {}
        self.requests: list[str] = []

    def put(self, path: str, body: bytes | str, kind: str = "text/calendar; charset=utf-8"):
        self.bodies[path] = (body.encode() if isinstance(body, str) else body, kind)
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def start(self) -> FeedServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def build_feed(events: list[tuple[str, datetime.datetime, datetime.datetime, str]]) -> str:
    """A calendar as Google writes one (X-WR-TIMEZONE, a VTIMEZONE, local times with TZID)
    of (uid, start, end, title) tuples; ``start`` and ``end`` are aware."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "X-WR-CALNAME:Forening",
        "X-WR-TIMEZONE:Europe/Copenhagen",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Copenhagen",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    for uid, start, end, title in events:
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART;TZID=Europe/Copenhagen:{start.astimezone(CPH):%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Copenhagen:{end.astimezone(CPH):%Y%m%dT%H%M%S}",
            "DTSTAMP:20261201T090000Z",
            f"UID:{uid}",
            f"SUMMARY:{title}",
            "LOCATION:Klubhuset\\, Hollænderdybet 2\\, 2791 Dragør",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def coming_evenings(count: int, *, hour: int = 19, first_in_days: int = 7):
    """``count`` evenings at ``hour`` in Copenhagen, a week apart, from ``first_in_days``."""
    today = datetime.datetime.now(CPH).date()
    return [
        datetime.datetime.combine(
            today + datetime.timedelta(days=first_in_days + 7 * i), datetime.time(hour), CPH
        )
        for i in range(count)
    ]
