"""Streamlit views and components. The only package (with app.py) allowed to import streamlit."""
