import streamlit as st


def render() -> None:
    st.info("Trends and comparison are being built.")
