"""Optional libraries (the office formats' openpyxl, python-docx, defusedxml), imported only when used."""

from __future__ import annotations

from efl.errors import UsageError

OFFICE_EXTRA = "pip install 'efl[office]'"


def need(module: str, fmt: str):  # noqa: ANN201
    """Import an optional library for an office format, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(f"the {fmt} format needs the '{module.split('.')[0]}' library, which is not installed "
                         f"(expected the office extra: {OFFICE_EXTRA})") from None
