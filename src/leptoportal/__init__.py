"""leptoportal: physics of the leptonic scalar portal.

A light complex scalar phi with the flavour-changing coupling
``phi * mubar (C_S + C_P gamma5) e + h.c.`` (Gninenko & Krasnikov, arXiv:2202.04410):
anomalous magnetic moments, decays, production in ``l N -> l' N phi``, yields and limits at
fixed-target experiments, and the relic density of the dark sector behind the portal.
"""

from leptoportal.errors import InputError
from leptoportal.model import Couplings, DarkSector, Portal

__all__ = ["Couplings", "DarkSector", "InputError", "Portal", "__version__"]
__version__ = "0.1.0"
