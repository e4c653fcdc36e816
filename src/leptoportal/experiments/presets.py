"""Experiment set-ups: the validated :class:`ExperimentConfig`, the presets of the package's
data file (``data/experiments.yaml``: every number with its source, the package's choices
listed as ``assumptions``) and their overrides from flags or YAML.

Example::

    cfg = get_preset("na64e-2016-2018", eot=1e12)       # a preset with one field overridden
    cfg = resolve_config("ldmx", {"eot": 1e15})          # preset + YAML mapping + overrides
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from leptoportal.config import read_yaml_mapping
from leptoportal.errors import InputError, echo, require_choice
from leptoportal.model import LEPTONS
from leptoportal.production import BEAMS, Material, Target, get_material
from leptoportal.production.process import DEFAULT_FINAL_LEPTON

#: a custom set-up thinner than this (in X0) is treated as a thin target
THIN_TARGET_X0 = 0.3
#: largest number of beam particles accepted (EOT, MOT)
MAX_BEAM_PARTICLES = 1e20
#: largest observed or expected event count accepted
MAX_COUNT = 1e6
#: largest number of beam energies of a beam-energy scan
MAX_SCAN_ENERGIES = 1000


class EfficiencyTable(BaseModel):
    """Signal efficiency versus m_phi (linear interpolation, clamped at the ends)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    m_phi: list[float] = Field(min_length=1, max_length=10_000)
    value: list[float] = Field(min_length=1, max_length=10_000)

    @field_validator("value")
    @classmethod
    def _in_unit(cls, v):
        if any(not (0.0 <= x <= 1.0) for x in v):
            raise ValueError("efficiencies must lie in [0, 1]")
        return v

    @model_validator(mode="after")
    def _table(self):
        if len(self.m_phi) != len(self.value):
            raise ValueError(f"m_phi has {len(self.m_phi)} entries but value has "
                             f"{len(self.value)}")
        if any(b <= a for a, b in zip(self.m_phi[:-1], self.m_phi[1:], strict=True)):
            raise ValueError("m_phi must increase strictly")
        return self


class ExperimentConfig(BaseModel):
    """An experiment set-up; every field overridable (CLI flags or YAML)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
    name: str = Field("custom", max_length=200)
    description: str = ""
    beam: str = "e-"
    final_leptons: list[str] = Field([], max_length=3)
    energy: float = Field(100.0, gt=0, le=1e5)
    target: str | dict = "Pb"
    thickness_x0: float = Field(40.0, gt=0, le=1000)
    mode: str = "thick"
    eot: float = Field(1e11, gt=0, le=MAX_BEAM_PARTICLES)
    e_conv_min: float = Field(0.0, ge=0, le=1e5)
    e_out_min: float = Field(0.0, ge=0, le=1e5)
    e_out_max: float | None = Field(None, gt=0, le=1e5)
    theta_out_max: float | None = Field(None, gt=0, le=math.pi)
    e_phi_min: float = Field(0.0, ge=0, le=1e5)
    efficiency: float | EfficiencyTable = 1.0
    n_obs: int = Field(0, ge=0, le=MAX_COUNT)
    background: float = Field(0.0, ge=0, le=MAX_COUNT)
    detector_length_m: float = Field(10.0, gt=0, le=1e5)
    projection: bool = False
    resonant: bool = False
    conversion: bool = True
    beam_energy_spread: float = Field(0.0, ge=0, le=0.5)
    polarisation: float = Field(0.0, ge=-1, le=1)
    electron_motion: str = "shells"
    energy_scan: list[tuple[float, float]] | None = Field(None, min_length=1,
                                                          max_length=MAX_SCAN_ENERGIES)
    sources: dict[str, str] = {}
    assumptions: list[str] = []

    @field_validator("beam")
    @classmethod
    def _beam(cls, v):
        if v not in BEAMS:
            raise ValueError(f"beam must be one of {', '.join(BEAMS)}")
        return v

    @field_validator("final_leptons")
    @classmethod
    def _final(cls, v):
        if any(f not in LEPTONS for f in v) or len(set(v)) != len(v):
            raise ValueError(f"final leptons must be distinct flavours among {', '.join(LEPTONS)}")
        return v

    @field_validator("electron_motion")
    @classmethod
    def _motion(cls, v):
        if v not in ("shells", "rest"):
            raise ValueError("electron_motion must be shells or rest")
        return v

    @field_validator("energy_scan")
    @classmethod
    def _scan(cls, v):
        for e, n in v or ():
            if not (0.0 < e <= 1e5) or not (0.0 < n <= MAX_BEAM_PARTICLES):
                raise ValueError(f"each point is (energy in (0, 1e5] GeV, beam particles in "
                                 f"(0, {MAX_BEAM_PARTICLES:g}]); got ({e!r}, {n!r})")
        return v

    @model_validator(mode="after")
    def _resonant_beam(self):
        if self.resonant and not BEAMS[self.beam][1] > 0:
            raise ValueError(f"resonant production needs a positive beam (mu+ or e+), "
                             f"not {self.beam}")
        if not (self.resonant or self.conversion):
            raise ValueError("no signal channel: set resonant and/or conversion")
        if not self.resonant and (self.polarisation != 0.0 or self.beam_energy_spread != 0.0):
            raise ValueError("polarisation and beam_energy_spread apply to the resonant "
                             "channel only (the conversion channel is computed for an "
                             "unpolarised beam of fixed energy)")
        return self

    def beam_points(self) -> list[tuple[float, float]]:
        """(beam energy, beam particles) of every run: the energy scan, or (energy, eot)."""
        if self.energy_scan:
            return [(float(e), float(n)) for e, n in self.energy_scan]
        return [(self.energy, self.eot)]

    @property
    def total_eot(self) -> float:
        """Beam particles of all runs."""
        return sum(n for _, n in self.beam_points())

    def channels(self) -> list[str]:
        """Outgoing lepton flavours whose production gives the signature (default: the other
        of e/mu, the paper's e-mu portal); yields sum over them."""
        return list(self.final_leptons) or [DEFAULT_FINAL_LEPTON[BEAMS[self.beam][0]]]

    @property
    def muon_beam(self) -> bool:
        return BEAMS[self.beam][0] == "mu"

    @field_validator("mode")
    @classmethod
    def _mode(cls, v):
        if v not in ("thick", "thin"):
            raise ValueError("mode must be thick or thin")
        return v

    @field_validator("target")
    @classmethod
    def _target(cls, v):
        get_material(v)
        return v

    def material(self) -> Material:
        """The target material (an element, a compound or a sampling calorimeter)."""
        return get_material(self.target)

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

    def element_columns(self) -> list[tuple[Target, float]]:
        """(element, atoms per cm^2 per radiation length of the target material)."""
        return self.material().atoms_per_cm2_per_x0()


def _one_line(exc: ValidationError) -> InputError:
    """One error line for a validation: each bad field with its (cut) value and the reason;
    a check of the whole set-up gives its reason alone."""
    parts, names = [], []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e.get("loc", ()))
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        if loc:
            names.append(str(e["loc"][0]))
            parts.append(f"{loc} = {echo(e.get('input'))}: {msg}")
        else:
            parts.append(msg)
    return InputError("; ".join(parts), parameters=tuple(names))


def make_config(base: dict, /, **overrides) -> ExperimentConfig:
    """Validated config from a dict plus overrides (None values are ignored)."""
    data = {**base, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return ExperimentConfig(**data)
    except ValidationError as exc:
        raise _one_line(exc) from None


@cache
def _preset_dicts() -> dict[str, dict]:
    text = resources.files("leptoportal").joinpath("data/experiments.yaml").read_text()
    return yaml.safe_load(text)


def preset_names() -> list[str]:
    return list(_preset_dicts())


def get_preset(name: str, /, **overrides) -> ExperimentConfig:
    """A preset by name with optional overrides."""
    table = _preset_dicts()
    if name not in table:
        require_choice("experiment", name, tuple(table))
    return make_config({"name": name, **table[name]}, **overrides)


def read_config_file(path: str | Path) -> dict:
    """The mapping of a YAML config file, with one-line errors (see leptoportal.config)."""
    return read_yaml_mapping(path, "config")


def resolve_config(experiment: str | None = None, config: str | Path | dict | None = None,
                   **overrides) -> ExperimentConfig | None:
    """Preset and/or YAML mapping (a file or a dict) plus overrides; None if nothing is given.

    Precedence: overrides (None values ignored) > the YAML mapping > the preset. The YAML may
    name ``experiment: NAME`` and override any field, or give a full set-up. A custom set-up
    given only by overrides is thin when thinner than THIN_TARGET_X0 or for muon beams.
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    data = dict(config) if isinstance(config, dict) else (
        read_config_file(config) if config is not None else {})
    name = data.pop("experiment", None)
    name = experiment or name
    if isinstance(name, dict | list):
        raise InputError(f"experiment = {name!r} is not a preset name")
    if name is not None:
        return get_preset(str(name), **{**data, **overrides})
    if data:
        return make_config(data, **overrides)
    if not overrides:
        return None
    missing = [k for k in ("beam", "energy", "target", "thickness_x0") if k not in overrides]
    if missing:
        raise InputError("name an experiment, or give its beam, energy, target and "
                         "thickness_x0 (missing: " + ", ".join(missing) + ")",
                         parameters=("experiment", *missing))
    if "mode" not in overrides:
        thin = (overrides["thickness_x0"] < THIN_TARGET_X0
                or BEAMS.get(overrides["beam"], ("",))[0] == "mu")
        overrides["mode"] = "thin" if thin else "thick"
    return make_config({"name": "custom"}, **overrides)


def load_config(path: str | Path, **overrides) -> ExperimentConfig:
    """YAML config: either ``experiment: NAME`` plus overrides, or a full set-up."""
    cfg = resolve_config(None, path, **overrides)
    if cfg is None:
        raise InputError(f"config = {str(path)!r} is empty")
    return cfg


__all__ = [
    "MAX_BEAM_PARTICLES", "MAX_COUNT", "MAX_SCAN_ENERGIES", "THIN_TARGET_X0", "EfficiencyTable",
    "ExperimentConfig", "get_preset", "load_config", "make_config", "preset_names",
    "read_config_file", "resolve_config",
]


def __dir__() -> list[str]:
    return __all__
