"""How politely and how patiently to fetch: the settings the commands parse, without the network code (a
command that fetches nothing does not import the HTTP client)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import __version__
from ..errors import InputError

DEFAULT_USER_AGENT = f"filiere/{__version__} (news follower; honours robots.txt)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how patiently to fetch; tests shrink the waits."""

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 2.0  # seconds between the end of one request to a host and the start of the next
    timeout: float = 20.0  # seconds for a whole response (connection, headers and body)
    retries: int = 3  # more attempts after a 429, a 5xx, a timeout or a broken connection
    backoff: float = 2.0  # first wait before a retry, doubled at each one (when there is no Retry-After)
    max_retry_after: float = 120.0  # a longer Retry-After is cut to this
    max_bytes: int = 5_000_000  # a news page is far smaller; a larger body is refused
    max_redirects: int = 5
    max_attempts: int = 3  # runs that may try again a page whose fetch failed for a passing reason
    trust_env: bool = True  # proxies from the environment (tests turn this off to reach 127.0.0.1 directly)

    def __post_init__(self):
        for name in ("delay", "timeout", "backoff", "max_retry_after"):
            if getattr(self, name) < 0:
                raise InputError(f"--{name.replace('_', '-')}", "must not be negative")
        if self.timeout <= 0 or self.max_bytes <= 0 or self.retries < 0 or self.max_redirects < 0:
            raise InputError("fetch settings", "timeout and max-bytes must be positive, retries and redirects >= 0")
