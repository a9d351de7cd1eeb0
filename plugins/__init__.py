"""efl's built-in plugins, installed under the import name ``efl_plugins``.

Each module is nothing but hook implementations and is found through the ``efl`` entry-point group,
exactly like a third-party plugin.
"""
