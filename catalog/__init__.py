"""Content models and loading: frameworks, crosswalks, metric definitions, questionnaires."""
