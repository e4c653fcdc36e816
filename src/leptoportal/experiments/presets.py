"""Experiment set-ups: the validated `ExperimentConfig`, the presets of the package's
data file (``data/experiments.yaml``: every number with its source, the package's choices
listed as ``assumptions``) and the user's own set-ups from flags or YAML.

A YAML file of a set-up holds fields of `ExperimentConfig`; ``experiment: NAME`` means
"start from the preset NAME" and ``name:`` names the result (any name). A set-up without a
preset must give its beam, energy, target and thickness. Unknown or misspelt keys are refused
(with the valid keys and the closest one), booleans are not numbers, and a field that the
set-up makes meaningless (a conversion threshold on a thin target or above the beam energy,
an energy scan of a negative beam) is refused with the reason. Each field's unit, meaning,
range and default is in the JSON schema (``leptoportal experiments schema``), from which the
docs' table is generated.

Examples
--------

>>> get_preset("na64e-2016-2018", eot=1e12).eot              # a preset, one field overridden
1000000000000.0
>>> cfg = resolve_config(None, {"name": "my-ldmx", "experiment": "ldmx", "energy": 4.0})
>>> cfg.name, cfg.energy, cfg.target
('my-ldmx', 4.0, 'W')
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

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

from leptoportal import defaults
from leptoportal.config import Number, Whole, read_yaml_mapping
from leptoportal.errors import InputError, closest, echo, name_unknown, require_choice
from leptoportal.model import LEPTONS, MODELS
from leptoportal.production import BEAMS, Material, Target, get_material

if TYPE_CHECKING:
    from leptoportal.model import CouplingMatrix, Couplings

#: a custom set-up thinner than this (in X0) is treated as a thin target
THIN_TARGET_X0 = 0.3
#: largest number of beam particles accepted (EOT, MOT)
MAX_BEAM_PARTICLES = 1e20
#: largest observed or expected event count accepted
MAX_COUNT = 1e6
#: largest number of beam energies of a beam-energy scan
MAX_SCAN_ENERGIES = 1000
#: the fields a set-up without a preset must give
REQUIRED_FIELDS = ("beam", "energy", "target", "thickness_x0")


def _field(default: Any, unit: str, doc: str, **kw: Any) -> Any:
    """A documented field: its unit and meaning go to the JSON schema and the docs."""
    return Field(default, description=doc, json_schema_extra={"unit": unit}, **kw)


class EfficiencyTable(BaseModel):
    """Signal efficiency versus m_phi (linear interpolation, clamped at the ends)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    m_phi: list[Number] = Field(min_length=1, max_length=10_000,
                                description="scalar masses (GeV), increasing")
    value: list[Number] = Field(min_length=1, max_length=10_000,
                                description="efficiency at each mass, in [0, 1]")

    @field_validator("value")
    @classmethod
    def _in_unit(cls, v: Any) -> Any:
        if any(not (0.0 <= x <= 1.0) for x in v):
            raise ValueError("efficiencies must lie in [0, 1]")
        return v

    @model_validator(mode="after")
    def _table(self) -> Self:
        if len(self.m_phi) != len(self.value):
            raise ValueError(f"m_phi has {len(self.m_phi)} entries but value has "
                             f"{len(self.value)}")
        if any(b <= a for a, b in zip(self.m_phi[:-1], self.m_phi[1:], strict=True)):
            raise ValueError("m_phi must increase strictly")
        return self


# ------------------------------------------------------------------------------------------
# production channels: what each needs of a set-up (their physics: experiments.channels)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelSpec:
    """A production channel as a set-up sees it (no physics imported)."""

    #: the name a set-up lists (``production: [NAME, ...]``) and ``xsec --process`` takes
    name: str
    #: the reaction, for people
    reaction: str
    #: the beams it needs
    beams: tuple[str, ...]
    #: the target modes it needs ("thick", "thin")
    modes: tuple[str, ...]
    #: the implementation, "module:Class" (a `ProductionChannel`)
    implementation: str
    #: set-up fields that apply to this channel only: field -> its value when unused
    setup_fields: tuple[tuple[str, object], ...] = ()
    #: ``xsec --process NAME`` computes its cross-section
    xsec: bool = True
    #: fields of an ``xsec`` request that do not apply to its cross-section, with their
    #: defaults
    xsec_unused: tuple[tuple[str, object], ...] = ()
    #: the only spectra its ``xsec`` offers (empty: the observables of the production module)
    spectra: tuple[str, ...] = ()

    def unavailable(self, beam: str, mode: str) -> str | None:
        """Why a set-up with this beam and target mode cannot have the channel (None: it
        can)."""
        if beam in self.beams and mode in self.modes:
            return None
        return (f"needs a {' or '.join(self.beams)} beam on a {' or '.join(self.modes)} "
                f"target (this set-up: {beam} on a {mode} target)")



#: the registered channels, by name
CHANNELS: dict[str, ChannelSpec] = {spec.name: spec for spec in (
    ChannelSpec("conversion", "l N -> l' N phi on the nuclei (every beam)",
                ("e-", "e+", "mu-", "mu+"), ("thick", "thin"),
                "leptoportal.experiments.conversion:Conversion",
                xsec_unused=(("polarisation", 0.0), ("alpha_dark", None))),
    ChannelSpec("resonant", "l+ e- -> phi on the atomic electrons (positive beams)",
                ("e+", "mu+"), ("thick", "thin"),
                "leptoportal.experiments.annihilation:BeamAnnihilation",
                (("polarisation", 0.0), ("beam_energy_spread", 0.0), ("energy_scan", None)),
                xsec_unused=(("energy", None), ("method", "etl"), ("route", defaults.ROUTE),
                             ("form_factor", "elastic"), ("final_lepton", None),
                             ("backend", defaults.BACKEND["command"]),
                             ("precision", defaults.PRECISION["xsec"]),
                             ("seed", defaults.SEED), ("ff_systematic", False)),
                spectra=("e_beam",)),
    ChannelSpec("shower-positrons", "e+ e- -> phi of the shower's positrons on the atomic "
                "electrons (thick electron targets)", ("e-",), ("thick",),
                "leptoportal.experiments.annihilation:ShowerAnnihilation", xsec=False),
)}
#: the channel of a set-up that names none
DEFAULT_PRODUCTION = ("conversion",)
#: the booleans that set-ups had before they listed their channels (read, with a warning,
#: from a user's YAML file): key -> channel
LEGACY_CHANNEL_KEYS = {"conversion": "conversion", "resonant": "resonant",
                       "shower_positrons": "shower-positrons"}




#: models of the target electrons of resonant production (experiments.resonant): Compton
#: profiles (the default), Gaussian subshells, at rest
ELECTRON_MOTION = ("compton", "shells", "rest")


class ExperimentConfig(BaseModel):
    """An experiment set-up: beam, target, exposure, selection, statistics and the coupling
    model it searches for. Every field can be given in YAML or overridden by a flag."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
    name: str = _field("custom", "", "name of the set-up (any name; a preset's by default)",
                       max_length=200)
    description: str = _field("", "", "one line for people")
    label: str = _field("", "", "short name for figure legends (default: the name)",
                        max_length=80)
    beam: str = _field("e-", "", "beam lepton: e-, e+, mu-, mu+")
    final_leptons: list[str] = _field(
        [], "", "outgoing lepton flavours of the signature (e, mu, tau); empty: every flavour "
        "the couplings produce from the beam", max_length=3)
    model: str | None = _field(
        None, "", "the coupling model searched for (emu-chiral, ee-scalar, mumu-scalar, "
        "mumu-pseudoscalar); used unless a command gives couplings")
    energy: Number = _field(100.0, "GeV", "beam energy E0", gt=0, le=1e5)
    target: str | dict[str, Any] = _field(
        "Pb", "", "target: an element (Pb, W, ...), a compound or calorimeter of the package "
        "(PbWO4, polystyrene, na64-ecal, w-si) or a mapping {formula|mass|layers: ..., "
        "density: ...}")
    thickness_x0: Number = _field(40.0, "X0", "target thickness in radiation lengths",
                                  gt=0, le=1000)
    mode: str = _field("thick", "", "thick (the electron's track length, Tsai) or thin "
                       "(every beam particle crosses the whole target at E0)")
    eot: Number = _field(1e11, "", "beam particles on target (EOT, MOT)", gt=0,
                         le=MAX_BEAM_PARTICLES)
    e_conv_min: Number = _field(
        0.0, "GeV", "thick electron targets: smallest energy of the converting lepton (NA64: "
        "E_ECAL < 50 GeV means E_conv > 50 GeV)", ge=0, le=1e5)
    e_out_min: Number = _field(0.0, "GeV", "smallest energy of the outgoing lepton", ge=0,
                               le=1e5)
    e_out_max: Number | None = _field(None, "GeV", "largest energy of the outgoing lepton",
                                      gt=0, le=1e5)
    theta_out_max: Number | None = _field(None, "rad", "largest angle of the outgoing lepton",
                                          gt=0, le=math.pi)
    e_phi_min: Number = _field(0.0, "GeV", "smallest energy of phi (the missing energy)",
                               ge=0, le=1e5)
    efficiency: Number | EfficiencyTable = _field(
        1.0, "", "signal efficiency: a number in (0, 1] or a table {m_phi: [...], value: "
        "[...]} versus the mass")
    n_obs: Whole = _field(0, "events", "observed events", ge=0, le=MAX_COUNT)
    background: Number = _field(0.0, "events", "expected background events", ge=0,
                                le=MAX_COUNT)
    background_err: Number = _field(0.0, "events", "1 sigma uncertainty of the background "
                                    "(limits average over it; cls and classical)", ge=0,
                                    le=MAX_COUNT)
    detector_length_m: Number = _field(10.0, "m", "decay volume: phi decaying beyond it is "
                                       "invisible (a warning says when it is not prompt)",
                                       gt=0, le=1e5)
    projection: bool = _field(False, "", "a projection (sensitivity), not a measurement")
    production: list[str] = _field(
        list(DEFAULT_PRODUCTION), "", "production channels of the signal: conversion (l N -> "
        "l' N phi), resonant (l+ e- -> phi on the atomic electrons, positive beams), "
        "shower-positrons (e+ e- -> phi of the shower's positrons on thick electron targets; "
        "electron-diagonal couplings, the scalar's energy above e_conv_min)",
        min_length=1, max_length=len(CHANNELS))
    beam_energy_spread: Number = _field(0.0, "", "resonant: relative Gaussian spread "
                                        "sigma_E/E of the beam", ge=0, le=0.5)
    polarisation: Number = _field(0.0, "", "resonant: helicity polarisation of the beam "
                                  "(+1: right-handed l+)", ge=-1, le=1)
    electron_motion: str = _field(
        ELECTRON_MOTION[0], "", "resonant: the target electrons' motion: compton "
        "(Hartree-Fock Compton profiles and binding energies, impulse approximation), shells "
        "(Gaussian subshell momenta, virial estimate) or rest")
    energy_scan: list[tuple[Number, Number]] | None = _field(
        None, "GeV, particles", "resonant: runs [[E, N], ...] (beam energy, beam particles) "
        "replacing energy and eot", min_length=1, max_length=MAX_SCAN_ENERGIES)
    sources: dict[str, str] = _field({}, "", "references of the numbers")
    assumptions: list[str] = _field([], "", "the package's choices where the sources are "
                                    "silent")

    @field_validator("beam")
    @classmethod
    def _beam(cls, v: Any) -> Any:
        if v not in BEAMS:
            raise ValueError(f"beam must be one of {', '.join(BEAMS)}")
        return v

    @field_validator("final_leptons")
    @classmethod
    def _final(cls, v: Any) -> Any:
        if any(f not in LEPTONS for f in v) or len(set(v)) != len(v):
            raise ValueError(f"final leptons must be distinct flavours among {', '.join(LEPTONS)}")
        return v

    @field_validator("model")
    @classmethod
    def _model(cls, v: Any) -> Any:
        if v is not None and v not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}")
        return v

    @field_validator("production")
    @classmethod
    def _production(cls, v: Any) -> Any:
        unknown = [c for c in v if c not in CHANNELS]
        if unknown or len(set(v)) != len(v):
            raise ValueError(f"production lists distinct channels among {', '.join(CHANNELS)}"
                             + (f" (unknown: {', '.join(map(str, unknown))})" if unknown else ""))
        return v

    @field_validator("electron_motion")
    @classmethod
    def _motion(cls, v: Any) -> Any:
        if v not in ELECTRON_MOTION:
            raise ValueError(f"electron_motion must be one of {', '.join(ELECTRON_MOTION)}")
        return v

    @field_validator("energy_scan")
    @classmethod
    def _scan(cls, v: Any) -> Any:
        for e, n in v or ():
            if not (0.0 < e <= 1e5) or not (0.0 < n <= MAX_BEAM_PARTICLES):
                raise ValueError(f"each point is (energy in (0, 1e5] GeV, beam particles in "
                                 f"(0, {MAX_BEAM_PARTICLES:g}]); got ({e!r}, {n!r})")
        return v

    @field_validator("mode")
    @classmethod
    def _mode(cls, v: Any) -> Any:
        if v not in ("thick", "thin"):
            raise ValueError("mode must be thick or thin")
        return v

    @field_validator("target")
    @classmethod
    def _target(cls, v: Any) -> Any:
        get_material(v)
        return v

    @field_validator("efficiency")
    @classmethod
    def _eff(cls, v: Any) -> Any:
        if isinstance(v, float) and not (0.0 < v <= 1.0):
            raise ValueError("efficiency must lie in (0, 1]")
        return v

    @model_validator(mode="after")
    def _meaningful(self) -> Self:
        """Refuse fields that the set-up makes meaningless, with the reason."""
        for name in self.production:
            why = CHANNELS[name].unavailable(self.beam, self.mode)
            if why is not None:
                raise ValueError(f"the {name} channel {why}")
        listed = {f for name in self.production for f, _ in CHANNELS[name].setup_fields}
        for spec in CHANNELS.values():
            for field, unused in spec.setup_fields:
                if field not in listed and getattr(self, field) != unused:
                    raise ValueError(f"{field} applies to the {spec.name} channel only; this "
                                     f"set-up's production is {', '.join(self.production)}")
        if self.e_conv_min > 0:
            if self.mode == "thin" or self.muon_beam:
                raise ValueError(f"e_conv_min = {self.e_conv_min:g} GeV applies to thick "
                                 "electron targets (the converting energy along the track "
                                 f"length); on this {self.mode} {self.beam} target the beam "
                                 "converts at E0")
            if self.e_conv_min >= self.energy:
                raise ValueError(f"e_conv_min = {self.e_conv_min:g} GeV is not below the "
                                 f"beam energy {self.energy:g} GeV: no lepton converts")
        if self.background_err > 0 and self.background == 0:
            raise ValueError(f"background_err = {self.background_err:g} needs a background "
                             "(background is 0)")
        if self.e_phi_min >= self.energy:
            raise ValueError(f"e_phi_min = {self.e_phi_min:g} GeV is not below the beam "
                             f"energy {self.energy:g} GeV: no phi passes")
        if self.e_out_max is not None and self.e_out_max <= self.e_out_min:
            raise ValueError(f"e_out_max = {self.e_out_max:g} GeV is not above e_out_min = "
                             f"{self.e_out_min:g} GeV: no outgoing lepton passes")
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

    @property
    def beam_flavour(self) -> str:
        return BEAMS[self.beam][0]

    def channels(self, pattern: Couplings | CouplingMatrix | None = None) -> list[str]:
        """Outgoing lepton flavours whose production gives the signature: ``final_leptons``,
        or every flavour with a non-zero vertex from the beam's in the coupling ``pattern``
        (default: the set-up's model, else the e-mu portal's other lepton)."""
        if self.final_leptons:
            return list(self.final_leptons)
        from leptoportal.model import CouplingMatrix, as_matrix

        if pattern is None:
            if self.model is None:
                return ["mu" if self.beam_flavour == "e" else "e"]
            pattern = CouplingMatrix.model(self.model)
        matrix = as_matrix(pattern)
        return [f for f in LEPTONS if matrix.vertex(self.beam_flavour, f).norm2 > 0]

    @property
    def muon_beam(self) -> bool:
        return self.beam_flavour == "mu"

    def material(self) -> Material:
        """The target material (an element, a compound or a sampling calorimeter)."""
        return get_material(self.target)

    def cuts(self) -> dict[str, Any]:
        """Cuts on the production module's observables."""
        cuts: dict[str, list[Any]] = {}
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

    def to_yaml(self) -> str:
        """The set-up as a YAML file: a ready template of the user's own set-up (rename it,
        change any field; ``leptoportal experiments schema`` documents every field)."""
        data = self.model_dump(mode="json", exclude_none=True)
        head = (f"# {self.name}: a set-up of leptoportal, ready to edit. Change 'name' to name "
                "your own;\n# every field, its unit and range: leptoportal experiments "
                "schema.\n")
        return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=95,
                                allow_unicode=True)


class _Dumper(yaml.SafeDumper):
    """Floats in a readable form that YAML reads back as floats (2.0e+14, not
    200000000000000.0)."""


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    if value != 0 and math.isfinite(value) and not 1e-3 <= abs(value) < 1e5:
        mantissa, exponent = f"{value:.6e}".split("e")
        mantissa = mantissa.rstrip("0")
        text = f"{mantissa}0" if mantissa.endswith(".") else mantissa
        return dumper.represent_scalar("tag:yaml.org,2002:float",
                                       f"{text}e{int(exponent):+03d}")
    return dumper.represent_float(value)


_Dumper.add_representer(float, _float)


FIELDS = tuple(ExperimentConfig.model_fields)


def _one_line(exc: ValidationError) -> InputError:
    """One error line for a validation: each bad field with its (cut) value and the reason
    (an unknown key with the valid keys and the closest one); a check of the whole set-up
    gives its reason alone."""
    parts, names = [], []
    for e in exc.errors():
        loc = ".".join(str(x) for x in e.get("loc", ()))
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        if e.get("type") == "extra_forbidden" and len(e.get("loc", ())) == 1:
            near = closest(loc, FIELDS)
            msg = (f"unknown field{f' (did you mean {near!r}?)' if near else ''}; valid: "
                   f"{', '.join(FIELDS)}")
        if loc:
            names.append(str(e["loc"][0]))
            parts.append(f"{loc} = {echo(e.get('input'))}: {msg}")
        else:
            parts.append(msg)
    return InputError("; ".join(parts), parameters=tuple(names))


def make_config(base: dict[str, Any], /, **overrides: Any) -> ExperimentConfig:
    """Validated config from a dict (every key checked, null values included) plus
    overrides (None values are ignored: an override not given)."""
    data = {**base, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return ExperimentConfig(**data)
    except ValidationError as exc:
        raise _one_line(exc) from None


@cache
def _preset_dicts() -> dict[str, dict[str, Any]]:
    text = resources.files("leptoportal").joinpath("data/experiments.yaml").read_text()
    returned: dict[str, dict[str, Any]] = yaml.safe_load(text)
    return returned


def preset_names() -> list[str]:
    """The names of the presets."""
    return list(_preset_dicts())


def get_preset(name: str, /, **overrides: Any) -> ExperimentConfig:
    """A preset by name with optional overrides (None values ignored)."""
    table = _preset_dicts()
    if name not in table:
        require_choice("experiment", name, tuple(table))
    return make_config({"name": name, **table[name]}, **overrides)


def read_config_file(path: str | Path) -> dict[str, Any]:
    """The mapping of a YAML config file, with one-line errors (see leptoportal.config)."""
    return read_yaml_mapping(path, "config")


def _preset_name(value: Any, given_name: str | None) -> str:
    """The preset ``experiment:`` starts from, or a one-line error that explains ``name:``."""
    table = _preset_dicts()
    if isinstance(value, str) and value in table:
        return value
    near = closest(value, table) if isinstance(value, str) else None
    hint = f"did you mean {near!r}? " if near else ""
    raise InputError(f"experiment = {echo(value)} is not a preset ({hint}presets: "
                     f"{', '.join(table)}); 'experiment' starts from a preset, 'name' names "
                     f"your own set-up{'' if given_name else ' (e.g. name: my-setup)'}",
                     parameters=("experiment",))


def _check_keys(data: dict[str, Any]) -> None:
    """Refuse unknown or misspelt keys of a set-up mapping (null values included), with the
    valid keys and the closest one."""
    valid = ("experiment", *FIELDS)
    unknown = [str(k) for k in data if k not in valid]
    if unknown:
        raise InputError(f"config: unknown field(s) {name_unknown(unknown, valid)}; valid: "
                         f"{', '.join(valid)}", parameters=("config",))


def _legacy_channels(data: dict[str, Any], experiment: str | None) -> None:
    """Turn the booleans of a set-up mapping written before set-ups listed their channels
    (``resonant: true``, ``conversion: false``, ``shower_positrons: true``) into its
    ``production`` list, with a warning that says what to write instead."""
    old = {k: data.pop(k) for k in LEGACY_CHANNEL_KEYS if k in data}
    if not old:
        return
    import warnings

    if "production" in data:
        raise InputError(f"config: {', '.join(old)} and production both choose the channels; "
                         "give production only", parameters=("config",))
    name = experiment or data.get("experiment")
    start = (_preset_dicts()[name].get("production", list(DEFAULT_PRODUCTION))
             if name in _preset_dicts() else list(DEFAULT_PRODUCTION))
    production = [c for c in start
                  if not any(LEGACY_CHANNEL_KEYS[k] == c and not v for k, v in old.items())]
    production += [LEGACY_CHANNEL_KEYS[k] for k, v in old.items()
                   if v and LEGACY_CHANNEL_KEYS[k] not in production]
    data["production"] = production
    warnings.warn(f"config: {', '.join(f'{k}: {v}' for k, v in old.items())} is the old form "
                  f"of 'production: [{', '.join(production)}]'; write that instead",
                  FutureWarning, stacklevel=3)


def resolve_config(experiment: str | None = None, config: str | Path | dict[str, Any] | None = None,
                   **overrides: Any) -> ExperimentConfig | None:
    """Preset and/or YAML mapping (a file or a dict) plus overrides; None if nothing is given.

    Precedence: overrides (None values ignored) > the YAML mapping > the preset. The YAML may
    start from a preset (``experiment: NAME``) and change any field, or give a whole set-up of
    its own (``name``, beam, energy, target, thickness_x0, ...). A set-up without a preset is
    thin when thinner than THIN_TARGET_X0 or for muon beams, unless ``mode`` says otherwise.
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    data = dict(config) if isinstance(config, dict) else (
        read_config_file(config) if config is not None else {})
    _legacy_channels(data, experiment)
    _check_keys(data)
    in_file = data.pop("experiment", None)
    if experiment is not None and in_file is not None and experiment != in_file:
        raise InputError(f"experiment = {experiment!r} contradicts the config's experiment: "
                         f"{in_file!r}; give one", parameters=("experiment", "config"))
    name = experiment if experiment is not None else in_file
    if name is not None:
        preset = _preset_name(name, data.get("name"))
        with _blamed_on_the_file(overrides):
            return make_config({"name": preset, **_preset_dicts()[preset], **data},
                               **overrides)
    merged = {**data, **overrides}
    if not merged:
        return None
    missing = [k for k in REQUIRED_FIELDS if merged.get(k) is None]
    if missing:
        raise InputError("name a preset (experiment), or give the set-up's beam, energy, "
                         f"target and thickness_x0 (missing: {', '.join(missing)})",
                         parameters=("experiment", *missing))
    if "mode" not in merged:
        thickness = merged["thickness_x0"]
        thin = ((isinstance(thickness, int | float) and thickness < THIN_TARGET_X0)
                or BEAMS.get(merged["beam"], ("",))[0] == "mu")
        merged["mode"] = "thin" if thin else "thick"
    with _blamed_on_the_file(overrides):
        return make_config({"name": "custom", **data}, **{**overrides, "mode": merged["mode"]})


@contextlib.contextmanager
def _blamed_on_the_file(overrides: dict[str, Any]) -> Iterator[None]:
    """A bad field that no override gave came from the set-up's mapping (a file): its error
    names the config, not a parameter (a command-line flag) the user never gave."""
    try:
        yield
    except InputError as exc:
        if exc.parameters and not set(exc.parameters) & set(overrides):
            raise InputError(f"config: {exc}", parameters=("config",)) from None
        raise


def load_config(path: str | Path, **overrides: Any) -> ExperimentConfig:
    """YAML config: either ``experiment: NAME`` plus fields, or a whole set-up."""
    cfg = resolve_config(None, path, **overrides)
    if cfg is None:
        raise InputError(f"config = {str(path)!r} is empty")
    return cfg


def schema() -> dict[str, Any]:
    """The JSON schema of a set-up (every field with its unit, meaning, range, default)."""
    return ExperimentConfig.model_json_schema()


__all__ = [
    "ELECTRON_MOTION", "FIELDS", "MAX_BEAM_PARTICLES", "MAX_COUNT", "MAX_SCAN_ENERGIES",
    "REQUIRED_FIELDS", "THIN_TARGET_X0", "EfficiencyTable", "ExperimentConfig", "get_preset",
    "load_config", "make_config", "preset_names", "read_config_file", "resolve_config", "schema",
]


def __dir__() -> list[str]:
    return __all__
