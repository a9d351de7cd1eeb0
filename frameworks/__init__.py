"""Framework definitions shipped with efl (installed as the data package ``efl_frameworks``)."""
