"""HistFactory workspaces (pyhf's JSON format) of the package's counting experiments.

A search of the portal scalar is one bin: the expected signal, the expected background with
its uncertainty, and the observed count. `counting_workspace()` writes it as the
HistFactory JSON that pyhf reads (``pyhf.Workspace(spec)``; Cranmer et al.,
CERN-OPEN-2012-016; pyhf's schema ``workspace.json`` 1.0.0): a channel ``signal_region`` with

* the sample ``signal``, scaled by the free parameter of interest ``mu`` (a ``normfactor``);
* the sample ``background``, with its uncertainty as a ``shapesys`` modifier (a
  Poisson-constrained nuisance parameter, Barlow-Beeston-like; none when the uncertainty is
  zero);
* the observation ``n_obs``.

The package's inference on these workspaces lives in `leptoportal.stats`; this module
only writes the model. (pyhf's PatchSet format, one background-only workspace and a patch per
mass, needs the HEPData record of the analysis in its references: a list of masses is written
as one workspace per mass instead, named by `workspace_name()`.)

Examples
--------

>>> ws = counting_workspace(2.3, 0.5, 0.17, 0, name="NA64 at m_phi = 0.3 GeV")
>>> ws["observations"]
[{'name': 'signal_region', 'data': [0.0]}]
>>> [s["name"] for s in ws["channels"][0]["samples"]]
['signal', 'background']
"""

from __future__ import annotations

import math
from typing import Any

from leptoportal.errors import InputError, require_range

#: the channel of a counting experiment
CHANNEL = "signal_region"
#: the parameter of interest: the signal strength
POI = "mu"
#: pyhf's workspace schema version these files follow
SCHEMA_VERSION = "1.0.0"
#: largest count of a workspace (pyhf's fits are in double precision)
MAX_EVENTS = 1e12


def _count(name: str, value: float, lo_open: bool = False) -> float:
    return require_range(name, value, 0.0, MAX_EVENTS, lo_open=lo_open, unit="events")


def _samples(signal: float, background: float, background_err: float) -> list[dict[str, Any]]:
    samples = [{"name": "signal", "data": [signal],
                "modifiers": [{"name": POI, "type": "normfactor", "data": None}]}]
    if background > 0.0:
        modifiers = []
        if background_err > 0.0:
            modifiers.append({"name": "background_uncertainty", "type": "shapesys",
                              "data": [background_err]})
        samples.append({"name": "background", "data": [background], "modifiers": modifiers})
    return samples


def _measurement(name: str, mu_max: float) -> dict[str, Any]:
    return {"name": name, "config": {"poi": POI, "parameters": [
        {"name": POI, "bounds": [[0.0, mu_max]], "inits": [1.0]}]}}


def counting_workspace(signal: float, background: float, background_err: float,
                       n_obs: float, *, name: str = "leptoportal",
                       mu_max: float | None = None) -> dict[str, Any]:
    """The HistFactory workspace of one counting experiment (see the module docstring).

    ``signal``: expected signal events at mu = 1; ``background`` and ``background_err``
    (1 sigma): expected background events; ``n_obs``: observed events. ``name`` names the
    measurement (pyhf's schema has no other free field: say there what the workspace is).
    ``mu_max``: upper bound of mu (default: enough for any limit of the counts,
    10 (n_obs + background + 10) / signal).
    """
    signal = _count("signal", signal, lo_open=True)
    background = _count("background", background)
    background_err = _count("background_err", background_err)
    n_obs = _count("n_obs", n_obs)
    if background_err > 0.0 and background == 0.0:
        raise InputError(f"background_err = {background_err:g} needs a background (got 0)",
                         parameters=("background_err", "background"))
    if mu_max is None:
        mu_max = 10.0 * (n_obs + background + 10.0) / signal
    return {
        "channels": [{"name": CHANNEL,
                      "samples": _samples(signal, background, background_err)}],
        "observations": [{"name": CHANNEL, "data": [float(n_obs)]}],
        "measurements": [_measurement(name, float(mu_max))],
        "version": SCHEMA_VERSION,
    }


def workspace_name(m_phi: float) -> str:
    """The file name of a mass's workspace in a list (letters, digits and _ only, as pyhf
    names patches), with every digit of the mass (two masses, two files):
    ``m_phi_0p3.json``, ``m_phi_0p3000001.json``."""
    return "m_phi_" + repr(float(m_phi)).replace(".", "p").replace("-", "m").replace(
        "+", "") + ".json"


def is_counting(spec: dict[str, Any]) -> bool:
    """Whether a workspace has one channel of one bin (where the exact Poisson CLs holds)."""
    channels = spec.get("channels", [])
    return len(channels) == 1 and all(len(s["data"]) == 1 for s in channels[0]["samples"])


def total(spec: dict[str, Any], sample: str) -> float:
    """Events of ``sample`` summed over every channel and bin."""
    return float(sum(math.fsum(s["data"]) for c in spec["channels"] for s in c["samples"]
                     if s["name"] == sample))


__all__ = ["CHANNEL", "MAX_EVENTS", "POI", "SCHEMA_VERSION", "counting_workspace",
           "is_counting", "total", "workspace_name"]


def __dir__() -> list[str]:
    return __all__
