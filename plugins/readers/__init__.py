"""Readers the built-in plugins share: workforce files as HR and payroll systems export them, and
Census tables as ONS lays out its downloads. No hooks here: the plugins that register the evidence
types (``workforce``, ``communities``) call them."""
