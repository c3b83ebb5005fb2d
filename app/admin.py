"""The Streamlit side of the administrators' sign-in: who is asking (the client's address and the browser
session) and the process-wide throttle (sensus.throttle) their wrong passwords count in."""

from __future__ import annotations

import secrets

import streamlit as st

from sensus.throttle import Throttle, limits_from

SESSION_KEY = "_sensus_sign_in_session"


@st.cache_resource(show_spinner=False)
def _throttle(limits) -> Throttle:
    return Throttle(limits)


def throttle() -> Throttle:
    """One throttle for every session of the server process, with the limits set in the environment."""
    return _throttle(limits_from())


def client() -> str:
    """The client's address as the server took it: the connection's, or, where the connection comes
    from a proxy that uvicorn trusts (FORWARDED_ALLOW_IPS, by default this machine), the address in
    the proxy's X-Forwarded-For; "local" for a connection from this machine without one."""
    return st.context.ip_address or "local"


def keys() -> list[str]:
    """What a sign-in attempt counts against: its client and its browser session."""
    session = st.session_state.setdefault(SESSION_KEY, secrets.token_hex(8))
    return [f"client {client()}", f"session {session}"]
