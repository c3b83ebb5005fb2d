"""The size of the browser window, for a page that fits its content to the screen it is shown on
(a slide on a projector). The browser reports it on the first run and after each resize; until it
has, the size of a common projector stands in."""

import streamlit as st

DEFAULT = {"width": 1366, "height": 768}
_REPORTER = st.components.v2.component(
    "window_size",
    js="""
export default function ({ setStateValue }) {
  const report = () => setStateValue("size", { width: window.innerWidth, height: window.innerHeight });
  let timer;
  const resized = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  report();
  window.addEventListener("resize", resized);
  return () => window.removeEventListener("resize", resized);
}
""",
)


def window_size() -> tuple[int, int]:
    """The width and height of the browser window in CSS pixels."""
    size = _REPORTER(key="window-size", on_size_change="ignore").get("size") or DEFAULT
    return int(size["width"]), int(size["height"])
