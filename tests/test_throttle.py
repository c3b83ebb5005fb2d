"""Sign-in throttling on a clock the test moves: the wait doubles after each wrong password, the
lockout comes with the fifth within the window and holds until the window has passed, a right password
is not looked at meanwhile, keys count on their own and together, and every failure is logged."""

from __future__ import annotations

import logging

import pytest

from sensus.throttle import Limits, Outcome, Throttle, client_address, limits_from, trusted_proxies_from

CLIENT, OTHER_CLIENT = "client 203.0.113.7", "client 198.51.100.1"
SESSION, OTHER_SESSION = "session a", "session b"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wrong() -> bool:
    return False


def right() -> bool:
    return True


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def throttle(clock):
    return Throttle(Limits(failures=5, window_seconds=900, first_delay_seconds=1), clock)


def test_each_wrong_password_doubles_the_wait_until_the_fifth_locks_out(throttle, clock):
    outcomes = []
    for wait in (1, 2, 4, 8):
        outcomes.append(throttle.attempt([CLIENT], "203.0.113.7", wrong))
        clock.advance(wait)
    outcomes.append(throttle.attempt([CLIENT], "203.0.113.7", wrong))
    assert outcomes == [
        Outcome(checked=True, wait_seconds=1),
        Outcome(checked=True, wait_seconds=2),
        Outcome(checked=True, wait_seconds=4),
        Outcome(checked=True, wait_seconds=8),
        # The first failure was 1 + 2 + 4 + 8 = 15 s ago: the lockout ends 900 s after it.
        Outcome(checked=True, wait_seconds=900 - 15, locked=True),
    ]


def test_an_attempt_during_the_wait_is_not_checked_and_does_not_count(throttle, clock):
    throttle.attempt([CLIENT], "x", wrong)
    clock.advance(0.25)
    looked = []
    held = throttle.attempt([CLIENT], "x", lambda: looked.append(1) or True)
    assert held == Outcome(checked=False, wait_seconds=0.75) and looked == []
    clock.advance(0.75)
    assert throttle.attempt([CLIENT], "x", right) == Outcome(checked=True, accepted=True)


def test_the_right_password_is_refused_during_the_lockout_and_taken_once_the_window_passed(throttle, clock):
    for _ in range(5):
        throttle.attempt([CLIENT], "x", wrong)
        clock.advance(10)
    # Failures at 0, 10, 20, 30, 40 s; now 50 s: locked until 900 s.
    assert throttle.attempt([CLIENT], "x", right) == Outcome(checked=False, wait_seconds=850, locked=True)
    clock.advance(849)
    assert throttle.attempt([CLIENT], "x", right).locked
    clock.advance(1)
    assert throttle.attempt([CLIENT], "x", right) == Outcome(checked=True, accepted=True)


def test_failures_count_under_every_key_and_the_strictest_key_holds(throttle, clock):
    for _ in range(4):
        clock.advance(60)
        throttle.attempt([CLIENT, SESSION], "x", wrong)
    # Failures at 60, 120, 180 and 240 s; the fourth set a wait of 8 s, for its session and its client.
    assert throttle.attempt([OTHER_CLIENT, SESSION], "x", right) == Outcome(checked=False, wait_seconds=8)
    assert throttle.attempt([CLIENT, OTHER_SESSION], "x", right) == Outcome(checked=False, wait_seconds=8)
    clock.advance(8)
    # The client's fifth failure, from a new session, locks the client out until 60 + 900 s.
    assert throttle.attempt([CLIENT, OTHER_SESSION], "x", wrong) == Outcome(
        checked=True, wait_seconds=960 - 248, locked=True
    )
    assert throttle.attempt([CLIENT, "session c"], "x", right).locked
    assert throttle.attempt([OTHER_CLIENT, "session c"], "x", right).accepted


def test_failures_leave_the_window(throttle, clock):
    throttle.attempt([CLIENT], "x", wrong)
    clock.advance(900)
    for _ in range(4):
        throttle.attempt([CLIENT], "x", wrong)
        clock.advance(100)
    # Five failures in all, but the first left the window before the fifth.
    assert throttle.attempt([CLIENT], "x", right).accepted


def test_a_failure_is_logged_with_its_client_and_never_the_password(throttle, caplog):
    given = "kupang-2021"
    with caplog.at_level(logging.WARNING, logger="sensus.throttle"):
        throttle.attempt([CLIENT], "203.0.113.7", lambda: given == "kupang-2020")
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("admin sign-in: wrong password from client 203.0.113.7 at 20")
    assert record.getMessage().endswith("; 1 failure(s) within 15 min; next attempt taken after 1 s")
    assert given not in record.getMessage()


def test_limits_from_the_environment():
    assert limits_from({}) == Limits(failures=5, window_seconds=900, first_delay_seconds=1)
    assert limits_from(
        {"SENSUS_SIGN_IN_FAILURES": "3", "SENSUS_SIGN_IN_WINDOW_MINUTES": "60", "SENSUS_SIGN_IN_DELAY_SECONDS": "0.5"}
    ) == Limits(failures=3, window_seconds=3600, first_delay_seconds=0.5)
    assert limits_from({"SENSUS_SIGN_IN_FAILURES": ""}).failures == 5


PROXY = frozenset({"127.0.0.1", "::1"})


@pytest.mark.parametrize(
    "peer, forwarded_for, trusted, client",
    [
        ("203.0.113.7", None, frozenset(), "203.0.113.7"),
        # Not trusted: what the client wrote in X-Forwarded-For is ignored.
        ("203.0.113.7", "198.51.100.1", frozenset(), "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", PROXY, "203.0.113.7"),
        # A proxy on this machine, as a server listening on IPv6 sees it, and as Streamlit gives it (none).
        ("::ffff:127.0.0.1", "198.51.100.1", PROXY, "198.51.100.1"),
        (None, "198.51.100.1", PROXY, "198.51.100.1"),
        (None, "198.51.100.1", frozenset(), "127.0.0.1"),
        # The proxy appends the address it got the request from; what the client sent comes before it.
        ("::ffff:127.0.0.1", "10.9.9.9, 198.51.100.1", PROXY, "198.51.100.1"),
        # Two trusted proxies in a row: the address before them.
        ("::1", "198.51.100.1, 127.0.0.1", PROXY, "198.51.100.1"),
        ("::1", " 2001:db8::7 ", PROXY, "2001:db8::7"),
        # A trusted proxy that forwarded nothing is the client itself.
        ("127.0.0.1", None, PROXY, "127.0.0.1"),
    ],
)
def test_the_client_is_the_connection_unless_a_trusted_proxy_forwarded_it(peer, forwarded_for, trusted, client):
    assert client_address(peer, forwarded_for, trusted) == client


def test_trusted_proxies_from_the_environment():
    assert trusted_proxies_from({}) == frozenset()
    assert trusted_proxies_from({"SENSUS_TRUSTED_PROXIES": "127.0.0.1, ::ffff:10.0.0.2,,::1"}) == {
        "127.0.0.1",
        "10.0.0.2",
        "::1",
    }
