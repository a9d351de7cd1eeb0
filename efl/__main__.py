"""``python -m efl`` runs the ``efl`` command."""

from efl.cli import main

main()
