"""``python -m efl`` runs the ``efl`` command."""

from .cli import main

main()
