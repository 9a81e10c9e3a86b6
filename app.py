"""Streamlit entry point: navigation only. Views live in ui/views/."""

from ui.main import run

run()
