"""efl's version, and the version of its plugin API (a leaf module: it imports nothing, so any part
of efl can name the version without importing the package's public face, :mod:`efl`)."""

__version__ = "0.1.0"

# The version of the plugin API (the names ``efl`` exports and the hooks): the minor number grows when
# something is added, the major number when something is removed or changed incompatibly.
API_VERSION = "1.0"
