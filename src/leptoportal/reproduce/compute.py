"""The numbers of a reproduction run, as plain data (no drawing, no files).

The limit and thermal-target curves are scan tasks (`leptoportal.tasks`) so that they run
on Dask and resume; everything else is computed here directly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from leptoportal import g2
from leptoportal._typing import FloatArray
from leptoportal.model import (
    DEFAULT_ALPHA_DARK,
    DEFAULT_MASS_RATIO,
    DEFAULT_MODEL,
    MATRIX_MODELS,
    CouplingMatrix,
    DarkSector,
    ModelPoint,
    unit_pattern,
)
from leptoportal.reproduce.grids import (
    ANNIHILATION_EXPERIMENTS,
    DEFAULT_PRODUCTION,
    OTHER_ELECTRON_MOTIONS,
    PLANES,
    RELIC_MASS,
    SHOWER_EXPERIMENT,
    SHOWER_PRODUCTION,
    XSEC_SETUP,
    Grids,
    PlaneSpec,
)

if TYPE_CHECKING:
    from leptoportal.production import Process


def warm_up() -> None:
    """Load the compiled ETL kernels and relic solver in this process (the workers forked
    from it inherit them instead of loading them each)."""
    from leptoportal.production.etl import mapped_weights, point_weights
    from leptoportal.production.phasespace import map_sx
    from leptoportal.relic import bdf2_path

    proc = _xsec_process(0.2)
    y = np.full((4, 4), 0.5)
    mapped_weights(proc, y)
    point_weights(proc, map_sx(proc, y))
    bdf2_path(np.linspace(0.0, 1.0, 3), np.ones(3), np.ones(3))  # the compiled relic solver


def _xsec_process(m_phi: float) -> Process:
    """The process of the cross-section and spectrum figures (`XSEC_SETUP`) at m_phi."""
    from leptoportal.production import Process, get_target

    beam, energy, target = XSEC_SETUP
    return Process(beam, energy, get_target(target), m_phi)


def _pattern(spec: PlaneSpec) -> str | CouplingMatrix:
    """The unit coupling pattern of a plane (the paper's chiral pattern by name)."""
    return "chiral" if spec.model == DEFAULT_MODEL else CouplingMatrix.model(spec.model, 1.0)


def _task_model(spec: PlaneSpec) -> dict[str, Any]:
    """The coupling fields of a plane's tasks: none for the paper's model, the matrix of a
    model of several entries (a set-up's own model would contradict its name), else the
    name."""
    if spec.model == DEFAULT_MODEL:
        return {}
    if spec.model in MATRIX_MODELS:
        return {"couplings": MATRIX_MODELS[spec.model]}
    return {"model": spec.model}


def scan_tasks(grids: Grids, spec: PlaneSpec = PLANES[DEFAULT_MODEL]) -> list[dict[str, Any]]:
    """Limit (or sensitivity) tasks of every plane experiment, and the thermal target."""
    from leptoportal import experiments as ex
    from leptoportal.tasks import as_task, build
    from leptoportal.tasks.requests import LimitRequest, RelicTargetRequest

    model = _task_model(spec)
    tasks = []
    for name in spec.experiments:
        projection = {"sensitivity": True} if ex.get_preset(name).projection else {}
        for m in grids.plane_masses:
            tasks.append(as_task(build(LimitRequest, {
                "experiment": name, "m_phi": float(m), "precision": grids.limit_precision,
                "alpha_dark": DEFAULT_ALPHA_DARK, **model, **projection})))
    tasks += [as_task(build(RelicTargetRequest, {
        "m_phi": float(m), "alpha_dark": DEFAULT_ALPHA_DARK, "ratio": DEFAULT_MASS_RATIO,
        **model})) for m in grids.relic_masses]
    return tasks


#: a curve is refined between two nodes where its log-log slope changes by more than this
BEND_THRESHOLD = 0.5
#: at most this many new nodes per curve and pass
MAX_NEW_NODES = 4


def refinement_tasks(tasks: list[dict[str, Any]], rows: list[dict[str, Any]]
                     ) -> list[dict[str, Any]]:
    """New tasks at the geometric midpoints of the intervals where a curve (a limit per
    experiment, the thermal target) bends or ends (a finite value next to none): the curves
    are sampled adaptively. ``rows`` are the finished results of ``tasks`` (each row holds
    its task's fields)."""
    by_key = {(t["kind"], t.get("experiment"), t["m_phi"]): t for t in tasks
              if t["kind"] in ("limit", "relic-target")}
    curves: dict[tuple[Any, ...], list[tuple[float, float | None, dict[str, Any]]]] = {}
    for r in rows:
        t = by_key.get((r["kind"], r.get("experiment"), r.get("m_phi")))
        if t is None:
            continue
        value = r.get("h_limit") if t["kind"] == "limit" else r.get("h_relic")
        ok = value is not None and math.isfinite(value) and value > 0
        curves.setdefault((t["kind"], t.get("experiment")), []).append(
            (t["m_phi"], value if ok else None, t))
    new = []
    for pts in curves.values():
        pts.sort(key=lambda p: p[0])
        scores = []
        for i in range(len(pts) - 1):
            (m0, h0, _), (m1, h1, _) = pts[i], pts[i + 1]
            if (h0 is None) != (h1 is None):
                scores.append((math.inf, i))  # an edge of the curve
                continue
            prev = pts[i - 1][1] if i else None
            if h0 is None or h1 is None or prev is None:
                continue
            mp, hp = pts[i - 1][0], prev
            before = math.log(h0 / hp) / math.log(m0 / mp)
            after = math.log(h1 / h0) / math.log(m1 / m0)
            if abs(after - before) > BEND_THRESHOLD:
                scores.append((abs(after - before), i - 1))
                scores.append((abs(after - before), i))
        for _, i in sorted(set(scores), reverse=True)[:MAX_NEW_NODES]:
            m_mid = math.sqrt(pts[i][0] * pts[i + 1][0])
            new.append({**pts[i][2], "m_phi": float(m_mid)})
    unique = {json.dumps(t, sort_keys=True): t for t in new}
    known = {json.dumps(t, sort_keys=True) for t in tasks}
    return [t for k, t in unique.items() if k not in known]


def annihilation_tasks(grids: Grids) -> list[dict[str, Any]]:
    """Sensitivity tasks of the mu+ e- -> phibar annihilation set-ups (e-mu model): the 160 GeV
    beam on `annihilation_masses`, the beam-energy scan on
    `scan_masses`."""
    from leptoportal.tasks import as_task, build
    from leptoportal.tasks.requests import LimitRequest

    masses = {"na64mu-plus": grids.annihilation_masses, "na64mu-plus-scan": grids.scan_masses}
    base = [{"experiment": name, "m_phi": float(m), "sensitivity": True,
             "precision": grids.limit_precision, "alpha_dark": DEFAULT_ALPHA_DARK}
            for name in ANNIHILATION_EXPERIMENTS for m in masses[name]]
    # the 160 GeV reach with the other models of the target electrons
    base += [{**t, "electron_motion": motion} for motion in OTHER_ELECTRON_MOTIONS
             for t in base if t["experiment"] == "na64mu-plus"]
    return [as_task(build(LimitRequest, t)) for t in base]


def shower_tasks(grids: Grids) -> list[dict[str, Any]]:
    """Limit tasks of the electron-philic NA64e set-up with and without the shower
    positrons."""
    from leptoportal.tasks import as_task, build
    from leptoportal.tasks.requests import LimitRequest

    return [as_task(build(LimitRequest, {
        "experiment": SHOWER_EXPERIMENT, "m_phi": float(m), "precision": grids.limit_precision,
        "alpha_dark": DEFAULT_ALPHA_DARK, "production": production}))
            for production in (SHOWER_PRODUCTION, DEFAULT_PRODUCTION)
            for m in grids.shower_masses]


@dataclass
class ShowerReach:
    """The electron-philic NA64e limit with and without shower positrons: (m, h, n_res,
    n_conv) per mass."""

    with_showers: list[tuple[float, float, float, float]]
    without: list[tuple[float, float, float, float]]


def _events_split(row: dict[str, Any]) -> tuple[float, float]:
    """(annihilation events, conversion events) of a limit row at h_limit (0 where the
    set-up has no such channel)."""
    by_channel = row.get("events_by_channel") or {}
    conversion = by_channel.get("conversion", 0.0)
    return sum(v for c, v in by_channel.items() if c != "conversion"), conversion


def shower_reach(rows: list[dict[str, Any]]) -> ShowerReach:
    """The two curves of `shower_tasks()` from the scan rows."""
    curves: dict[bool, list[Any]] = {True: [], False: []}
    for r in rows:
        if r["kind"] == "limit" and r.get("experiment") == SHOWER_EXPERIMENT \
                and "production" in r:
            curves["shower-positrons" in r["production"]].append(
                (r["m_phi"], r["h_limit"], *_events_split(r)))
    return ShowerReach(sorted(curves[True]), sorted(curves[False]))


@dataclass
class PlaneData:
    """Everything drawn in the (m_phi, h) plane."""

    masses: np.ndarray
    bands: dict[str, list[Any]]          # muon g-2 dataset -> band per mass (may be empty)
    electron_limits: dict[str, list[float]]
    limits: dict[str, list[tuple[float, float, float]]]   # experiment -> (m, h, h_err)
    relic: list[tuple[float, float]]       # (m, h_relic)
    # (m, h_max, channel): the strongest cLFV bound (models with one, leptoportal.lfv)
    clfv: list[tuple[float, float, str]] = field(default_factory=list)


def plane(grids: Grids, rows: list[dict[str, Any]], spec: PlaneSpec = PLANES[DEFAULT_MODEL]
          ) -> PlaneData:
    """g-2 bands, electron g-2 limits, and the limit and relic rows of the scan. A band (or
    electron limit) that the model cannot give (Delta a of the wrong sign or zero) is left
    out."""
    masses = np.asarray(grids.band_masses)
    pattern = _pattern(spec)
    bands = {}
    if g2.delta_a_mu(float(masses[0]), unit_pattern(pattern)) > 0:
        bands = {ds: [g2.coupling_band(m, ds, pattern) for m in masses]
                 for ds in g2.MUON_DATASETS}
    electron = {}
    if g2.delta_a_e(float(masses[0]), unit_pattern(pattern)) != 0:
        electron = {ds: [g2.electron_g2_upper_coupling(m, ds, pattern) for m in masses]
                    for ds in g2.ELECTRON_DATASETS}
    limits: dict[str, list[Any]] = {}
    for r in rows:
        if r["kind"] == "limit" and r["experiment"] in spec.experiments:
            limits.setdefault(r["experiment"], []).append(
                (r["m_phi"], r["h_limit"], r["h_limit_err"]))
    for pts in limits.values():
        pts.sort()
    relic = sorted((r["m_phi"], r["h_relic"]) for r in rows
                   if r["kind"] == "relic-target" and r.get("h_relic") is not None)
    return PlaneData(masses, bands, electron, limits, relic, clfv_bound(masses, pattern))


def clfv_bound(masses: FloatArray,
               pattern: str | CouplingMatrix) -> list[tuple[float, float, str]]:
    """(m, h_max, channel) of the strongest charged-LFV bound at each mass where the pattern
    has one (`leptoportal.lfv.lfv()`, the benchmark dark sector)."""
    from leptoportal.lfv import lfv

    matrix = unit_pattern(pattern)
    out = []
    for m in masses:
        r = lfv(float(m), matrix, 1.0, DarkSector.default(float(m)))
        if r.h_limit is not None and math.isfinite(r.h_limit):
            out.append((float(m), r.h_limit, str(r.h_limit_channel)))
    return out


@dataclass
class ConstraintsPlane:
    """Every bound of `leptoportal.constraints` in the (m_phi, h) plane of a model: per bound
    its (m, h_limit) points, what it bounds, the NA64 limits and projections of the scan, and
    the combined allowed h per mass."""

    masses: list[float]
    # bound -> (m, h_limit) where it bounds h; and its (observable, experiment, cl, combined)
    bounds: dict[str, list[tuple[float, float]]]
    about: dict[str, tuple[str, str, float, bool]]
    # NA64 (scan rows, the same limit function as the missing-energy bounds): name -> (m, h)
    na64: dict[str, list[tuple[float, float]]]
    # (m, h_allowed, bound): the largest h every combined bound allows, and which sets it
    combined: list[tuple[float, float, str]]


def constraints_plane(grids: Grids, plane_data: PlaneData,
                      spec: PlaneSpec) -> ConstraintsPlane:
    """The bounds of `leptoportal.constraints` on the plane's coupling pattern at each mass of
    ``grids.constraint_masses`` (the benchmark dark sector), with the NA64 limits of the scan
    in place of the missing-energy bounds (the same `limit_point()`, computed once); the
    combination is the smallest h_limit of the combined bounds and of the published NA64
    limits (log-interpolated between the scan's masses)."""
    from leptoportal import experiments as ex
    from leptoportal.constraints import CONSTRAINTS, evaluate
    from leptoportal.constraints.missing_energy import MissingEnergy

    matrix = CouplingMatrix.model(spec.model, 1.0)
    bounds: dict[str, list[tuple[float, float]]] = {}
    combined: list[tuple[float, float, str]] = []
    na64 = {name: [(m, h) for m, h, _ in pts if h is not None and math.isfinite(h)]
            for name, pts in plane_data.limits.items()}
    published = {n: pts for n, pts in na64.items() if pts and not ex.get_preset(n).projection}
    for m in grids.constraint_masses:
        point = ModelPoint(m, matrix, 1.0, DarkSector.default(m), open_lepton_decays=True)
        best: tuple[float, str] | None = None
        for b in evaluate(point, only=lambda c: not isinstance(c, MissingEnergy)):
            if b.status != "bound" or b.h_limit is None:
                continue
            bounds.setdefault(b.name, []).append((m, b.h_limit))
            if b.combined and (best is None or b.h_limit < best[0]):
                best = (b.h_limit, b.name)
        for name, pts in published.items():
            m_l, h_l = np.array(pts).T
            if m_l[0] <= m <= m_l[-1]:
                h = float(np.exp(np.interp(np.log(m), np.log(m_l), np.log(h_l))))
                if best is None or h < best[0]:
                    best = (h, name)
        if best is not None:
            combined.append((m, *best))
    about = {name: (c.measurement.quantity, c.measurement.experiment, c.measurement.cl,
                    c.combined) for name, c in CONSTRAINTS.items() if name in bounds}
    return ConstraintsPlane(list(grids.constraint_masses), bounds, about, na64, combined)


def set_by_ranges(data: ConstraintsPlane) -> dict[str, list[list[float]]]:
    """Per bound, the mass ranges [lo, hi] (GeV, grid masses) where it sets the combined
    bound."""
    out: dict[str, list[list[float]]] = {}
    previous = None
    for m, _, name in data.combined:
        if name == previous:
            out[name][-1][1] = m
        else:
            out.setdefault(name, []).append([m, m])
        previous = name
    return out


@dataclass
class AnnihilationReach:
    """The annihilation reach and what it is compared with: the g-2 bands and the NA64e limit of
    the (m_phi, h) plane."""

    plane: PlaneData
    reach: dict[str, list[tuple[float, float, float, float]]]  # (m, h, n_res, n_conv)


def annihilation_reach(rows: list[dict[str, Any]], plane_data: PlaneData) -> AnnihilationReach:
    """The sensitivity curves of `ANNIHILATION_EXPERIMENTS` from the scan rows."""
    reach: dict[str, list[Any]] = {name: [] for name in ANNIHILATION_EXPERIMENTS}
    reach.update({f"na64mu-plus ({m})": [] for m in OTHER_ELECTRON_MOTIONS})
    for r in rows:
        if r["kind"] != "limit" or r["experiment"] not in ANNIHILATION_EXPERIMENTS:
            continue
        key = (r["experiment"] if "electron_motion" not in r
               else f"{r['experiment']} ({r['electron_motion']})")
        reach[key].append((r["m_phi"], r["h_limit"], *_events_split(r)))
    for pts in reach.values():
        pts.sort()
    return AnnihilationReach(plane_data, reach)


def excluded_ranges(masses: FloatArray, band: list[Any],
                    limit_pts: list[tuple[float, float, float]]) -> dict[str, Any]:
    """m_phi ranges where a limit lies below the band's central value ("central"), below the
    lower 2 sigma edge (the whole band is excluded, "whole_2sigma") and below the upper 2 sigma
    edge (part of the band is excluded, "part_2sigma"); log interpolation of the limit onto the
    band grid. ``limit_pts``: (m, h, ...) tuples."""
    if not limit_pts or not band:
        return {"central": [], "whole_2sigma": [], "part_2sigma": []}
    m_l, h_l = np.array([p[:2] for p in sorted(limit_pts)]).T
    masses = np.asarray(masses)
    inside = (masses >= m_l[0]) & (masses <= m_l[-1])
    lim = np.exp(np.interp(np.log(masses), np.log(m_l), np.log(h_l)))
    out = {}
    for key, ref in (("central", np.array([b.h_central for b in band])),
                     ("whole_2sigma", np.array([b.h_2sigma_lo for b in band])),
                     ("part_2sigma", np.array([b.h_2sigma_hi for b in band]))):
        mask = inside & (lim < ref)
        ranges = []
        i = 0
        while i < len(masses):
            if mask[i]:
                j = i
                while j + 1 < len(masses) and mask[j + 1]:
                    j += 1
                ranges.append([float(masses[i]), float(masses[j])])
                i = j + 1
            else:
                i += 1
        out[key] = ranges
    return out


def xsec_comparison(grids: Grids) -> list[dict[str, Any]]:
    """sigma(e- Pb -> mu- Pb phi) at 100 GeV by ETL, WW and IWW (chiral h = 1)."""
    from leptoportal.numerics import Numerics
    from leptoportal.production import sigma_etl, sigma_iww, sigma_ww

    rows = []
    for m in grids.xsec_masses:
        proc = _xsec_process(float(m))
        e = sigma_etl(proc, Numerics(precision=grids.xsec_precision))
        w, i = sigma_ww(proc), sigma_iww(proc)
        rows.append({"m_phi": float(m), "sigma_etl_pb": e.sigma_pb,
                     "sigma_etl_err_pb": e.sigma_err_pb, "sigma_ww_pb": w.sigma_pb,
                     "sigma_iww_pb": i.sigma_pb})
    return rows


def spectra(grids: Grids) -> list[tuple[float, dict[str, Any], Any]]:
    """(m_phi, {observable: Spectrum}, total XsecResult) for dsigma/dx and dsigma/dE_out."""
    from leptoportal.production import default_edges
    from leptoportal.production import spectra as prod_spectra

    out: list[tuple[float, dict[str, Any], Any]] = []
    for m in grids.spectrum_masses:
        proc = _xsec_process(m)
        edges = {"x": default_edges(proc, "x", 40), "e_out": default_edges(proc, "e_out", 40)}
        specs, total = prod_spectra(proc, edges, n_events=grids.spectrum_events)
        out.append((m, specs, total))
    return out


@dataclass
class RelicCurve:
    """Omega h^2 versus h at one benchmark point, for two g* tables, and h at 0.120."""

    m_phi: float
    dark: DarkSector
    h: list[float]
    omega: list[float]
    omega_idealgas: list[float]
    h_relic: float


def relic_curve(grids: Grids) -> RelicCurve:
    """Omega h^2 versus h at m_phi = RELIC_MASS with the benchmark dark sector."""
    from leptoportal import relic
    from leptoportal.model import Portal

    m = RELIC_MASS
    dark = DarkSector.benchmark(m, alpha_dark=DEFAULT_ALPHA_DARK, ratio=DEFAULT_MASS_RATIO)
    om = [relic.omega_h2(Portal.from_kind(m, h), dark).omega_h2 for h in grids.relic_h]
    om_alt = [relic.omega_h2(Portal.from_kind(m, h), dark, "idealgas").omega_h2
              for h in grids.relic_h]
    h_star = relic.h_for_relic(m, DEFAULT_ALPHA_DARK, DEFAULT_MASS_RATIO)
    return RelicCurve(m, dark, list(grids.relic_h), om, om_alt, h_star)


__all__ = [
    "BEND_THRESHOLD", "MAX_NEW_NODES", "ConstraintsPlane", "constraints_plane",
    "excluded_ranges", "plane", "PlaneData", "refinement_tasks", "set_by_ranges",
    "relic_curve", "RelicCurve", "annihilation_reach", "ShowerReach", "shower_reach",
    "shower_tasks", "annihilation_tasks", "AnnihilationReach", "scan_tasks", "spectra",
    "xsec_comparison",
]


def __dir__() -> list[str]:
    return __all__
