"""Sign-in throttling: after each wrong password the next attempt waits longer, and too many within a
window lock the sign-in out until the window has passed; counted per key (a browser session, a client
address), so that neither a new session nor another tab starts afresh.

Attempts made while waiting or locked out are refused without looking at the password given, and do not
count: only a password checked and found wrong is a failure.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    failures: int = 5  # wrong passwords within the window that lock the sign-in out
    window_seconds: float = 900.0
    first_delay_seconds: float = 1.0  # the wait after one failure; it doubles with each further one

    def delay_after(self, failures: int) -> float:
        """The wait before the next attempt after `failures` failures within the window."""
        return self.first_delay_seconds * 2 ** (failures - 1) if failures else 0.0


def limits_from(environ: Mapping[str, str] = os.environ) -> Limits:
    """Limits from $SENSUS_SIGN_IN_FAILURES, $SENSUS_SIGN_IN_WINDOW_MINUTES and
    $SENSUS_SIGN_IN_DELAY_SECONDS, each left at its default when unset or empty."""
    default = Limits()
    failures = environ.get("SENSUS_SIGN_IN_FAILURES")
    minutes = environ.get("SENSUS_SIGN_IN_WINDOW_MINUTES")
    delay = environ.get("SENSUS_SIGN_IN_DELAY_SECONDS")
    return Limits(
        failures=max(1, int(failures)) if failures else default.failures,
        window_seconds=float(minutes) * 60 if minutes else default.window_seconds,
        first_delay_seconds=float(delay) if delay else default.first_delay_seconds,
    )


def trusted_proxies_from(environ: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The addresses of the reverse proxies whose X-Forwarded-For is believed: $SENSUS_TRUSTED_PROXIES,
    comma-separated (none by default)."""
    return frozenset(normalised(part) for part in environ.get("SENSUS_TRUSTED_PROXIES", "").split(",") if part.strip())


def normalised(address: str | None) -> str:
    """An address as written once: IPv4 for an IPv4-mapped IPv6 address (::ffff:127.0.0.1, as a server
    listening on IPv6 sees IPv4 clients); 127.0.0.1 for none (Streamlit gives none for this machine)."""
    if not address:
        return "127.0.0.1"
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64]
    return str(getattr(parsed, "ipv4_mapped", None) or parsed)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: frozenset[str]) -> str:
    """The client's address: the connection's, unless it comes from a trusted proxy; then the address the
    proxy received the request from, the last one in X-Forwarded-For (each proxy appends its peer's), going
    back past the trusted proxies in the chain. Addresses a client wrote there itself come before them."""
    address = normalised(peer)
    hops = [part for part in (forwarded_for or "").split(",") if part.strip()]
    while address in trusted_proxies and hops:
        address = normalised(hops.pop())
    return address


@dataclass(frozen=True)
class Outcome:
    checked: bool  # the password was looked at: not while a wait or a lockout holds
    accepted: bool = False  # it was right
    wait_seconds: float = 0.0  # until the next attempt is taken
    locked: bool = False  # the wait is a lockout (too many failures within the window)


class Throttle:
    """Failures by key, shared by every thread of the process."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def attempt(self, keys: Iterable[str], client: str, is_right: Callable[[], bool]) -> Outcome:
        """Check a password (`is_right`) unless a wait or a lockout holds for any of the keys; a wrong one
        counts under every key and is logged with the client. One attempt at a time, so that attempts
        sent together cannot all pass before the first failure is counted."""
        keys = list(keys)
        with self._lock:
            now = self._clock()
            held = self._held(keys, now)
            if held.wait_seconds > 0:
                return held
            if is_right():
                return Outcome(checked=True, accepted=True)
            self._forget_before(now - self.limits.window_seconds)
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)
            outcome = self._held(keys, now)
            failures = max(len(self._failures[key]) for key in keys)
        log.warning(
            "admin sign-in: wrong password from client %s at %s; %d failure(s) within %g min; %s",
            client,
            datetime.now(UTC).isoformat(timespec="seconds"),
            failures,
            self.limits.window_seconds / 60,
            f"locked out for {outcome.wait_seconds:.0f} s"
            if outcome.locked
            else f"next attempt taken after {outcome.wait_seconds:g} s",
        )
        return Outcome(checked=True, wait_seconds=outcome.wait_seconds, locked=outcome.locked)

    def _forget_before(self, start: float) -> None:
        """Drop the failures that left the window, and the keys left with none."""
        for key in list(self._failures):
            failures = self._failures[key]
            while failures and failures[0] <= start:
                failures.popleft()
            if not failures:
                del self._failures[key]

    def _held(self, keys: list[str], now: float) -> Outcome:
        """What holds the next attempt under these keys back: the strictest of their waits, a lockout first."""
        window, strictest = self.limits.window_seconds, Outcome(checked=False)
        for key in keys:
            failures = [moment for moment in self._failures.get(key, ()) if moment > now - window]
            if len(failures) >= self.limits.failures:
                held = Outcome(False, wait_seconds=failures[-self.limits.failures] + window - now, locked=True)
            elif failures:
                wait = failures[-1] + self.limits.delay_after(len(failures)) - now
                held = Outcome(False, wait_seconds=max(0.0, wait))
            else:
                continue
            if (held.locked, held.wait_seconds) > (strictest.locked, strictest.wait_seconds):
                strictest = held
        return strictest
