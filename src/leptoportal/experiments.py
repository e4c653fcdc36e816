"""Signal yields, experiment presets and coupling limits (SPEC section 6).

Yield for N_EOT beam leptons, per target atom column n0 = N_A X0 / A (atoms/cm^2 per X0):

* thin target of T radiation lengths: N = N_EOT n0 T sigma_sel(E0) eff Br_inv;
* thick electron target (active ECAL): the primary electron's track length in Tsai's
  approximation (Rev. Mod. Phys. 46 (1974) 815, eq. 3.?; SPEC 6),
  I_e(E0, E, t) = (1/E0) [ln(E0/E)]^(4t/3 - 1) / Gamma(4t/3),
  N = N_EOT n0 Int_0^T dt Int dE I_e(E0, E, t) sigma_sel(E) eff Br_inv.
  In y = ln(E0/E) the depth-t spectrum is a Gamma(b = 4t/3) distribution, so with sigma_sel
  piecewise linear in y the E integral is exact in terms of regularised incomplete gamma
  functions; the t integral is a composite Gauss-Legendre rule.
* muon beams: energy loss neglected, thin target of the full length (SPEC 6).

Shower secondaries: Tsai's formula follows the primary only. Secondary e+ e- of the shower
carry energy below E0/2 after the first radiation length, so with a selection that needs the
converting lepton above E0/2 (NA64: E_conv > 50 GeV at E0 = 100 GeV) they contribute only
through the first ~X0, at the per-cent level; they are not included, and presets with lower
thresholds state it.

sigma_sel(E) is the ETL cross-section of the events that pass the preset's cuts on the
outgoing lepton (energy, angle) and on E_phi: the selection acts on the differential cross-
section through the event-level integrand of the production module.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy import special

from leptoportal import decays
from leptoportal.constants import N_A
from leptoportal.errors import InputError
from leptoportal.model import Couplings, DarkSector, Portal, validate_m_phi
from leptoportal.production import BEAMS, Process, cached_cross_section, get_target

#: default dark sector used for Br_inv in limits: alpha_D = 0.1, m_phi = 3 m_chi
DEFAULT_ALPHA_DARK = 0.1
#: effort cap (integrand evaluations) per energy node of a thick-target yield
TABLE_MAX_EVALS = 300_000


class EfficiencyTable(BaseModel):
    """Signal efficiency versus m_phi (linear interpolation, clamped at the ends)."""

    model_config = ConfigDict(extra="forbid")
    m_phi: list[float]
    value: list[float]

    @field_validator("value")
    @classmethod
    def _in_unit(cls, v):
        if any(not (0.0 <= x <= 1.0) for x in v):
            raise ValueError("efficiencies must lie in [0, 1]")
        return v


class ExperimentConfig(BaseModel):
    """An experiment set-up; every field overridable (CLI flags or YAML)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
    name: str = "custom"
    description: str = ""
    beam: str = "e-"
    energy: float = Field(100.0, gt=0, le=1e5)
    target: str = "Pb"
    thickness_x0: float = Field(40.0, gt=0, le=1000)
    mode: str = "thick"
    eot: float = Field(1e11, gt=0)
    e_conv_min: float = Field(0.0, ge=0)
    e_out_min: float = Field(0.0, ge=0)
    e_out_max: float | None = Field(None, gt=0)
    theta_out_max: float | None = Field(None, gt=0)
    e_phi_min: float = Field(0.0, ge=0)
    efficiency: float | EfficiencyTable = 1.0
    n_obs: int = Field(0, ge=0)
    background: float = Field(0.0, ge=0)
    detector_length_m: float = Field(10.0, gt=0)
    projection: bool = False
    sources: dict[str, str] = {}
    assumptions: list[str] = []

    @field_validator("beam")
    @classmethod
    def _beam(cls, v):
        if v not in BEAMS:
            raise ValueError(f"beam must be one of {', '.join(BEAMS)}")
        return v

    @field_validator("mode")
    @classmethod
    def _mode(cls, v):
        if v not in ("thick", "thin"):
            raise ValueError("mode must be thick or thin")
        return v

    @field_validator("target")
    @classmethod
    def _target(cls, v):
        get_target(v)
        return v

    @field_validator("efficiency")
    @classmethod
    def _eff(cls, v):
        if isinstance(v, float) and not (0.0 < v <= 1.0):
            raise ValueError("efficiency must lie in (0, 1]")
        return v

    def cuts(self) -> dict:
        """Cuts on the production module's observables."""
        cuts = {}
        if self.e_out_min > 0 or self.e_out_max is not None:
            cuts["e_out"] = [self.e_out_min or None, self.e_out_max]
        if self.theta_out_max is not None:
            cuts["theta_out"] = [None, self.theta_out_max]
        if self.e_phi_min > 0:
            cuts["e_phi"] = [self.e_phi_min, None]
        return cuts

    def efficiency_at(self, m_phi: float) -> float:
        if isinstance(self.efficiency, EfficiencyTable):
            return float(np.interp(m_phi, self.efficiency.m_phi, self.efficiency.value))
        return float(self.efficiency)

    @property
    def atoms_per_cm2_per_x0(self) -> float:
        t = get_target(self.target)
        return N_A * t.X0_g_cm2 / t.A


def _one_line(exc: ValidationError) -> str:
    errs = exc.errors()
    parts = []
    for e in errs:
        loc = ".".join(str(x) for x in e.get("loc", ()))
        parts.append(f"{loc} = {e.get('input')!r}: {e.get('msg')}")
    return "; ".join(parts)


def make_config(base: dict, **overrides) -> ExperimentConfig:
    """Validated config from a dict plus overrides (None values are ignored)."""
    data = {**base, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return ExperimentConfig(**data)
    except ValidationError as exc:
        raise InputError(_one_line(exc)) from None


@cache
def _preset_dicts() -> dict[str, dict]:
    text = resources.files("leptoportal").joinpath("data/experiments.yaml").read_text()
    return yaml.safe_load(text)


def preset_names() -> list[str]:
    return list(_preset_dicts())


def get_preset(name: str, **overrides) -> ExperimentConfig:
    """A preset by name with optional overrides."""
    table = _preset_dicts()
    if name not in table:
        raise InputError(f"experiment = {name!r} is not one of: {', '.join(table)}")
    return make_config({"name": name, **table[name]}, **overrides)


def read_config_file(path: str | Path) -> dict:
    """The mapping of a YAML config file, with one-line errors."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"config = {str(path)!r} does not exist")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"config = {str(path)!r} is not valid YAML: {exc}".splitlines()[0]) \
            from None
    if not isinstance(data, dict):
        raise InputError(f"config = {str(path)!r} must be a mapping")
    return data


def resolve_config(experiment: str | None = None, path: str | Path | None = None,
                   **overrides) -> ExperimentConfig | None:
    """Preset and/or YAML file plus overrides (None values ignored); None if neither given.

    The YAML may name ``experiment: NAME`` and override any field, or give a full set-up.
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    data = read_config_file(path) if path is not None else {}
    name = experiment or data.pop("experiment", None)
    data.pop("experiment", None)
    if name is not None:
        return get_preset(name, **data, **overrides)
    if data:
        return make_config(data, **overrides)
    return None


def load_config(path: str | Path, **overrides) -> ExperimentConfig:
    """YAML config: either ``experiment: NAME`` plus overrides, or a full set-up."""
    cfg = resolve_config(None, path, **overrides)
    if cfg is None:
        raise InputError(f"config = {str(path)!r} is empty")
    return cfg


# ------------------------------------------------------------------------------------------
# track length
# ------------------------------------------------------------------------------------------


def tsai_track_length_density(e0: float, e: np.ndarray, t: float) -> np.ndarray:
    """I_e(E0, E, t) = (1/E0) [ln(E0/E)]^(4t/3 - 1) / Gamma(4t/3), per GeV per X0 (SPEC 6)."""
    b = 4.0 * t / 3.0
    y = np.log(e0 / np.asarray(e, dtype=float))
    return np.exp((b - 1.0) * np.log(y) - special.gammaln(b)) / e0


def depth_nodes(thickness: float, n: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes/weights in depth t over [0, T], panels denser near t = 0."""
    edges = np.unique(np.clip([0.0, 0.05, 0.25, 1.0, 3.0, 8.0, 20.0, 50.0, 200.0, 1000.0],
                              0.0, thickness))
    g, w = np.polynomial.legendre.leggauss(n)
    a, b = edges[:-1, None], edges[1:, None]
    return (0.5 * (b - a) * g + 0.5 * (b + a)).ravel(), (0.5 * (b - a) * w).ravel()


def track_length_weights(e0: float, energies: np.ndarray, thickness: float) -> np.ndarray:
    """Weights W_j (X0) with Int_0^T dt Int dE I_e sigma(E) = sum_j W_j sigma(E_j) for sigma
    piecewise linear in y = ln(E0/E) through the nodes ``energies`` (descending from E0) and
    zero below the last node."""
    energies = np.asarray(energies, dtype=float)
    if not (abs(energies[0] - e0) < 1e-9 * e0 and np.all(np.diff(energies) < 0)):
        raise InputError("energy nodes must start at E0 and decrease")
    y = np.log(e0 / energies)
    ts, wts = depth_nodes(thickness)
    weights = np.zeros(len(y))
    dy = np.diff(y)
    for t, wt in zip(ts, wts, strict=True):
        b = 4.0 * t / 3.0
        f0 = special.gammainc(b, y)  # P(b, y): probability mass below y
        f1 = b * special.gammainc(b + 1.0, y)  # partial first moment
        d0, d1 = np.diff(f0), np.diff(f1)
        slope_part = (d1 - y[:-1] * d0) / dy
        w = np.zeros(len(y))
        w[:-1] += d0 - slope_part
        w[1:] += slope_part
        w[0] += f0[0]  # mass at y = 0 exactly (only for b -> 0)
        weights += wt * w
    return weights


def energy_nodes(cfg: ExperimentConfig, m_phi: float, n: int = 9) -> np.ndarray:
    """Descending energies from E0 to the lowest energy that can pass the selection."""
    e0 = cfg.energy
    proc = Process(cfg.beam, e0, cfg.target, m_phi)
    thr = proc.threshold_energy
    # below E_phi_min + E_out_min (+ m_out) nothing can pass the selection
    lo = max(cfg.e_conv_min, cfg.e_phi_min + max(cfg.e_out_min, proc.m_out), 1.02 * thr)
    if lo >= e0:
        raise InputError(
            f"selection needs E > {lo:.4g} GeV but the beam has E0 = {e0:g} GeV")
    return np.geomspace(e0, lo, n)


# ------------------------------------------------------------------------------------------
# yields and limits
# ------------------------------------------------------------------------------------------


@dataclass
class YieldResult:
    n_signal: float
    n_signal_err: float
    per_eot: float
    eot: float
    m_phi: float
    br_invisible: float
    efficiency: float
    details: dict

    def as_dict(self) -> dict:
        return {"n_signal": self.n_signal, "n_signal_err": self.n_signal_err,
                "per_eot": self.per_eot, "eot": self.eot, "m_phi": self.m_phi,
                "br_invisible": self.br_invisible, "efficiency": self.efficiency,
                **self.details}


def yield_per_eot_unit(cfg: ExperimentConfig, m_phi: float, pattern: Couplings | None = None,
                       precision: float = 0.01, seed: int = 1, n_energies: int = 9
                       ) -> tuple[float, float]:
    """Selected signal per beam lepton for unit couplings (h = 1), before eff and Br_inv."""
    m_phi = validate_m_phi(m_phi)
    pattern = pattern or Couplings.chiral(1.0)
    cuts = cfg.cuts()
    n0 = cfg.atoms_per_cm2_per_x0
    if cfg.mode == "thin" or cfg.beam == "mu-":
        proc = Process(cfg.beam, cfg.energy, cfg.target, m_phi, pattern)
        sig, err = cached_cross_section(proc, "etl", cuts, precision, seed)
        fac = n0 * cfg.thickness_x0 * 1e-36  # pb -> cm^2
        return sig * fac, err * fac
    energies = energy_nodes(cfg, m_phi, n_energies)
    sig = np.zeros(len(energies))
    err = np.zeros(len(energies))
    for j, e in enumerate(energies):
        proc = Process(cfg.beam, float(e), cfg.target, m_phi, pattern)
        # nodes where the selection keeps little get a capped effort: their absolute error is
        # small compared with the yield, and it is propagated below
        sig[j], err[j] = cached_cross_section(proc, "etl", cuts, precision, seed,
                                              max_evals=TABLE_MAX_EVALS)
    w = track_length_weights(cfg.energy, energies, cfg.thickness_x0)
    fac = n0 * 1e-36
    return float(np.sum(w * sig)) * fac, float(math.sqrt(np.sum((w * err) ** 2))) * fac


def br_invisible(portal: Portal, dark: DarkSector | None, fixed: float | None) -> float:
    if fixed is not None:
        if not (0.0 <= fixed <= 1.0):
            raise InputError(f"br_invisible = {fixed!r} is outside the allowed range [0, 1]")
        return float(fixed)
    return decays.widths(portal, dark).br_invisible


def default_dark(m_phi: float) -> DarkSector:
    return DarkSector.benchmark(m_phi, alpha_dark=DEFAULT_ALPHA_DARK)


def signal_yield(cfg: ExperimentConfig, portal: Portal, dark: DarkSector | None = None,
                 br_inv: float | None = None, precision: float = 0.01,
                 seed: int = 1) -> YieldResult:
    """Expected signal events for a model point (Br_inv from the decays module unless fixed).

    The cross-sections are computed (and cached) for the unit-normalised coupling pattern
    and scaled by h^2 = 2(|C_S|^2 + |C_P|^2).
    """
    h2 = 2.0 * portal.couplings.norm2
    if h2 <= 0:
        raise InputError("couplings are zero: no signal")
    pattern = portal.couplings.scaled(1.0 / math.sqrt(h2))
    unit, unit_err = yield_per_eot_unit(cfg, portal.m_phi, pattern, precision, seed)
    unit, unit_err = unit * h2, unit_err * h2
    w = decays.widths(portal, dark if dark is not None else default_dark(portal.m_phi))
    br = br_invisible(portal, None, br_inv) if br_inv is not None else w.br_invisible
    eff = cfg.efficiency_at(portal.m_phi)
    per = unit * eff * br
    # phi carries a sizeable fraction of E0: check the decay at E0/2 against the detector
    prompt = decays.warn_if_not_prompt(w, 0.5 * cfg.energy, cfg.detector_length_m)
    return YieldResult(per * cfg.eot, unit_err * eff * br * cfg.eot, per, cfg.eot,
                       portal.m_phi, br, eff,
                       {"experiment": cfg.name, "prompt_decay": bool(prompt)})


def coupling_limit(cfg: ExperimentConfig, m_phi: float, n_up: float,
                   pattern: Couplings | None = None, dark: DarkSector | None = None,
                   br_inv: float | None = None, precision: float = 0.01,
                   seed: int = 1) -> float:
    """h excluded above: h^2 N1 eff Br_inv(h) = n_up with Br_inv from the widths.

    With Gamma_dark fixed and Gamma(mu e) = h^2 gamma1, Br_inv(h) = G_d/(G_d + h^2 gamma1),
    so h^2 = n_up G_d / (N1 G_d - n_up gamma1); inf when no h reaches n_up.
    """
    pattern = pattern or Couplings.chiral(1.0)
    unit, _ = yield_per_eot_unit(cfg, m_phi, pattern, precision, seed)
    n1 = unit * cfg.efficiency_at(m_phi) * cfg.eot
    if n1 <= 0:
        return math.inf
    if br_inv is not None:
        b = br_invisible(Portal(m_phi, pattern), None, br_inv)
        return math.sqrt(n_up / (n1 * b)) if b > 0 else math.inf
    dark = dark or default_dark(m_phi)
    g_d = float(decays.gamma_dark(m_phi, dark))
    gamma1 = float(decays.gamma_mu_e(m_phi, pattern))
    denom = n1 * g_d - n_up * gamma1
    if denom <= 0:
        return math.inf
    return math.sqrt(n_up * g_d / denom)


def limit_scan(cfg: ExperimentConfig, masses, method: str = "cls", cl: float = 0.9,
               pattern: Couplings | None = None, dark_alpha: float | None = None,
               br_inv: float | None = None, precision: float = 0.01, seed: int = 1,
               progress=None) -> list[dict]:
    """Coupling limits (or sensitivity, for n_obs = b) on a grid of masses.

    Each point carries ``h_limit_err``, the Monte-Carlo error of the yield propagated to the
    limit (h ~ N^(-1/2): dh/h = dN/(2N), exact when Br_inv does not depend on h).
    """
    from leptoportal import stats

    n_up = stats.upper_limit(cfg.n_obs, cfg.background, cl, method)
    out = []
    for i, m in enumerate(masses):
        dark = (DarkSector.benchmark(m, alpha_dark=dark_alpha) if dark_alpha is not None
                else None)
        h = coupling_limit(cfg, float(m), n_up, pattern, dark, br_inv, precision, seed)
        unit, unit_err = yield_per_eot_unit(cfg, float(m), pattern, precision, seed)  # cached
        h_err = h * unit_err / (2.0 * unit) if math.isfinite(h) and unit > 0 else math.inf
        out.append({"m_phi": float(m), "h_limit": h, "h_limit_err": h_err, "n_up": n_up})
        if progress is not None:
            progress(i + 1, len(masses))
    return out
