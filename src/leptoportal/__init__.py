"""leptoportal: physics of the leptonic scalar portal.

A light complex scalar phi with the flavour-changing coupling
``phi * mubar (C_S + C_P gamma5) e + h.c.`` (Gninenko & Krasnikov, arXiv:2202.04410):
anomalous magnetic moments, decays, production in ``l N -> l' N phi``, yields and limits at
fixed-target experiments, and the relic density of the dark sector behind the portal.

The physics chain, one module or package per step: :mod:`~leptoportal.model` ->
:mod:`~leptoportal.g2` / :mod:`~leptoportal.decays` -> :mod:`~leptoportal.production` ->
:mod:`~leptoportal.experiments` / :mod:`~leptoportal.stats` -> :mod:`~leptoportal.relic` ->
:mod:`~leptoportal.generate` -> :mod:`~leptoportal.reproduce` / :mod:`~leptoportal.scan`
(through :mod:`~leptoportal.tasks`) -> :mod:`~leptoportal.cli`.

Example::

    from leptoportal import Couplings, Portal, g2
    g2.delta_a_mu(0.3, Couplings.chiral(1e-3))
"""

from importlib import metadata

from leptoportal.errors import InputError
from leptoportal.model import Couplings, DarkSector, Portal

try:
    __version__ = metadata.version("leptoportal")
except metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0+unknown"

__all__ = ["Couplings", "DarkSector", "InputError", "Portal", "__version__"]
