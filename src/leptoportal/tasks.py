"""One task API: the computations behind the commands, callable with plain parameters.

Every command of the CLI that computes a physics number calls one of these functions, and a
scan runs exactly the same functions through :func:`run_task`, so a row of a scan and the
output of the command for the same inputs are identical. Each function takes JSON-friendly
parameters (numbers, strings, mappings) and returns a flat dict of results.

Example::

    limit(0.5, experiment="na64e-2016-2018")
    # {'m_phi': 0.5, 'h_limit': 0.0053..., 'h_limit_err': 3.9e-06, 'n_up': 4.36...}
    run_task({"kind": "limit", "experiment": "na64e-2016-2018", "m_phi": 0.5})
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from leptoportal.constants import PB_TO_CM2
from leptoportal.errors import InputError, require_choice
from leptoportal.model import (
    DEFAULT_ALPHA_DARK,
    DEFAULT_MASS_RATIO,
    LEPTONS,
    DarkSector,
    Portal,
    dark_sector,
    resolve_couplings,
)

#: requested relative MC error of an ETL cross-section from ``xsec`` (0.3%: the diagonal
#: channels, whose integrand is more peaked, then also reach <= 0.3%)
XSEC_PRECISION = 0.003
#: experiment fields a task accepts as overrides of the preset / config
EXPERIMENT_FIELDS = ("beam", "energy", "target", "thickness_x0", "mode", "eot", "e_conv_min",
                     "e_out_min", "e_out_max", "theta_out_max", "e_phi_min", "efficiency",
                     "n_obs", "background", "detector_length_m", "resonant", "conversion",
                     "beam_energy_spread", "polarisation", "energy_scan", "electron_motion")
#: production processes of ``xsec``
PROCESSES = ("conversion", "resonant")


def _experiment(experiment: str | None, config: dict | None, fields: dict):
    from leptoportal.experiments import resolve_config

    unknown = sorted(set(fields) - set(EXPERIMENT_FIELDS))
    if unknown:
        raise InputError(f"unknown parameter(s): {', '.join(unknown)}")
    cfg = resolve_config(experiment, config, **fields)
    if cfg is None:
        raise InputError("give --experiment NAME or --config FILE")
    return cfg


def _benchmark_dark(m_phi: float, alpha_dark: float | None) -> DarkSector | None:
    """The benchmark dark sector at ``alpha_dark`` (None: the package default)."""
    return DarkSector.benchmark(m_phi, alpha_dark=alpha_dark) if alpha_dark is not None else None


# ------------------------------------------------------------------------------------------
# g-2, decays, production
# ------------------------------------------------------------------------------------------


def g2_band(m_phi: float, dataset: str = "fnal2021", coupling: str = "chiral",
            cs: complex | str | None = None, cp: complex | str | None = None,
            cl: float = 0.9, model: str | None = None, couplings: dict | None = None) -> dict:
    """The g-2 coupling band (or upper limit) of ``dataset`` at ``m_phi`` for the unit
    pattern (or named / given coupling matrix) that h multiplies."""
    from leptoportal import g2
    from leptoportal.errors import require_range

    require_range("cl", cl, 0.5, 1.0, hi_open=True)
    pattern = resolve_couplings(None, coupling, cs, cp, model, couplings, need_h=False)
    band = g2.coupling_band(m_phi, dataset, pattern, cl)
    band.pop("delta_a_mu_per_h2", None)
    return band


def xsec(energy: float | None, target: str, m_phi: float, beam: str = "e-",
         method: str = "etl", h: float | None = None, coupling: str = "chiral",
         cs: complex | str | None = None, cp: complex | str | None = None,
         precision: float = XSEC_PRECISION, seed: int = 1, form_factor: str = "elastic",
         route: str = "sx", final_lepton: str | None = None, model: str | None = None,
         couplings: dict | None = None, process: str = "conversion",
         alpha_dark: float | None = None, polarisation: float = 0.0,
         backend: str = "numba") -> dict:
    """Total cross-section of l N -> l' N phi with its error and inputs (h = 1 if absent);
    ``process="resonant"``: the resonance l+ e- -> phi (:func:`xsec_resonant`)."""
    require_choice("process", process, PROCESSES)
    if process == "resonant":
        return {**xsec_resonant(target, m_phi, beam, h, coupling, cs, cp, model, couplings,
                                alpha_dark, polarisation), "h": 1.0 if h is None else h}
    if energy is None:
        raise InputError("energy is required (give --energy E0)")
    proc = xsec_process(energy, target, m_phi, beam, h, coupling, cs, cp, form_factor,
                        final_lepton, model, couplings)
    return {**xsec_of(proc, method, precision, seed, route, backend),
            "h": 1.0 if h is None else h}


def xsec_resonant(target: str, m_phi: float, beam: str = "mu+", h: float | None = None,
                  coupling: str = "chiral", cs: complex | str | None = None,
                  cp: complex | str | None = None, model: str | None = None,
                  couplings: dict | None = None, alpha_dark: float | None = None,
                  polarisation: float = 0.0) -> dict:
    """The resonance l+ e- -> phi on the electrons of ``target`` (per electron at rest; h = 1
    if absent; dark sector: the benchmark at ``alpha_dark``, default the package's)."""
    res = resonance_of(m_phi, beam, h, coupling, cs, cp, model, couplings, alpha_dark,
                       polarisation)
    return resonance_row(res, target)


def resonance_of(m_phi: float, beam: str = "mu+", h: float | None = None,
                 coupling: str = "chiral", cs: complex | str | None = None,
                 cp: complex | str | None = None, model: str | None = None,
                 couplings: dict | None = None, alpha_dark: float | None = None,
                 polarisation: float = 0.0):
    """The :class:`~leptoportal.production.resonance.Resonance` of the xsec inputs: the
    couplings of the (e, beam) pair, the benchmark dark sector at ``alpha_dark`` (none for
    alpha_D = 0)."""
    from leptoportal.production.resonance import RESONANT_BEAMS, Resonance

    require_choice("beam", beam, tuple(RESONANT_BEAMS))
    pair = ("e", RESONANT_BEAMS[beam])
    c = resolve_couplings(h, coupling, cs, cp, model, couplings, pair, need_h=False)
    m = float(m_phi)
    dark = DarkSector.benchmark(m, alpha_dark=alpha_dark if alpha_dark is not None
                                else DEFAULT_ALPHA_DARK)
    return Resonance(beam, m, c, dark if dark.g_dark > 0 else None, polarisation)


def resonance_row(res, target: str) -> dict:
    """The output row of a resonance on ``target``: peak, narrow-width and exact integrals
    (per electron and per atom), widths, polarisation and inputs."""
    from leptoportal.production import get_target

    t = get_target(target)
    m = res.m_phi
    per_e = {"sigma_integrated_pb_gev": res.integrated_sigma_pb_gev("all"),
             "sigma_integrated_invisible_pb_gev": res.integrated_sigma_pb_gev("invisible"),
             "sigma_integrated_visible_pb_gev": res.integrated_sigma_pb_gev("visible"),
             "sigma_integrated_exact_pb_gev": res.integrated_sigma_exact_pb_gev("all")}
    widths = res.widths_at(m)
    return {"process": "resonant", "beam": res.beam, "scalar": res.scalar, "target": t.name,
            "m_phi": m, "resonance_energy_gev": res.resonance_energy,
            "sigma_peak_pb": res.peak_sigma_pb("all"),
            "sigma_peak_invisible_pb": res.peak_sigma_pb("invisible"), **per_e,
            "electrons_per_atom": t.Z,
            "sigma_integrated_per_atom_pb_gev": t.Z * per_e["sigma_integrated_pb_gev"],
            "line_width_gev": res.width_in_beam_energy(),
            "gamma_total_gev": float(widths["total"]),
            "gamma_entrance_gev": float(widths["entrance"]),
            "polarisation": res.polarisation,
            "analysing_power": float(res.analysing_power(res.resonance_energy)),
            "c_s": res.vertex.c_s, "c_p": res.vertex.c_p,
            "alpha_dark": res.dark.alpha_dark if res.dark else 0.0,
            "m_chi": res.dark.m_chi if res.dark else m / DEFAULT_MASS_RATIO,
            "note": "per target electron at rest; sigma_integrated_*: narrow-width integrals, "
                    "sigma_integrated_exact: the exact line over E_R +- 1e4 widths"}


def xsec_process(energy: float, target: str, m_phi: float, beam: str = "e-",
                 h: float | None = None, coupling: str = "chiral",
                 cs: complex | str | None = None, cp: complex | str | None = None,
                 form_factor: str = "elastic", final_lepton: str | None = None,
                 model: str | None = None, couplings: dict | None = None):
    """The :class:`~leptoportal.production.Process` of the xsec inputs (h = 1 if absent)."""
    from leptoportal import production as prod

    require_choice("beam", beam, tuple(prod.BEAMS))
    if final_lepton is not None:
        require_choice("final_lepton", final_lepton, LEPTONS)
    pair = (prod.BEAMS[beam][0], final_lepton) if final_lepton else None
    c = resolve_couplings(h, coupling, cs, cp, model, couplings, pair, need_h=False)
    return prod.Process(beam, energy, target, m_phi, c, form_factor, final_lepton)


def xsec_of(proc, method: str = "etl", precision: float = XSEC_PRECISION, seed: int = 1,
            route: str = "sx", backend: str = "numba") -> dict:
    """The cross-section row of a process."""
    from leptoportal import production as prod
    from leptoportal.errors import require_range

    require_range("precision", precision, 1e-5, 0.5)
    r = prod.cross_section(proc, method, precision=precision, seed=seed, route=route,
                           backend=backend)
    return xsec_row(r, seed, precision)


def xsec_row(result, seed: int | None, precision: float) -> dict:
    """The output row of a cross-section result (an ``XsecResult``) with its inputs."""
    return {"sigma_pb": result.sigma_pb, "sigma_err_pb": result.sigma_err_pb,
            "sigma_cm2": result.sigma_pb * PB_TO_CM2, "method": result.method,
            "beam": result.beam, "final_lepton": result.final_lepton, "scalar": result.scalar,
            "energy": result.energy, "target": result.target,
            "m_phi": result.m_phi, "c_s": result.c_s, "c_p": result.c_p,
            "form_factor": result.form_factor, "seed": seed, "precision": precision,
            "details": result.details}


# ------------------------------------------------------------------------------------------
# experiments
# ------------------------------------------------------------------------------------------


def signal_yield(m_phi: float, h: float | None = None, experiment: str | None = None,
                 config: dict | None = None, coupling: str = "chiral",
                 cs: complex | str | None = None, cp: complex | str | None = None,
                 alpha_dark: float | None = None, br_invisible: float | None = None,
                 precision: float = 0.01, seed: int = 1, cache: bool = True,
                 model: str | None = None, couplings: dict | None = None,
                 **fields) -> dict:
    """Expected signal events of an experiment (preset, config mapping and/or field
    overrides) at one model point."""
    from leptoportal.experiments import signal_yield as _signal_yield

    cfg = _experiment(experiment, config, fields)
    portal = Portal(m_phi, resolve_couplings(h, coupling, cs, cp, model, couplings))
    res = _signal_yield(cfg, portal, _benchmark_dark(portal.m_phi, alpha_dark), br_invisible,
                        precision=precision, seed=seed, cache=cache)
    return {**res.as_dict(), "h": h}


def limit(m_phi: float, experiment: str | None = None, config: dict | None = None,
          method: str = "cls", cl: float = 0.9, sensitivity: bool = False,
          coupling: str = "chiral", alpha_dark: float | None = None,
          br_invisible: float | None = None, precision: float = 0.01, seed: int = 1,
          cache: bool = True, model: str | None = None, couplings: dict | None = None,
          **fields) -> dict:
    """Upper limit on h at ``m_phi`` (``sensitivity``: expected limit with n_obs = b) for the
    unit pattern (or named / given coupling matrix) that h multiplies."""
    from leptoportal import stats
    from leptoportal.experiments import limit_point

    cfg = limit_config(experiment, config, sensitivity, **fields)
    n_up = stats.upper_limit(cfg.n_obs, cfg.background, cl, method)
    pattern = resolve_couplings(None, coupling, None, None, model, couplings, need_h=False)
    m = float(m_phi)
    return limit_point(cfg, m, n_up, pattern, _benchmark_dark(m, alpha_dark), br_invisible,
                       precision, seed, cache)


def limit_config(experiment: str | None = None, config: dict | None = None,
                 sensitivity: bool = False, **fields):
    """The experiment of a limit: with ``sensitivity``, n_obs is the rounded background."""
    from leptoportal.experiments import make_config

    cfg = _experiment(experiment, config, fields)
    if sensitivity:
        cfg = make_config(cfg.model_dump(), n_obs=round(cfg.background))
    return cfg


# ------------------------------------------------------------------------------------------
# relic density
# ------------------------------------------------------------------------------------------


def relic(m_phi: float, h: float, alpha_dark: float | None = None,
          g_dark: float | None = None, m_chi: float | None = None,
          ratio: float = DEFAULT_MASS_RATIO, splitting: float = 0.0,
          coupling: str = "chiral", table: str = "borsanyi2016",
          systematic: bool = False, model: str | None = None,
          couplings: dict | None = None) -> dict:
    """Omega h^2 of the benchmark dark sector at a model point (``systematic``: also for
    every g* table, whose spread is the equation-of-state systematic)."""
    from leptoportal import relic as rl

    portal = Portal(m_phi, resolve_couplings(h, coupling, None, None, model, couplings))
    dark = dark_sector(portal.m_phi, g_dark, alpha_dark, m_chi, ratio, required=True)
    res = rl.omega_h2(portal, dark, table, splitting=splitting)
    out = {**res.as_dict(), "h": h, "coupling": coupling, "splitting": splitting}
    if systematic:
        out["omega_h2_by_table"] = rl.table_systematic(portal, dark, splitting=splitting)
    return out


def relic_target(m_phi: float, alpha_dark: float | None = None,
                 h_on_g2_band: str | None = None, ratio: float = DEFAULT_MASS_RATIO,
                 coupling: str = "chiral", table: str = "borsanyi2016",
                 model: str | None = None, couplings: dict | None = None) -> dict:
    """The thermal target at ``m_phi``: h for fixed alpha_D, or alpha_D for h on the g-2
    band (central value, or the upper limit of a dataset without an anomaly). Where no
    coupling in the search range gives Omega h^2 = 0.120 (e.g. annihilation kinematically
    closed), the coupling is None and ``note`` says why."""
    from leptoportal import g2
    from leptoportal import relic as rl

    if (alpha_dark is None) == (h_on_g2_band is None):
        raise InputError("give exactly one of --alpha-dark or --h-on-g2-band")
    m = float(m_phi)
    unit = resolve_couplings(None, coupling, None, None, model, couplings, need_h=False)
    if alpha_dark is not None:
        try:
            h = rl.h_for_relic(m, alpha_dark, ratio, unit, table=table)
        except rl.NoRelicSolution as exc:
            return {"m_phi": m, "h_relic": None, "omega_h2": None, "note": str(exc)}
        dark = DarkSector.benchmark(m, alpha_dark=alpha_dark, ratio=ratio)
        om = rl.omega_h2(Portal(m, unit.scaled(h)), dark, table).omega_h2
        return {"m_phi": m, "h_relic": h, "omega_h2": om}
    band = g2.coupling_band(m, h_on_g2_band, unit)
    h = band.get("h_central", band.get("h_upper_90"))
    a = rl.alpha_dark_for_relic(m, h, ratio, unit, table=table)
    dark = DarkSector.benchmark(m, alpha_dark=a, ratio=ratio)
    om = rl.omega_h2(Portal(m, unit.scaled(h)), dark, table).omega_h2
    return {"m_phi": m, "h": h, "alpha_dark_relic": a, "omega_h2": om}


# ------------------------------------------------------------------------------------------
# dispatch
# ------------------------------------------------------------------------------------------

#: task kind -> function
TASKS: dict[str, Callable[..., dict]] = {
    "g2-band": g2_band,
    "xsec": xsec,
    "yield": signal_yield,
    "limit": limit,
    "relic": relic,
    "relic-target": relic_target,
}
KINDS = tuple(TASKS)


def run_task(task: dict) -> dict:
    """Evaluate one task ``{"kind": K, **parameters}``; return ``{**task, **result}``."""
    fn, params = check_task(task)
    return {**task, **fn(**params)}


def check_task(task: dict) -> tuple[Callable[..., dict], dict]:
    """The function and parameters of a task, or a one-line error for an unknown kind or an
    unknown or missing parameter (checked before anything runs)."""
    if not isinstance(task, dict) or "kind" not in task:
        raise InputError("a task is a mapping with a 'kind' and its parameters")
    kind = task["kind"]
    if kind not in TASKS:
        raise InputError(f"task kind = {kind!r} is not one of: {', '.join(KINDS)}")
    fn = TASKS[kind]
    params = {k: v for k, v in task.items() if k != "kind"}
    sig = inspect.signature(fn)
    takes_any = any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    unknown = [k for k in params if k not in sig.parameters and not takes_any]
    if unknown:
        raise InputError(f"{kind}: unknown parameter(s): {', '.join(sorted(unknown))}")
    missing = [n for n, p in sig.parameters.items()
               if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD and n not in params]
    if missing:
        raise InputError(f"{kind}: missing parameter(s): {', '.join(missing)}")
    return fn, params
