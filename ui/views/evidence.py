"""Evidence view (being built)."""

import streamlit as st


def render() -> None:
    st.info("This view is being built.")
