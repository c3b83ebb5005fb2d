"""The Streamlit side of the administrators' sign-in: who is asking (the client's address and the browser
session) and the process-wide throttle (sensus.throttle) their wrong passwords count in."""

from __future__ import annotations

import secrets

import streamlit as st

from sensus.throttle import Throttle, client_address, limits_from, trusted_proxies_from

SESSION_KEY = "_sensus_sign_in_session"


@st.cache_resource(show_spinner=False)
def _throttle(limits) -> Throttle:
    return Throttle(limits)


def throttle() -> Throttle:
    """One throttle for every session of the server process, with the limits set in the environment."""
    return _throttle(limits_from())


def client() -> str:
    """The client's address: the connection's, or, where that is a trusted proxy ($SENSUS_TRUSTED_PROXIES),
    the one the proxy put in X-Forwarded-For."""
    return client_address(st.context.ip_address, st.context.headers.get("X-Forwarded-For"), trusted_proxies_from())


def keys() -> list[str]:
    """What a sign-in attempt counts against: its client and its browser session."""
    session = st.session_state.setdefault(SESSION_KEY, secrets.token_hex(8))
    return [f"client {client()}", f"session {session}"]
