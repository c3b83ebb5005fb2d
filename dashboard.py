"""The dashboard's frame: page setup, navigation, language, the shared area filter and the footer.

Run it with `streamlit run dashboard.py`; the pages are in pages/ and listed in app.ui.PAGES.
"""

import streamlit as st

from app import ui
from sensus.i18n import t

lang = ui.language()
st.set_page_config(page_title=t("app.title", lang), page_icon="📊", layout="wide")
ui.open_store(lang)
pages = ui.pages(lang)
if ui.admin_password():
    pages.append(ui.upload_page(lang))
page = st.navigation(pages)
ui.language_switch()
with ui.frame(lang, *ui.area_filter(lang), ui.period_filter(lang)) as view:
    ui.synthetic_notice(view)
    page.run()
ui.footer(view)
