"""Workforce and community measures: people's answers and groups, the pay gap and other measures, and representation against the community."""
