"""Words and reports for people: shared wording, report formats, framework descriptions and sources."""
