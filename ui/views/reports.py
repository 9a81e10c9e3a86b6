import streamlit as st


def render() -> None:
    st.info("Reports are being built.")
