"""Following sources against odd servers (issue 13): a total deadline per request, the bytes over a wrong charset,
robots.txt as RFC 9309 reads it. Servers run on 127.0.0.1, started here; never an outside address."""
import socket
import threading
import time

import httpx
import pytest

from filiere.errors import FetchError
from filiere.fetch.http import FetchSettings, PoliteClient, Response

PAGE = "<html><head><title>Kénitra</title></head><body><p>Élan à Kénitra : l'usine a livré 1 200 véhicules.</p></body></html>"


class Trickle:
    """A server that answers every connection with HEAD then BODY, one byte every ``pause`` seconds (for at most
    ``limit`` seconds, then it closes)."""

    def __init__(self, head: bytes, body: bytes, pause: float = 0.1, limit: float = 8.0, fast_head: bool = False):
        self.head, self.body, self.pause, self.limit, self.fast_head = head, body, pause, limit, fast_head
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/page"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        started = time.monotonic()
        try:
            conn.recv(65536)
            if self.fast_head:
                conn.sendall(self.head)
            data = self.body if self.fast_head else self.head + self.body
            for i in range(len(data)):
                if self.stop.is_set() or time.monotonic() - started > self.limit:
                    break
                conn.sendall(data[i:i + 1])
                time.sleep(self.pause)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 400\r\n\r\n"


@pytest.mark.issue(13)
@pytest.mark.parametrize("fast_head", [False, True], ids=["slow-headers", "slow-body"])
def test_fetch_total_deadline_covers_headers_and_body(fast_head):
    """Row 13: headers or a body sent one byte at a time cannot hold a request past --timeout."""
    server = Trickle(HEAD, b"x" * 400, fast_head=fast_head)
    settings = FetchSettings(delay=0, timeout=1.0, retries=0, trust_env=False)
    try:
        with PoliteClient(settings) as client:
            started = time.monotonic()
            with pytest.raises(FetchError, match="timed out after 1 s"):
                client.get(server.url, robots=False)
            assert time.monotonic() - started < 2.0
    finally:
        server.close()


@pytest.mark.issue(13)
@pytest.mark.parametrize("declared, body", [
    ("iso-8859-1", PAGE.encode("utf-8")),
    ("utf-8", PAGE.encode("cp1252")),
    ("windows-1252", PAGE.encode("utf-8")),
    ("koi8-r", PAGE.encode("utf-8")),
])
def test_fetch_bytes_win_over_a_wrong_charset(declared, body):
    """Row 14: a page whose HTTP charset contradicts its bytes is read by its bytes."""
    response = Response("http://127.0.0.1/p", 200, body, {"content-type": f"text/html; charset={declared}"})
    assert response.text() == PAGE


def test_fetch_declared_charset_still_reads_what_the_bytes_cannot_tell():
    text = "Ventes de voitures : рост 12 %"
    response = Response("http://127.0.0.1/p", 200, text.encode("koi8-r"), {"content-type": "text/plain; charset=koi8-r"})
    assert response.text() == text


ROBOTS = """User-agent: *
Disallow: /*?print=
Disallow: /*.pdf$
Disallow: /news/
Allow: /news/public/
Crawl-delay: 0
"""


@pytest.mark.issue(13)
@pytest.mark.parametrize("path, allowed", [
    ("/article?id=3", True), ("/article?print=1", False), ("/docs/rapport.pdf", False), ("/docs/rapport.pdf?v=2", True),
    ("/news/x", False), ("/news/public/x", True), ("/", True),
])
def test_fetch_robots_txt_wildcards_and_longest_match(path, allowed):
    """Row 19: RFC 9309: '*' and '$' in paths, and the longest matching rule wins (not the first)."""
    def answer(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text=ROBOTS, headers={"content-type": "text/plain"})
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})

    settings = FetchSettings(delay=0, timeout=2, retries=0, trust_env=False)
    with PoliteClient(settings, transport=httpx.MockTransport(answer)) as client:
        assert client.allowed("http://example.org" + path) is allowed
