"""Upper limits on the portal coupling from a counting experiment.

The expected signal is N(m, h) = h^2 N1(m) eff Br_inv(m, h), where N1 is the yield for unit
couplings. With the dark width fixed and Gamma(phi -> mu e) = h^2 gamma1,
Br_inv(h) = G_d / (G_d + h^2 gamma1) (gamma1: the visible width of the unit pattern summed
over its lepton channels), so N(h) = n_up has the closed-form solution

    h^2 = n_up G_d / (N1 eff G_d - n_up gamma1)

(infinite when no coupling reaches n_up: the visible decay then wins over the invisible one).
n_up is the upper limit on the signal mean from :mod:`leptoportal.stats`.

Example: ``limit_scan(get_preset("na64e-2016-2018"), [0.2, 0.5])`` -> rows with ``h_limit``.
"""

from __future__ import annotations

import math

from leptoportal import decays, stats
from leptoportal.experiments.presets import ExperimentConfig
from leptoportal.experiments.yields import br_invisible, yield_per_eot_unit
from leptoportal.model import Couplings, DarkSector, Portal


def _h_limit(cfg: ExperimentConfig, m_phi: float, n_up: float, unit: float,
             pattern: Couplings, dark: DarkSector | None, br_inv: float | None) -> float:
    n1 = unit * cfg.efficiency_at(m_phi) * cfg.eot
    if n1 <= 0:
        return math.inf
    if br_inv is not None:
        b = br_invisible(Portal(m_phi, pattern), None, br_inv)
        return math.sqrt(n_up / (n1 * b)) if b > 0 else math.inf
    dark = dark if dark is not None else DarkSector.default(m_phi)
    g_d = float(decays.gamma_dark(m_phi, dark))
    gamma1 = float(decays.gamma_visible(m_phi, pattern))
    denom = n1 * g_d - n_up * gamma1
    if denom <= 0:
        return math.inf
    return math.sqrt(n_up * g_d / denom)


def limit_point(cfg: ExperimentConfig, m_phi: float, n_up: float,
                pattern: Couplings | None = None, dark: DarkSector | None = None,
                br_inv: float | None = None, precision: float = 0.01, seed: int = 1,
                cache: bool = True) -> dict:
    """The limit at one mass: ``{m_phi, h_limit, h_limit_err, n_up}``.

    ``h_limit_err`` is the Monte-Carlo error of the yield propagated to the limit
    (h ~ N^(-1/2): dh/h = dN/(2N), exact when Br_inv does not depend on h).
    """
    pattern = pattern or Couplings.chiral(1.0)
    m_phi = float(m_phi)
    unit, unit_err = yield_per_eot_unit(cfg, m_phi, pattern, precision, seed, cache=cache)
    h = _h_limit(cfg, m_phi, n_up, unit, pattern, dark, br_inv)
    h_err = h * unit_err / (2.0 * unit) if math.isfinite(h) and unit > 0 else math.inf
    return {"m_phi": m_phi, "h_limit": h, "h_limit_err": h_err, "n_up": n_up}


def coupling_limit(cfg: ExperimentConfig, m_phi: float, n_up: float,
                   pattern: Couplings | None = None, dark: DarkSector | None = None,
                   br_inv: float | None = None, precision: float = 0.01,
                   seed: int = 1, cache: bool = True) -> float:
    """h excluded above at ``m_phi`` (see the module docstring); inf if none is."""
    return limit_point(cfg, m_phi, n_up, pattern, dark, br_inv, precision, seed,
                       cache)["h_limit"]


def limit_scan(cfg: ExperimentConfig, masses, method: str = "cls", cl: float = 0.9,
               pattern: Couplings | None = None, dark_alpha: float | None = None,
               br_inv: float | None = None, precision: float = 0.01, seed: int = 1,
               progress=None, cache: bool = True) -> list[dict]:
    """Coupling limits (or sensitivity, for n_obs = b) on a grid of masses.

    ``dark_alpha``: alpha_D of the benchmark dark sector (default
    :data:`leptoportal.model.DEFAULT_ALPHA_DARK`; 0 means no invisible decay).
    """
    n_up = stats.upper_limit(cfg.n_obs, cfg.background, cl, method)
    out = []
    for i, m in enumerate(masses):
        dark = (DarkSector.benchmark(m, alpha_dark=dark_alpha) if dark_alpha is not None
                else None)
        out.append(limit_point(cfg, m, n_up, pattern, dark, br_inv, precision, seed, cache))
        if progress is not None:
            progress(i + 1, len(masses))
    return out
