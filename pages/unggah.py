"""Unggah data: an administrator loads a census extract from the browser. The file is checked as
`python -m sensus ingest` checks it (sensus.ingest) and loaded into a copy of the store that
replaces the store only when complete and checked; until then every page keeps serving the old data.
Offered only where an administrators' password is set, and asks for it."""

import hmac
import math
import shutil
import tempfile
from pathlib import Path

import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.typing import UploadedFile

from app import admin, ui
from sensus import formatting, ingest
from sensus.ingest import problems, readers

SIGNED_IN = "_sensus_admin"
KINDS_OF_FILE = ("csv", "xlsx", "parquet")


def sign_in(view: ui.View, password: str) -> None:
    """The password form. Wrong passwords are throttled per client and per session (sensus.throttle): the
    next attempt waits longer after each, and too many lock the sign-in out for a while."""
    with st.form("sign-in"):
        given = st.text_input(view.t("upload.password"), type="password")
        submitted = st.form_submit_button(view.t("upload.sign_in"))
    if not submitted:
        return
    outcome = admin.throttle().attempt(
        admin.keys(), admin.client(), lambda: hmac.compare_digest(given.encode(), password.encode())
    )
    if outcome.accepted:
        st.session_state[SIGNED_IN] = True
        st.rerun()
    if outcome.checked:
        st.error(view.t("upload.wrong_password"))
    if outcome.locked:
        st.error(view.t("upload.locked_out", minutes=math.ceil(outcome.wait_seconds / 60)))
    elif outcome.wait_seconds > 0:
        st.warning(view.t("upload.wait", seconds=math.ceil(outcome.wait_seconds)))


def kept_suffix(name: str) -> str:
    """The extension of an uploaded file's name when it is one of the kinds accepted, else none."""
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    return suffix if suffix.removeprefix(".") in KINDS_OF_FILE else ""


def let_go(upload: UploadedFile) -> None:
    """Drops the upload's bytes from Streamlit's store of uploads, as st.chat_input does with its files.
    Left there, they stay until the session is shut down: for as long as the tab is open, and after it
    closes until a later visitor happens to make the server forget expired sessions."""
    run = get_script_run_ctx()
    if run is not None and isinstance(run.uploaded_file_mgr, MemoryUploadedFileManager):
        run.uploaded_file_mgr.remove_file(session_id=run.session_id, file_id=upload.file_id)


def upload_form(view: ui.View) -> None:
    limit = readers.max_input_bytes()
    with st.form("upload", clear_on_submit=True):
        kind = st.selectbox(
            view.t("upload.kind_label"),
            ingest.KINDS,
            format_func=lambda kind: view.t(f"upload.kind.{kind}"),
            key="jenis",
        )
        upload = st.file_uploader(
            view.t("upload.file", mb=formatting.number(limit / 1e6, view.lang)), type=list(KINDS_OF_FILE)
        )
        sheet = st.text_input(view.t("upload.sheet"))
        with st.container(horizontal=True):
            period = st.text_input(view.t("upload.period"), help=view.t("upload.period_help"))
            area = st.text_input(view.t("upload.area"), help=view.t("upload.area_help"))
        submitted = st.form_submit_button(view.t("upload.load"), type="primary")
    if not submitted:
        return
    if upload is None:
        st.warning(view.t("upload.no_file"))
        return
    let_go(upload)  # `upload` keeps the bytes it needs, and lets them go when closed
    name = "`" + problems.printable_name(upload.name).replace("`", "'") + "`"  # shown as code: never markup
    if upload.size > limit:
        st.error(
            view.t(
                "upload.too_large",
                name=name,
                size=formatting.decimal(upload.size / 1e6, view.lang),
                mb=formatting.number(limit / 1e6, view.lang),
            )
        )
        return
    # The upload's name is only ever shown: the file is written under a name of our own, keeping only
    # its kind (openpyxl opens a workbook by its extension).
    with st.spinner(view.t("upload.loading", name=name)), tempfile.TemporaryDirectory(prefix="sensus-upload-") as work:
        path = Path(work) / f"upload{kept_suffix(upload.name)}"
        with upload, open(path, "wb") as file:
            shutil.copyfileobj(upload, file)
        try:
            report = ingest.ingest_file(
                kind,
                path,
                db=ui.store_in_force().key[0],
                sheet=sheet.strip() or None,
                display_name=upload.name,
                period=period.strip() or None,
                area=area.strip() or None,
            )
        except ingest.IngestError as error:
            st.error(view.t("upload.refused", name=name, count=error.total))
            st.subheader(view.t("upload.problems"))
            parts = {
                "row": [problem.row for problem in error.problems],
                "column": [problem.column for problem in error.problems],
                "value": [problem.value for problem in error.problems],
                "expected": [problem.expected(view.lang) for problem in error.problems],
            }
            st.dataframe(
                {view.t(f"col.{part}"): values for part, values in parts.items()},
                hide_index=True,
                width="stretch",
            )
            return
    st.success(view.t("upload.loaded", name=name, kind=view.t(f"upload.kind.{kind}")))
    st.subheader(view.t("upload.read"))
    st.text("\n".join(report.lines()))


view = ui.current_view()
ui.header(view, "unggah", view.t("upload.caption"))
password = ui.admin_password()
if not password:
    ui.stop_page(view, view.t("upload.disabled"))
elif not st.session_state.get(SIGNED_IN):
    sign_in(view, password)
else:
    upload_form(view)
