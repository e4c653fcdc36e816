"""The task boundary: one function per kind of computation, each taking a typed request
(`requests`) and returning a typed result (`Result`).

Every command of the command line is: options -> request -> ``tasks.<kind>`` -> result ->
writer; a scan runs exactly the same functions through `run_task()`, so a row of a scan
is the command's JSON for the same inputs (plus the task's parameters), by construction.
Defaults are decided where a request is turned into physics objects (the request's methods):
the chiral e-mu pattern, the benchmark dark sector (alpha_D = 0.1, m_phi = 3 m_chi), the
precision of each kind.

Examples
--------

>>> from leptoportal import tasks
>>> band = tasks.g2_band(tasks.build("g2-band", {"m_phi": 0.2}))
>>> round(band.h_central, 6)
0.001832
>>> tasks.run_task({"kind": "g2-band", "m_phi": 0.2})["h_central"] == band.h_central
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from leptoportal._typing import ProgressFn
from leptoportal.errors import DomainError, InputError, echo, require_choice, require_range
from leptoportal.results import Result
from leptoportal.tasks.registry import TASKS, TaskKind, task
from leptoportal.tasks.requests import (
    ConstraintsRequest,
    G2BandRequest,
    G2Request,
    GenerateRequest,
    LFVRequest,
    LimitRequest,
    RelicRequest,
    RelicTargetRequest,
    Request,
    WidthsRequest,
    XsecRequest,
    YieldRequest,
)
from leptoportal.tasks.requests import build as build_request
from leptoportal.tasks.results import (
    BandInputs,
    ConstraintsInputs,
    GenerateResult,
    LFVInputs,
    LimitSetup,
    TargetInputs,
)

if TYPE_CHECKING:
    from leptoportal.constraints import ConstraintsResult
    from leptoportal.decays import Widths
    from leptoportal.experiments.limits import LimitResult
    from leptoportal.experiments.presets import ExperimentConfig
    from leptoportal.experiments.yields import YieldResult
    from leptoportal.g2 import CouplingBand, G2Result
    from leptoportal.lfv import LFVResult
    from leptoportal.model import CouplingMatrix, Couplings, ModelPoint
    from leptoportal.numerics import Numerics
    from leptoportal.production.process import Process
    from leptoportal.production.results import ResonanceResult, XsecResult
    from leptoportal.relic import DarkCouplingTarget, RelicResult, ThermalTarget

F = TypeVar("F", bound=Callable[..., Any])

#: "auto" backend: a single ETL point at a requested precision of at least this is computed
#: with the numpy reference (~1e5 evaluations, ~0.1-0.3 s), which is faster than loading the
#: compiled kernel (~0.7 s, benchmarks/bench_startup.py); finer points use the compiled one
AUTO_NUMPY_PRECISION = 1e-3


def _couplings(req: Any,
               pair: tuple[str, str] | None = None, need_h: bool = True
               ) -> CouplingMatrix | Couplings:
    """h times the request's pattern, with the perturbativity warning (once per request)."""
    from leptoportal.model import warn_if_strong

    couplings = req.pattern(pair).scaled(req.h_value(need_h))
    warn_if_strong(couplings)
    returned: CouplingMatrix | Couplings = couplings
    return returned


# ------------------------------------------------------------------------------------------
# g-2 and decays
# ------------------------------------------------------------------------------------------


@task(G2Request, ("leptoportal.g2:G2Result",), "Delta a_l at one point")
def g2(req: G2Request) -> G2Result:
    """Delta a_mu, Delta a_e (and Delta a_tau) at one point
    (`leptoportal.g2.contributions()`)."""
    from leptoportal import g2 as g2m

    return g2m.contributions(req.m_phi, _couplings(req))


def band_inputs(req: G2BandRequest) -> BandInputs:
    """What the points of a g-2 band share: the dataset and the pattern."""
    from leptoportal import g2 as g2m

    ds = g2m.get_dataset(req.dataset, "mu")
    return BandInputs(req.dataset, ds.delta, ds.sigma, f"{ds.a_exp}; {ds.a_sm}",
                      req.described())


@task(G2BandRequest, ("leptoportal.g2:CouplingBand",), "the coupling band per mass",
      band_inputs, "leptoportal.tasks.results:BandInputs")
def g2_band(req: G2BandRequest) -> CouplingBand:
    """The g-2 coupling band (or upper limit) of the pattern that h multiplies
    (`leptoportal.g2.coupling_band()`)."""
    from leptoportal import g2 as g2m

    return g2m.coupling_band(req.m_phi, req.dataset, req.pattern(), req.cl)


@task(WidthsRequest, ("leptoportal.decays:Widths",),
      "widths, branching fraction, decay length")
def widths(req: WidthsRequest) -> Widths:
    """Widths, branching fractions and c tau (`leptoportal.decays.widths()`; the benchmark
    dark sector unless g_dark or alpha_dark is given, `leptoportal.defaults`)."""
    from leptoportal import decays
    from leptoportal.model import Portal, dark_sector

    portal = Portal(req.m_phi, _couplings(req))
    return decays.widths(portal, dark_sector(portal.m_phi, req.g_dark, req.alpha_dark,
                                             req.m_chi))


def lfv_inputs(req: LFVRequest) -> LFVInputs:
    """What the points of a list of ``lfv`` share: the matrix, h, alpha_D and the limits."""
    from leptoportal.lfv import experimental_limits
    from leptoportal.model import as_matrix

    dark = req.dark_sector(req.m_phi)
    return LFVInputs(
        as_matrix(req.pattern()).as_dict(), req.h_value(need_h=False),
        0.0 if dark is None else dark.alpha_dark,
        {c: [lim.br_limit, lim.experiment] for c, lim in experimental_limits().items()})


@task(LFVRequest, ("leptoportal.lfv:LFVResult",),
      "cLFV branching ratios with their limits per mass", lfv_inputs,
      "leptoportal.tasks.results:LFVInputs")
def lfv(req: LFVRequest) -> LFVResult:
    """Charged-lepton-flavour-violating branching ratios with their limits, and the upper
    limit on the scale h of the couplings (`leptoportal.lfv.lfv()`)."""
    from leptoportal import lfv as lfvm
    from leptoportal.model import as_matrix, validate_m_phi, warn_if_strong

    matrix = as_matrix(req.pattern())
    m_phi = validate_m_phi(req.m_phi, matrix)
    h = req.h_value(need_h=False)
    warn_if_strong(matrix.scaled(h))
    return lfvm.lfv(m_phi, matrix, h, req.dark_sector(m_phi))


def constraints_inputs(req: ConstraintsRequest) -> ConstraintsInputs:
    """What the points of a list of ``constraints`` share: the matrix, h and alpha_D."""
    from leptoportal.model import as_matrix

    dark = req.dark_sector(req.m_phi)
    return ConstraintsInputs(as_matrix(req.pattern()).as_dict(), req.h_value(need_h=False),
                             0.0 if dark is None else dark.alpha_dark)


@task(ConstraintsRequest, ("leptoportal.constraints:ConstraintsResult",),
      "every bound on the coupling matrix per mass", constraints_inputs,
      "leptoportal.tasks.results:ConstraintsInputs")
def constraints(req: ConstraintsRequest) -> ConstraintsResult:
    """Every registered bound at one mass, and the combined bound on h
    (`leptoportal.constraints.constraints_at()`)."""
    from leptoportal.constraints import constraints_at
    from leptoportal.model import ModelPoint, as_matrix, validate_m_phi, warn_if_strong

    matrix = as_matrix(req.pattern())
    m_phi = validate_m_phi(req.m_phi, matrix, open_lepton_decays=True)
    h = req.h_value(need_h=False)
    warn_if_strong(matrix.scaled(h))
    return constraints_at(ModelPoint(m_phi, matrix, h, req.dark_sector(m_phi),
                                     open_lepton_decays=True))


# ------------------------------------------------------------------------------------------
# production
# ------------------------------------------------------------------------------------------


def resolve_backend(backend: str, precision: float) -> str:
    """The backend of one ETL point: ``backend``, or for "auto" the numpy reference at a
    precision of at least `AUTO_NUMPY_PRECISION` and the compiled kernel below."""
    if backend != "auto":
        return backend
    return "numpy" if precision >= AUTO_NUMPY_PRECISION else "numba"


#: production channel -> the function of its cross-section (`cross_section()`)
CROSS_SECTIONS: dict[str, Callable[[XsecRequest], Result]] = {}


def cross_section(channel: str) -> Callable[[F], F]:
    """Register the decorated function as the ``xsec`` of a production channel (named in
    `leptoportal.experiments.presets.CHANNELS`)."""

    def register(fn: F) -> F:
        CROSS_SECTIONS[channel] = fn
        return fn

    return register


@task(XsecRequest, ("leptoportal.production.results:XsecResult",
                    "leptoportal.production.results:ResonanceResult"),
      "a cross-section of a production channel (--process)")
def xsec(req: XsecRequest) -> Result:
    """The cross-section of the request's production channel (``process``): an `XsecResult`
    of l N -> l' N phi, or the `ResonanceResult` of an annihilation (h = 1 unless given).
    With ``spectrum`` the result carries the differential cross-section as its
    ``side_table``."""
    return CROSS_SECTIONS[req.process](req)


@cross_section("conversion")
def conversion_cross_section(req: XsecRequest) -> XsecResult:
    """l N -> l' N phi. A compound or calorimeter target gives the cross-section per atom,
    averaged over its atoms (each element with its own form factor, as yields sum them)."""
    from leptoportal import production as prod
    from leptoportal.numerics import Numerics

    numerics = Numerics(precision=req.precision, seed=req.seed, cache=False, route=req.route,
                        backend=resolve_backend(req.backend, req.precision))
    parts, fractions = [], []
    for proc, fraction in _processes(req):
        part = (prod.cross_section(proc, req.method, numerics) if req.spectrum is None
                else _spectrum(proc, req, numerics))
        if req.ff_systematic:
            part = part.replaced(form_factor_variants_pb=prod.form_factor_spread(
                proc, req.method, numerics))
        parts.append(part)
        fractions.append(fraction)
    name = prod.get_material(req.target).name
    result = parts[0] if len(parts) == 1 else _mixture(parts, fractions, name)
    syst = None
    if req.ff_systematic:
        spread = result.form_factor_variants_pb or {}
        syst = max(abs(v - result.sigma_pb) for v in spread.values())
    return result.replaced(h=req.h_value(need_h=False), form_factor_syst_pb=syst)


def final_lepton_of(req: GenerateRequest | XsecRequest, flavour: str) -> str | None:
    """The outgoing flavour of a conversion request: the one given, else (for a named model or
    a matrix) the flavour its couplings produce from the beam's (the other of e/mu first);
    None: the e-mu portal's default."""
    from leptoportal.model import LEPTONS, as_matrix, describe_couplings
    from leptoportal.production.process import DEFAULT_FINAL_LEPTON

    if req.final_lepton is not None:
        return require_choice("final_lepton", req.final_lepton, LEPTONS)
    if req.model is None and req.couplings is None:
        return None
    pattern = req.pattern()
    produced = [f for f in LEPTONS if as_matrix(pattern).vertex(flavour, f).norm2 > 0]
    if DEFAULT_FINAL_LEPTON[flavour] in produced:
        return DEFAULT_FINAL_LEPTON[flavour]
    if len(produced) == 1:
        return produced[0]
    if not produced:
        raise DomainError(f"the couplings {describe_couplings(pattern)} couple no lepton to "
                          f"the {flavour} beam: no l N -> l' N phi occurs",
                          parameters=("model", "couplings", "beam"))
    raise InputError(f"the couplings produce {', '.join(produced)} from a {flavour} beam: "
                     "choose the final_lepton", parameters=("final_lepton",))


def _processes(req: GenerateRequest | XsecRequest) -> list[Any]:
    """(Process, atom fraction) on each element of the request's target."""
    from leptoportal import production as prod

    beam = require_choice("beam", str(req.beam), tuple(prod.BEAMS))
    flavour = prod.BEAMS[beam][0]
    final = final_lepton_of(req, flavour)
    couplings = _couplings(req, (flavour, final) if final else None, need_h=False)
    # a conversion request has its beam, energy and target (generate: its set-up's)
    assert req.energy is not None and req.target is not None
    # final None: the Process takes the portal's default outgoing flavour
    return [(prod.Process(beam, req.energy, element, req.m_phi, couplings,
                          req.form_factor, cast(str, final)), fraction)
            for element, fraction in prod.get_material(req.target).atom_fractions()]


def _mixture(parts: list[XsecResult], fractions: list[float], name: str) -> XsecResult:
    """The per-atom result of a material from its elements' results (totals, spectra and
    form-factor variants weighted by the atom fractions)."""
    from leptoportal.production import XsecResult

    out = XsecResult.mixture(parts, fractions, name)
    changes: dict[str, Any] = {}
    table: tuple[list[dict[str, Any]] | None, list[str] | None] = (None, None)
    if parts[0].side_table is not None:
        rows = []
        for cells in zip(*(p.side_table for p in parts), strict=True):
            row = dict(cells[0])
            row["dsigma_pb"] = sum(f * c["dsigma_pb"] for c, f in zip(cells, fractions,
                                                                      strict=True))
            row["dsigma_err_pb"] = math.sqrt(sum((f * c["dsigma_err_pb"]) ** 2 for c, f in
                                                 zip(cells, fractions, strict=True)))
            rows.append(row)
        changes.update(spectrum=parts[0].spectrum, out=parts[0].out)
        table = (rows, [f"target: {name} (dsigma per atom, averaged over its atoms)"]
                 + [c for c in (parts[0].side_comments or []) if not c.startswith("target")])
    variants = [p.form_factor_variants_pb for p in parts]
    if variants[0] is not None:
        changes["form_factor_variants_pb"] = {
            ff: sum(f * v[ff] for v, f in zip(variants, fractions, strict=True)
                    if v is not None)
            for ff in variants[0]}
    return replace(out, **changes).with_table(*table)


def _spectrum(proc: Process, req: XsecRequest, numerics: Numerics) -> XsecResult:
    """The total of a differential cross-section, with the spectrum as its table."""
    from leptoportal import production as prod

    spectrum = require_choice("spectrum", str(req.spectrum), (*prod.OBSERVABLES, "x:cos_theta"))
    bins = int(require_range("bins", req.bins, 1, 1000))
    c = proc.pair_couplings
    inputs = {"beam": proc.beam, "final_lepton": proc.out_lepton, "scalar": proc.scalar,
              "energy": proc.energy, "target": proc.target.name, "m_phi": proc.m_phi,
              "c_s": c.c_s, "c_p": c.c_p, "form_factor": proc.form_factor,
              "seed": numerics.seed, "method": "etl"}
    if spectrum == "x:cos_theta":
        require_range("bins", bins, 1, 200)
        spec = prod.spectrum_2d(proc, prod.default_edges(proc, "x", bins),
                                prod.default_edges(proc, "cos_theta", bins), numerics=numerics)
        total, rows = spec.total, spec.rows()
        what = "dsigma/dx dcos(theta_phi) in pb"
    else:
        edges = prod.default_edges(proc, spectrum, bins)
        specs, total = prod.spectra(proc, {spectrum: edges}, numerics=numerics)
        rows = specs[spectrum].rows()
        what = f"observable: {spectrum}; dsigma in pb per unit of the observable"
    return replace(total, spectrum=spectrum, out=req.out).with_table(
        rows, [f"{k}: {v}" for k, v in inputs.items()] + [
            f"sigma_pb: {total.sigma_pb}", f"sigma_err_pb: {total.sigma_err_pb}", what])


@cross_section("resonant")
def beam_annihilation_cross_section(req: XsecRequest) -> ResonanceResult:
    """l+ e- -> phi on the target's electrons (per electron at rest; its line shape as
    the spectrum e_beam)."""
    from leptoportal.model import DEFAULT_MASS_RATIO
    from leptoportal.production.resonance import ANNIHILATING_BEAMS, Resonance
    from leptoportal.production.results import ResonanceResult
    from leptoportal.production.targets import get_material

    require_choice("beam", req.beam, tuple(ANNIHILATING_BEAMS))
    m = float(require_range("m_phi", req.m_phi))
    couplings = _couplings(req, ("e", ANNIHILATING_BEAMS[req.beam]), need_h=False)
    res = Resonance(req.beam, m, couplings, req.dark_sector(m), req.polarisation)
    result = replace(ResonanceResult.of(res, get_material(req.target),
                                        res.m_phi / DEFAULT_MASS_RATIO, req.process),
                     h=req.h_value(need_h=False))
    if req.spectrum is None:
        return result
    result = replace(result, spectrum=req.spectrum, out=req.out)
    return result.with_table(
        res.line_shape(int(require_range("bins", req.bins, 1, 1000))),
        [f"{k}: {v}" for k, v in result.to_dict().items()]
        + ["sigma in pb per target electron at rest, exact Breit-Wigner"])


# ------------------------------------------------------------------------------------------
# experiments
# ------------------------------------------------------------------------------------------


def setup_pattern(req: YieldRequest | LimitRequest, cfg: ExperimentConfig
                  ) -> CouplingMatrix | Couplings:
    """The coupling pattern of a request at an experiment: the request's couplings when it
    names them, else the set-up's model (a request's model that contradicts the set-up's is
    an error naming both); C_S/C_P or a pattern name alone apply to the model's flavour pair.
    """
    from leptoportal.model import DEFAULT_COUPLING, MODELS, resolve_couplings

    if req.model is not None and cfg.model is not None and req.model != cfg.model:
        raise DomainError(f"model = {req.model!r} contradicts the set-up {cfg.name}, which "
                          f"searches for {cfg.model}; drop model, or give the set-up another "
                          "model", parameters=("model", "experiment"))
    if cfg.model is None or req.model is not None or req.couplings is not None:
        return req.pattern()
    pair, kind = MODELS[cfg.model]
    if pair == ("e", "mu") and req.coupling is None and req.cs is None and req.cp is None:
        kind = DEFAULT_COUPLING if kind is None else kind
    return resolve_couplings(None, req.coupling or kind, req.cs, req.cp, pair=pair,
                             need_h=False)


def _experiment_point(req: YieldRequest | LimitRequest, cfg: ExperimentConfig, h: float
                      ) -> ModelPoint:
    """The `ModelPoint` of an experiment request at coupling h."""
    from leptoportal.model import ModelPoint, warn_if_strong

    m = float(require_range("m_phi", req.m_phi))
    point = ModelPoint(m, setup_pattern(req, cfg), h, req.dark_sector(m), req.br_invisible)
    warn_if_strong(point.couplings)
    return point


@task(YieldRequest, ("leptoportal.experiments.yields:YieldResult",), "expected signal events")
def signal_yield(req: YieldRequest) -> YieldResult:
    """Expected signal events of an experiment at one point
    (`leptoportal.experiments.signal_yield()`)."""
    from leptoportal.experiments import signal_yield as compute

    cfg = req.experiment_config()
    return compute(cfg, _experiment_point(req, cfg, req.h_value()), req.numerics())


def limit_config(req: LimitRequest) -> ExperimentConfig:
    """The experiment of a limit: with ``sensitivity``, n_obs is the rounded background."""
    from leptoportal.experiments import make_config

    cfg = req.experiment_config()
    if req.sensitivity:
        cfg = make_config(cfg.model_dump(), n_obs=round(cfg.background))
    return cfg


def limit_setup(req: LimitRequest) -> LimitSetup:
    """What the points of a list of limits share: the experiment, the statistics and the
    model (the header of the ``limit`` command)."""
    from leptoportal.model import DEFAULT_ALPHA_DARK
    from leptoportal.stats import METHODS

    require_choice("method", req.method, METHODS)
    cfg = limit_config(req)
    return LimitSetup(
        experiment=cfg.name, method=req.method, cl=req.cl, n_obs=cfg.n_obs,
        background=cfg.background, background_err=cfg.background_err, eot=cfg.total_eot,
        alpha_dark=req.alpha_dark if req.alpha_dark is not None else DEFAULT_ALPHA_DARK,
        br_invisible=req.br_invisible,
        model=req.described() if req.chooses_couplings() or cfg.model is None else cfg.model)


@task(LimitRequest, ("leptoportal.experiments.limits:LimitResult",),
      "upper limits on h per mass", limit_setup, "leptoportal.tasks.results:LimitSetup")
def limit(req: LimitRequest) -> LimitResult:
    """Upper limit on h at one mass (``sensitivity``: the expected limit with n_obs = b) for
    the pattern that h multiplies (`leptoportal.experiments.limit_point()`)."""
    from leptoportal import stats
    from leptoportal.experiments import limit_point

    cfg = limit_config(req)
    n_up = stats.upper_limit(cfg.n_obs, cfg.background, req.cl, req.method,
                             cfg.background_err)
    point = _experiment_point(req, cfg, 1.0)
    result = limit_point(cfg, point, n_up, req.numerics())
    _say_why_the_limit_means_little(result, point)
    return result


#: the warnings of a limit that excludes nothing (one line per run, whatever the masses)
NO_LIMIT = "no coupling gives the excluded number of signal events"
NON_PERTURBATIVE_LIMIT = "h_limit makes a coupling larger than sqrt(4 pi)"


def _say_why_the_limit_means_little(result: LimitResult, point: ModelPoint) -> None:
    """A warning where a limit excludes nothing: no coupling reaches the excluded count (the
    set-up passes no signal: h_limit is null), or only couplings beyond the perturbative
    bound |C| <= sqrt(4 pi) that every command of the package refuses. The text names no mass
    (a list of masses gets one line)."""
    import warnings

    from leptoportal.model import COUPLING_MAX, largest_coupling

    if result.h_limit is None or not math.isfinite(result.h_limit):
        warnings.warn(f"{NO_LIMIT} at some m_phi: at every h the set-up passes fewer there "
                      "(its cuts and acceptance leave no signal, or the invisible branching "
                      "fraction falls as h grows), so h_limit is null", stacklevel=2)
        return
    biggest = result.h_limit * largest_coupling(point.pattern)
    if biggest > COUPLING_MAX:
        warnings.warn(f"{NON_PERTURBATIVE_LIMIT} at some m_phi: the limit excludes no "
                      "coupling that perturbation theory describes there", stacklevel=2)


def limit_workspace(setup: LimitSetup, point: LimitResult) -> dict[str, Any]:
    """The HistFactory workspace (`leptoportal.histfactory.counting_workspace()`) of one
    limit: the signal sample is the expected signal at h = h_limit (n_up events), so that
    the signal strength mu = 1 is the package's limit and, where the yield goes as h^2,
    h = h_limit sqrt(mu); the background with its uncertainty and the observed count are
    the set-up's."""
    from leptoportal import __version__
    from leptoportal.histfactory import counting_workspace

    if point.h_limit is None or not math.isfinite(point.h_limit):
        raise DomainError(f"no limit at m_phi = {point.m_phi:g} GeV (no coupling gives "
                          f"{point.n_up:.4g} events): no workspace to write",
                          parameters=("m_phi",))
    name = (f"leptoportal {__version__}: {setup.experiment}, m_phi = {point.m_phi:.6g} GeV; "
            f"signal at h = {point.h_limit:.6g} ({setup.cl:g} CL {setup.method} limit), "
            f"model {setup.model}")
    return counting_workspace(point.n_up, setup.background, setup.background_err,
                              setup.n_obs, name=name)


# ------------------------------------------------------------------------------------------
# relic density
# ------------------------------------------------------------------------------------------


@task(RelicRequest, ("leptoportal.relic:RelicResult",), "Omega h^2")
def relic(req: RelicRequest) -> RelicResult:
    """Omega h^2 of the benchmark dark sector at a model point, or of a generic particle
    (``systematic``: also for every g* table, whose spread is the equation-of-state
    systematic)."""
    from leptoportal import relic as rl
    from leptoportal import thermo
    from leptoportal.model import Portal, dark_sector

    if req.generic:
        assert req.mass is not None and req.sigma_v is not None  # checked by the request
        model = rl.generic_model(req.mass, req.sigma_v, req.dm, req.p_wave)
        by_table = ({tb: rl.solve_boltzmann(model, tb).omega_h2 for tb in thermo.TABLES}
                    if req.systematic else None)
        return replace(rl.solve_boltzmann(model, req.table), mass=model.inputs["mass"],
                       sigma_v_cm3_s=model.inputs["sigma_v_cm3_s"], dm=req.dm,
                       p_wave=req.p_wave, omega_h2_by_table=by_table)
    assert req.m_phi is not None  # checked by the request
    portal = Portal(req.m_phi, _couplings(req))
    dark = dark_sector(portal.m_phi, req.g_dark, req.alpha_dark, req.m_chi, req.ratio)
    by_table = (rl.table_systematic(portal, dark, splitting=req.splitting)
                if req.systematic else None)
    return replace(rl.omega_h2(portal, dark, req.table, splitting=req.splitting),
                   h=req.h, coupling=req.described(), splitting=req.splitting,
                   omega_h2_by_table=by_table)


def target_inputs(req: RelicTargetRequest) -> TargetInputs:
    """What the points of a list of thermal targets share."""
    from leptoportal.relic import OMEGA_H2_PLANCK

    return TargetInputs(OMEGA_H2_PLANCK, req.ratio, req.table, req.described())


@task(RelicTargetRequest, ("leptoportal.relic:ThermalTarget",
                           "leptoportal.relic:DarkCouplingTarget"),
      "thermal targets per mass", target_inputs, "leptoportal.tasks.results:TargetInputs")
def relic_target(req: RelicTargetRequest) -> ThermalTarget | DarkCouplingTarget:
    """The thermal target at one mass: h for fixed alpha_D (null where no coupling gives
    Omega h^2 = 0.120), or alpha_D for h on the g-2 band (its central value, or the upper
    limit of a dataset without an anomaly)."""
    from leptoportal import g2 as g2m
    from leptoportal import relic as rl

    pattern = req.pattern()
    if req.alpha_dark is not None:
        return rl.thermal_target(req.m_phi, req.alpha_dark, req.ratio, pattern, req.table)
    assert req.h_on_g2_band is not None  # the request has exactly one of the two
    band = g2m.coupling_band(req.m_phi, req.h_on_g2_band, pattern)
    h = band.h_central if band.h_central is not None else band.h_upper
    assert h is not None  # a band has its central value or, without an anomaly, its limit
    return rl.dark_coupling_target(req.m_phi, h, req.ratio, pattern, req.table)


# ------------------------------------------------------------------------------------------
# events
# ------------------------------------------------------------------------------------------


def generate(req: GenerateRequest, progress: ProgressFn | None = None) -> GenerateResult:
    """Unweighted events of the request written to ``req.out`` (format from the name unless
    given); a compound target mixes its elements; with a set-up (``config``,
    ``thick_target``) the events follow its beam, energy and target, a thick electron target
    samples the depth and energy from the track length, and only events that pass the
    set-up's cuts are produced; ``progress(done, total)`` is called while events are
    accepted."""
    from leptoportal import generate as gen
    from leptoportal.outputs import check_output_file
    from leptoportal.production import get_material

    out = check_output_file(req.out, force=req.force)
    cfg = req.setup()
    # the set-up's beam, energy and target (the request's overrides are in it), else the
    # request's own
    req = req.model_copy(update={"beam": cfg.beam, "energy": cfg.energy, "target": cfg.target}
                         if cfg is not None else {"beam": req.beam or "e-"})
    if cfg is not None and cfg.model is not None and not req.chooses_couplings():
        req = req.model_copy(update={"model": cfg.model})  # the set-up's model, as limits do
    target = req.target
    assert target is not None  # given, or the set-up's (the request checks it)
    fmt = gen.format_for(out, req.format)
    # an LHE file gets the Pythia 8 settings that shower it beside it (writers.write_lhe)
    settings = (check_output_file(gen.pythia_settings_path(out), "out", req.force)
                if fmt in ("lhe", "lhe.gz") else None)
    # events are produced on the most abundant isotope of each element: the nucleus code
    # of the event files and the four-momenta then agree
    parts = [(p.with_(target=p.target.as_isotope()), f) for p, f in _processes(req)]
    first = parts[0][0]
    # a thick electron target: energies and depths from the track length of its converting
    # lepton; any other set-up: the beam energy (a muon's energy loss neglected, as yields do)
    thick = (cfg.model_copy(update={"final_leptons": [first.final_lepton]})
             if cfg is not None and cfg.mode == "thick" and not cfg.muon_beam else None)
    with gen.generated_events(first if len(parts) == 1 else parts, req.n, req.seed, thick,
                              req.dark_sector(first.m_phi), req.decay, progress=progress,
                              workdir=out.parent, material=get_material(target).name,
                              cuts=cfg.cuts() if cfg is not None else None) as stream:
        gen.write_stream(stream, first, out, fmt)
    return GenerateResult(out=str(out), format=fmt, n_events=stream.n,
                          h=req.h_value(need_h=False), sigma_pb=stream.sigma_pb,
                          sigma_err_pb=stream.sigma_err_pb,
                          unweighting_efficiency=stream.efficiency,
                          pythia_settings=None if settings is None else str(settings),
                          **stream.info)


# ------------------------------------------------------------------------------------------
# dispatch
# ------------------------------------------------------------------------------------------

#: the task kinds, in the order of the physics chain
KINDS = tuple(TASKS)


def build(kind: str | type[Request], params: dict[str, Any]) -> Request:
    """The validated request of a task kind (its name or its request class) from
    ``params`` (`leptoportal.tasks.requests.build()`)."""
    if isinstance(kind, str):
        if kind not in TASKS:
            raise InputError(f"task kind = {echo(kind)} is not one of: {', '.join(KINDS)}",
                             parameters=("kind",))
        return build_request(TASKS[kind].request, params)
    return build_request(kind, params)


def check_task(task: dict[str, Any]) -> tuple[Callable[[Any], Result], Request]:
    """The function and the validated request of a task ``{"kind": K, **parameters}``, or a
    one-line error (unknown kind, unknown or missing parameter, wrong type), before anything
    runs."""
    if not isinstance(task, dict) or "kind" not in task:
        raise InputError("a task is a mapping with a 'kind' and its parameters")
    kind = task["kind"]
    if not isinstance(kind, str) or kind not in TASKS:
        raise InputError(f"task kind = {kind!r} is not one of: {', '.join(KINDS)}",
                         parameters=("kind",))
    return TASKS[kind].run, build(kind, {k: v for k, v in task.items() if k != "kind"})


def as_task(request: Request) -> dict[str, Any]:
    """The task of a request (the inverse of `check_task()`): its kind and the parameters it
    was given, as a scan or a YAML file holds them.

    >>> from leptoportal.tasks.requests import G2BandRequest
    >>> as_task(build(G2BandRequest, {"m_phi": 0.2, "cl": 0.95}))
    {'kind': 'g2-band', 'm_phi': 0.2, 'cl': 0.95}
    """
    given = request.model_fields_set
    return {"kind": request.kind,
            **{k: v for k, v in request.model_dump().items() if k in given}}


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one task; the row is ``{**task, **result.to_dict()}``: the command's JSON
    for the same inputs, with the task's parameters."""
    fn, request = check_task(task)
    return {**task, **fn(request).to_dict()}


__all__ = [
    "AUTO_NUMPY_PRECISION", "KINDS", "TASKS", "as_task", "BandInputs", "GenerateResult", "TaskKind",
    "ConstraintsInputs", "LFVInputs", "LimitSetup", "TargetInputs", "band_inputs", "build",
    "check_task", "constraints", "constraints_inputs", "g2",
    "g2_band", "generate", "lfv", "lfv_inputs", "limit", "limit_config", "limit_setup",
    "limit_workspace", "relic", "relic_target", "resolve_backend", "run_task", "signal_yield",
    "target_inputs", "widths", "xsec",
]


def __dir__() -> list[str]:
    return __all__
