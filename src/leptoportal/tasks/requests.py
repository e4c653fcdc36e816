"""Typed requests: what a task is asked to compute, validated once (pydantic), from command
options, scan YAML or Python alike.

A request holds plain values (numbers, names, mappings); its methods turn them into the
physics objects where each default is decided once: `CouplingFields.pattern()` (the
couplings at h = 1), `DarkFields.dark_sector()` (the benchmark dark sector unless
alpha_D is given), `NumericsFields.numerics()` (a `Numerics`)
and `ExperimentFields.experiment_config()` (a preset, a YAML mapping and overrides).
Unknown or misspelt parameters are refused with the valid ones and the closest match;
booleans are not numbers.

Examples
--------

>>> req = build(LimitRequest, {"m_phi": 0.5, "experiment": "na64e-2016-2018"})
>>> req.model_fields_set == {"m_phi", "experiment"}, req.dark_sector(0.5).alpha_dark
(True, 0.1...)
>>> build(LimitRequest, {"m_phi": 0.5, "experimnt": "ldmx"})
Traceback (most recent call last):
...
leptoportal.errors.InputError: limit: unknown parameter(s): experimnt (did you mean
'experiment'?); valid: ...
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from leptoportal import defaults
from leptoportal.config import Number, Whole, not_bool
from leptoportal.errors import InputError, LeptoportalError, echo, name_unknown
from leptoportal.model import DEFAULT_COUPLING, DEFAULT_MASS_RATIO

if TYPE_CHECKING:
    from leptoportal.experiments.presets import ExperimentConfig
    from leptoportal.model import CouplingMatrix, Couplings, DarkSector
    from leptoportal.numerics import Numerics

#: a complex coupling: a number or a string such as "1+2j"
ComplexInput = Annotated[str | float, BeforeValidator(not_bool)]


class Request(BaseModel):
    """Base of the requests: frozen, no unknown parameters, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True,
                              populate_by_name=True)
    #: the task kind (scan key) of the request
    kind: ClassVar[str] = ""

    def given(self) -> dict[str, Any]:
        """The parameters that were set (not left at their defaults)."""
        return {k: getattr(self, k) for k in self.model_fields_set}


#: a request class
R = TypeVar("R", bound=Request)


# ------------------------------------------------------------------------------------------
# groups of fields shared by several requests
# ------------------------------------------------------------------------------------------


class CouplingFields(Request):
    """The coupling pattern: a named pattern, explicit C_S/C_P, a named model or a matrix
    (a mapping, or a YAML file given by its path)."""

    coupling: str | None = None
    cs: ComplexInput | None = None
    cp: ComplexInput | None = None
    model: str | None = None
    #: a mapping, or (read by the validator) the path of a YAML file holding one
    couplings: dict[str, Any] | None = None

    @field_validator("couplings", mode="before")
    @classmethod
    def _read_couplings(cls, value: str
                        ) -> dict[str, Any]:
        if isinstance(value, str | Path):
            from leptoportal.config import read_yaml_mapping

            return read_yaml_mapping(value, "couplings")
        return value

    def pattern(self, pair: tuple[str, str] | None = None) -> CouplingMatrix | Couplings:
        """The couplings at h = 1 (``pair``: the beam's flavour pair, whose entry explicit
        C_S/C_P set; default the e-mu operator)."""
        from leptoportal.model import resolve_couplings

        return resolve_couplings(None, self.coupling or DEFAULT_COUPLING, self.cs, self.cp,
                                 self.model, self.couplings, pair, need_h=False)

    def chooses_couplings(self) -> bool:
        """True if the request names its couplings (a model, a matrix, C_S/C_P or a
        pattern); otherwise a set-up's model or the package's default applies."""
        return any(v is not None for v in (self.model, self.couplings, self.cs, self.cp,
                                           self.coupling))

    def described(self) -> str | dict[str, Any] | list[complex]:
        """The coupling choice for a table header: the model's name, the matrix given, the
        explicit [C_S, C_P] or the pattern's name."""
        if self.model is not None:
            return self.model
        if self.couplings is not None:
            from leptoportal.model import CouplingMatrix

            return CouplingMatrix.from_mapping(self.couplings).as_dict()
        if self.cs is not None or self.cp is not None:
            p = self.pattern()
            return [p.c_s, p.c_p]  # type: ignore[union-attr]
        return self.coupling or DEFAULT_COUPLING


class HFields(Request):
    """The coupling normalisation h that multiplies the pattern."""

    h: Number | None = None

    def h_value(self, need_h: bool = True) -> float:
        """h, or 1 where it may be left out (explicit C_S/C_P, or ``need_h=False``)."""
        if self.h is not None:
            return self.h
        explicit = getattr(self, "cs", None) is not None or getattr(self, "cp", None) is not None
        if need_h and not explicit:
            raise InputError("h is required: give the coupling normalisation h, or explicit "
                             "couplings cs/cp", parameters=("h", "cs", "cp"))
        return 1.0


class DarkFields(Request):
    """The benchmark dark sector's coupling (m_chi = m_phi / ratio)."""

    alpha_dark: Number | None = None

    def dark_sector(self, m_phi: float, ratio: float | None = None) -> DarkSector | None:
        """The dark sector (`leptoportal.model.dark_sector()`: the benchmark unless
        alpha_dark is given); alpha_dark = 0 means none (no invisible decay)."""
        from leptoportal.model import dark_sector

        dark = dark_sector(m_phi, alpha_dark=self.alpha_dark,
                           ratio=DEFAULT_MASS_RATIO if ratio is None else ratio)
        return dark if dark.g_dark > 0 else None


class NumericsFields(Request):
    """Monte-Carlo settings (see `Numerics`)."""

    precision: Number = defaults.PRECISION["yield"]
    seed: Whole = defaults.SEED
    cache: bool = True

    def numerics(self, **extra: Any) -> Numerics:
        from leptoportal.numerics import Numerics

        return Numerics(precision=self.precision, seed=self.seed, cache=self.cache, **extra)

    @model_validator(mode="after")
    def _valid_numerics(self) -> Self:
        """The precision and seed in their ranges when the request is made (a scan task is
        checked before anything runs), not first when it runs."""
        self.numerics()
        return self


# ------------------------------------------------------------------------------------------
# experiments: preset, YAML mapping and overrides of ExperimentConfig's fields
# ------------------------------------------------------------------------------------------

#: fields of ExperimentConfig that are not overrides of a request (a request's ``model`` is
#: its coupling model, checked against the set-up's)
_NOT_OVERRIDES = ("description", "sources", "assumptions", "model")


def _experiment_overrides() -> type[Request]:
    """A request base with every field of ExperimentConfig as an optional override (the
    field list is derived from the model, so the two cannot drift)."""
    from leptoportal.experiments.presets import ExperimentConfig

    fields: dict[str, Any] = {
        name: (info.annotation | None, None)  # type: ignore[operator]  # a type at run time
        for name, info in ExperimentConfig.model_fields.items() if name not in _NOT_OVERRIDES}
    return create_model("ExperimentOverrides", __base__=Request, **fields)


class ExperimentFields(_experiment_overrides()):  # type: ignore[misc]
    """An experiment: a preset (``experiment``), a YAML mapping (``config``: a mapping or a
    file) and overrides of any field."""

    experiment: str | None = None
    #: a mapping, or (read by the validator) the path of a YAML file holding one
    config: dict[str, Any] | None = None

    @field_validator("config", mode="before")
    @classmethod
    def _read_config(cls, value: str) -> dict[str, Any]:
        if isinstance(value, str | Path):
            from leptoportal.experiments import read_config_file

            return read_config_file(value)
        return value

    def overrides(self) -> dict[str, Any]:
        """The experiment fields given explicitly (not None)."""
        from leptoportal.experiments.presets import ExperimentConfig

        return {k: getattr(self, k) for k in ExperimentConfig.model_fields
                if k not in _NOT_OVERRIDES and getattr(self, k, None) is not None}

    def experiment_config(self) -> ExperimentConfig:
        """The `ExperimentConfig` of the request."""
        from leptoportal.experiments import resolve_config

        cfg = resolve_config(self.experiment, self.config, **self.overrides())
        if cfg is None:
            raise InputError("name an experiment (a preset) or give a config",
                             parameters=("experiment", "config"))
        return cfg


# ------------------------------------------------------------------------------------------
# the requests of the task kinds
# ------------------------------------------------------------------------------------------


class G2Request(HFields, CouplingFields):
    """g-2 contributions of the portal at one point."""

    kind: ClassVar[str] = "g2"
    m_phi: Number


class G2BandRequest(CouplingFields):
    """The g-2 coupling band (or upper limit) at one mass."""

    kind: ClassVar[str] = "g2-band"
    m_phi: Number
    dataset: str = defaults.G2_DATASET
    cl: Number = defaults.CL


class WidthsRequest(HFields, CouplingFields):
    """Decay widths at one point (the benchmark dark sector unless g_dark or alpha_dark is
    given)."""

    kind: ClassVar[str] = "widths"
    m_phi: Number
    g_dark: Number | None = None
    alpha_dark: Number | None = None
    m_chi: Number | None = None


class LFVRequest(HFields, CouplingFields, DarkFields):
    """Charged-lepton-flavour-violating decays at one mass (h: the scale of the couplings,
    1 if left out; the benchmark dark sector sets the width of phi unless alpha_dark is
    given)."""

    kind: ClassVar[str] = "lfv"
    m_phi: Number


class ConstraintsRequest(HFields, CouplingFields, DarkFields):
    """Every bound of `leptoportal.constraints` at one mass (h: the scale of the couplings,
    1 if left out; masses below the matrix's production domain are accepted: there a lepton
    decays into phi, which is itself a bound)."""

    kind: ClassVar[str] = "constraints"
    m_phi: Number


#: requested relative MC error of an ETL cross-section from ``xsec`` (`leptoportal.defaults`)
XSEC_PRECISION = defaults.PRECISION["xsec"]


def xsec_processes() -> tuple[str, ...]:
    """The production channels whose cross-section ``xsec`` computes
    (`leptoportal.experiments.presets.CHANNELS`)."""
    from leptoportal.experiments.presets import CHANNELS

    return tuple(name for name, spec in CHANNELS.items() if spec.xsec)


class XsecRequest(HFields, CouplingFields, DarkFields, NumericsFields):
    """A production cross-section of a channel (``process``, `xsec_processes()`): the
    conversion l N -> l' N phi (total or differential), or the annihilation on the target's
    electrons (its line shape)."""

    kind: ClassVar[str] = "xsec"
    target: str
    m_phi: Number
    energy: Number | None = None
    beam: str = "e-"
    process: str = "conversion"
    polarisation: Number = 0.0
    method: str = "etl"
    precision: Number = XSEC_PRECISION
    form_factor: str = "elastic"
    ff_systematic: bool = False
    route: str = defaults.ROUTE
    backend: str = defaults.BACKEND["command"]
    final_lepton: str | None = None
    spectrum: str | None = None
    bins: Whole = 40
    out: str | None = None
    force: bool = False
    cache: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> XsecRequest:
        from leptoportal.errors import require_choice
        from leptoportal.experiments.presets import CHANNELS

        require_choice("process", self.process, xsec_processes())
        spec = CHANNELS[self.process]
        given = [k for k, unused in spec.xsec_unused if getattr(self, k) != unused]
        if given:
            raise InputError(f"{', '.join(given)} do(es) not apply to the {self.process} "
                             "process", parameters=(*given, "process"))
        if spec.spectra and self.spectrum not in (None, *spec.spectra):
            raise InputError(f"spectrum = {echo(self.spectrum)}: the {self.process} process "
                             f"offers {', '.join(spec.spectra)} only", parameters=("spectrum",))
        if self.process == "conversion":
            if self.energy is None:
                raise InputError("energy is required: the beam energy E0 in GeV",
                                 parameters=("energy",))
            if self.route != "sx" and self.method != "etl":
                raise InputError(f"route = {self.route!r} applies to the etl method only "
                                 f"(method = {self.method!r})", parameters=("route", "method"))
            if self.backend != "auto" and (self.method != "etl" or self.spectrum is not None):
                raise InputError("backend applies to ETL total cross-sections",
                                 parameters=("backend",))
            if self.spectrum is not None and self.method != "etl":
                raise InputError(f"spectrum needs the etl method (method = {self.method!r})",
                                 parameters=("spectrum", "method"))
        if (self.spectrum is None) != (self.out is None):
            raise InputError("spectrum and out go together: the differential cross-section "
                             "is written to the file out", parameters=("spectrum", "out"))
        if self.force and self.out is None:
            raise InputError("force replaces the out file; there is none without spectrum and "
                             "out", parameters=("force", "out"))
        return self


class YieldRequest(ExperimentFields, HFields, CouplingFields, DarkFields, NumericsFields):
    """Expected signal events of an experiment at one point."""

    kind: ClassVar[str] = "yield"
    m_phi: Number
    br_invisible: Number | None = None


class LimitRequest(ExperimentFields, CouplingFields, DarkFields, NumericsFields):
    """The upper limit on h at one mass (``sensitivity``: the expected limit, n_obs = b)."""

    kind: ClassVar[str] = "limit"
    m_phi: Number
    method: str = defaults.LIMIT_METHOD
    cl: Number = defaults.CL
    sensitivity: bool = False
    br_invisible: Number | None = None


class RelicRequest(HFields, CouplingFields):
    """Omega h^2 of the dark sector at a model point, or of a generic particle."""

    kind: ClassVar[str] = "relic"
    m_phi: Number | None = None
    g_dark: Number | None = None
    alpha_dark: Number | None = None
    m_chi: Number | None = None
    ratio: Number = DEFAULT_MASS_RATIO
    splitting: Number = 0.0
    table: str = defaults.GSTAR_TABLE
    systematic: bool = False
    generic: bool = False
    mass: Number | None = None
    sigma_v: Number | None = None
    p_wave: bool = False
    dm: str = "majorana"

    @model_validator(mode="after")
    def _mode(self) -> RelicRequest:
        if self.generic:
            if self.mass is None or self.sigma_v is None:
                raise InputError("the generic mode needs mass and sigma_v",
                                 parameters=("generic", "mass", "sigma_v"))
        elif self.m_phi is None or self.h is None:
            raise InputError("the relic density of the dark sector needs m_phi and h (or the "
                             "generic mode)", parameters=("m_phi", "h", "generic"))
        return self


class RelicTargetRequest(CouplingFields):
    """The thermal target at one mass: h for fixed alpha_D, or alpha_D for h on the g-2
    band (exactly one of the two)."""

    kind: ClassVar[str] = "relic-target"
    m_phi: Number
    alpha_dark: Number | None = None
    h_on_g2_band: str | None = None
    ratio: Number = DEFAULT_MASS_RATIO
    table: str = defaults.GSTAR_TABLE

    @model_validator(mode="after")
    def _one(self) -> RelicTargetRequest:
        if (self.alpha_dark is None) == (self.h_on_g2_band is None):
            raise InputError("give exactly one of alpha_dark (solve for h) or h_on_g2_band "
                             "(solve for alpha_D)", parameters=("alpha_dark", "h_on_g2_band"))
        return self


#: coupling of generated events unless h is given (`leptoportal.defaults`)
DEFAULT_EVENT_H = defaults.EVENT_H


class GenerateRequest(HFields, CouplingFields, DarkFields):
    """Unweighted events written to a file (not a scan kind: one file per run)."""

    kind: ClassVar[str] = "generate"
    #: beam energy (GeV), target and beam; a set-up (config, thick_target) gives them too
    energy: Number | None = None
    target: str | dict[str, Any] | None = None
    m_phi: Number
    n: Whole
    out: str
    force: bool = False
    beam: str | None = None
    format: str | None = None
    seed: Whole = defaults.SEED
    h: Number | None = DEFAULT_EVENT_H
    decay: str = "auto"
    thick_target: str | None = None
    #: a mapping, or (read by the validator) the path of a YAML file holding one
    config: dict[str, Any] | None = None
    thickness_x0: Number | None = None
    e_conv_min: Number | None = None
    form_factor: str = "elastic"
    final_lepton: str | None = None

    @field_validator("config", mode="before")
    @classmethod
    def _read_config(cls, value: Any) -> Any:
        return ExperimentFields._read_config(value)

    @field_validator("seed")
    @classmethod
    def _seed_in_range(cls, value: int) -> int:
        """The seed's range is that of every Monte Carlo of the package (`Numerics`)."""
        from leptoportal.errors import require_int
        from leptoportal.numerics import SEED_MAX

        return require_int("seed", value, 0, SEED_MAX)

    @model_validator(mode="after")
    def _where(self) -> Self:
        """Without a set-up (thick_target or config) the beam energy and the target are
        given; the thick-target fields need a set-up."""
        if self.thick_target is None and self.config is None:
            missing = [k for k in ("energy", "target") if getattr(self, k) is None]
            if missing:
                raise InputError(f"{' and '.join(missing)} required: give them, or a set-up "
                                 "(config or thick_target) whose beam, energy and target the "
                                 "events follow", parameters=(*missing, "config"))
            if self.thickness_x0 is not None or self.e_conv_min is not None:
                raise InputError("thickness_x0 and e_conv_min describe a thick target: give "
                                 "thick_target (a preset) or config", parameters=(
                                     "thickness_x0", "e_conv_min", "thick_target"))
        return self

    def setup(self) -> ExperimentConfig | None:
        """The set-up the events follow (a preset and/or a config, the request's beam,
        energy, target, thickness_x0 and e_conv_min overriding it), or None: its beam,
        energy and target; a thick electron target's track length; its cuts."""
        if self.thick_target is None and self.config is None:
            return None
        from leptoportal.experiments import resolve_config

        cfg = resolve_config(self.thick_target, self.config, energy=self.energy,
                             target=self.target, beam=self.beam,
                             thickness_x0=self.thickness_x0, e_conv_min=self.e_conv_min)
        assert cfg is not None  # the request gives a preset or a config
        return cfg


def build(cls: type[R], params: dict[str, Any]) -> R:
    """The validated request of class ``cls`` from ``params``, or a one-line `InputError`:
    unknown parameters (with the valid ones and the closest match), missing ones, values of
    the wrong type."""
    if not isinstance(params, dict):
        raise InputError(f"{cls.kind}: the parameters are a mapping, not {echo(params)}")
    try:
        return cls(**{str(k): v for k, v in params.items()})
    except ValidationError as exc:
        raise _one_error(cls, exc) from None


def _one_error(cls: type[Request], exc: ValidationError) -> LeptoportalError:
    """One line for the errors of a validation (the first error of our own types raised in a
    validator is passed through as it is)."""
    errors = exc.errors()
    for e in errors:
        inner = (e.get("ctx") or {}).get("error")
        if isinstance(inner, LeptoportalError):
            return inner
    valid = sorted(cls.model_fields)
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        return InputError(f"{cls.kind}: unknown parameter(s): "
                          f"{name_unknown(unknown, valid, show=str)}; "
                          f"valid: {', '.join(valid)}", parameters=tuple(unknown))
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    if missing:
        return InputError(f"{cls.kind}: missing parameter(s): {', '.join(missing)}",
                          parameters=tuple(missing))
    parts, names = [], []
    for e in errors:
        name = ".".join(str(x) for x in e.get("loc", ())) or cls.kind
        names.append(str(e["loc"][0]) if e.get("loc") else cls.kind)
        parts.append(f"{name} = {echo(e.get('input'))}: {e.get('msg')}")
    return InputError("; ".join(parts), parameters=tuple(names))


__all__ = [
    "DEFAULT_EVENT_H", "XSEC_PRECISION", "xsec_processes", "build", "ComplexInput",
    "CouplingFields", "DarkFields", "ExperimentFields", "G2BandRequest", "G2Request",
    "ConstraintsRequest", "GenerateRequest", "HFields", "LFVRequest", "LimitRequest", "Number",
    "NumericsFields",
    "RelicRequest", "RelicTargetRequest", "Request", "Whole", "WidthsRequest", "XsecRequest",
    "YieldRequest",
]


def __dir__() -> list[str]:
    return __all__
