"""Pure scoring engine: never reads files, the clock, the database or Streamlit."""
