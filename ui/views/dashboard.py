import streamlit as st


def render() -> None:
    st.info("The CIO dashboard is being built.")
