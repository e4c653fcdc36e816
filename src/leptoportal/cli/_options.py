"""The options shared by several commands: one declaration and one help text each."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from leptoportal import defaults
from leptoportal.errors import InputError, echo

F = TypeVar("F", bound=Callable[..., Any])

Json = Annotated[bool, typer.Option("--json", metavar="", help="Print one JSON object on stdout.")]
MPhi = Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")]
MPhiList = Annotated[str, typer.Option("--m-phi", help="phi mass(es) in GeV: M[,M...].")]
H = Annotated[
    float | None,
    typer.Option("--h", help="Coupling normalisation h (chiral: C_S = C_P = h/2; "
                 "scalar: C_S = h; pseudoscalar: C_P = h)."),
]
Coupling = Annotated[
    str | None, typer.Option("--coupling", help="Coupling pattern: chiral (the paper's "
                             "benchmark, the default) | scalar | pseudoscalar; with an "
                             "experiment, of its model's flavour pair.")
]
Cs = Annotated[
    str | None, typer.Option("--cs", help="Explicit C_S (complex allowed, e.g. 1+2j); "
                             "--h then multiplies it.")
]
Cp = Annotated[str | None, typer.Option("--cp", help="Explicit C_P (complex allowed).")]
GDark = Annotated[float | None, typer.Option("--g-dark", help="Dark coupling g_D.")]
AlphaDark = Annotated[
    float | None,
    typer.Option("--alpha-dark", help="Dark coupling alpha_D = g_D^2/(4 pi) of the benchmark "
                 f"dark sector (default {defaults.ALPHA_DARK:g}; 0: none, no invisible "
                 "decay)."),
]
MChi = Annotated[
    float | None, typer.Option("--m-chi", help="Dark fermion mass in GeV (default m_phi/3).")
]
Ratio = Annotated[float | None, typer.Option(
    "--ratio", help=f"m_phi / m_chi of the dark sector (default {defaults.MASS_RATIO:g}).")]
Beam = Annotated[str | None, typer.Option(
    "--beam", help="Beam lepton: e- (default) | e+ | mu- | mu+.")]
BeamSpread = Annotated[
    float | None,
    typer.Option("--beam-energy-spread", help="Relative Gaussian beam-energy spread "
                 "sigma_E/E in [0, 0.5] (the beam's annihilation on atomic electrons)."),
]
Polarisation = Annotated[
    float | None,
    typer.Option("--polarisation", help="Beam helicity polarisation in [-1, 1] (annihilation "
                 "production; +1 = right-handed l+)."),
]
ElectronMotion = Annotated[
    str | None,
    typer.Option("--electron-motion", help="Target electrons of the annihilation channels: compton "
                 "(Compton profiles and binding energies; default) | shells (Gaussian subshell "
                 "momenta) | rest."),
]
EnergyScan = Annotated[
    str | None,
    typer.Option("--energy-scan", help="Beam-energy scan E:N[,E:N...] (GeV : beam particles "
                 "per energy); replaces --energy and --eot."),
]
Energy = Annotated[float, typer.Option("--energy", help="Beam energy E0 in GeV.")]
Target = Annotated[str, typer.Option("--target", help="Pb | W | Fe | Cu | Al | C | Si.")]
FormFactor = Annotated[
    str | None, typer.Option("--form-factor", help="elastic (default) | elastic+inelastic | "
                             "helm.")
]
Seed = Annotated[int | None, typer.Option(
    "--seed", help=f"Random seed in [0, 2^32 - 1] (same seed, same result; default "
    f"{defaults.SEED}).")]
Precision = Annotated[
    float | None, typer.Option("--precision", help="Requested relative Monte-Carlo error of ETL "
                               f"(default {defaults.PRECISION['yield']:g}; xsec: "
                               f"{defaults.PRECISION['xsec']:g}).")
]
Experiment = Annotated[
    str | None, typer.Option("--experiment", help="Preset name (see `leptoportal experiments`).")
]
Config = Annotated[
    Path | None, typer.Option("--config", help="YAML config (experiment: NAME + overrides).")
]
Eot = Annotated[float | None, typer.Option("--eot", help="Beam leptons on target.")]
Efficiency = Annotated[float | None, typer.Option("--efficiency", help="Signal efficiency.")]
BrInvisible = Annotated[
    float | None, typer.Option("--br-invisible", help="Fix Br(phi -> invisible) in [0, 1].")
]
Table = Annotated[str | None, typer.Option(
    "--table", help=f"g* table: borsanyi2016 | idealgas (default {defaults.GSTAR_TABLE}).")]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="local (2 processes forked from this one; the default "
                 "where the platform can fork) | dask (a Dask local cluster, 2 workers) | "
                 "serial (this process) | a Dask scheduler address like tcp://host:8786."),
]
Force = Annotated[
    bool, typer.Option("--force", metavar="", help="Replace an existing read-only output "
                       "file (refused otherwise).")
]
Production = Annotated[
    str | None, typer.Option("--production", help="Production channels of the set-up, "
                             "C[,C...] (leptoportal experiments channels lists them); "
                             "overrides the set-up's.")
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", metavar="", help="No progress bar (it is drawn on "
                       "stderr only when stderr is a terminal, and never with --json).")
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", metavar="",
                       help="Neither read nor write the cross-section cache.")
]


#: most values of a list option (M[,M...]); longer lists are scans (leptoportal scan)
MAX_LIST = 500


def parse_float_list(name: str, text: str) -> list[float]:
    """Parse 'a,b,c' into floats with a one-line error naming the bad item (at most MAX_LIST
    values)."""
    items = text.split(",")
    if len(items) > MAX_LIST:
        raise InputError(f"{name} has {len(items)} values; a command takes at most {MAX_LIST} "
                         "(run longer lists as a resumable scan: leptoportal scan FILE)",
                         parameters=(name,))
    out = []
    for item in items:
        item = item.strip()
        try:
            v = float(item)
        except ValueError:
            raise InputError(f"{name} = {echo(item)} is not a number (expected M[,M...])",
                             parameters=(name,)) from None
        if not math.isfinite(v):
            raise InputError(f"{name} = {echo(item)} is not finite", parameters=(name,))
        out.append(v)
    if not out:
        raise InputError(f"{name} is empty", parameters=(name,))
    return out


def parse_energy_scan(text: str | None) -> list[list[float]] | None:
    """Parse 'E:N,E:N' into [[E, N], ...] with a one-line error naming the bad item."""
    if text is None:
        return None
    out = []
    for item in text.split(","):
        parts = item.strip().split(":")
        try:
            e, n = (float(x) for x in parts)
        except ValueError:
            raise InputError(f"energy_scan item {echo(item.strip())} is not E:N (two numbers)",
                             parameters=("energy_scan",)) from None
        if not (math.isfinite(e) and math.isfinite(n)):
            raise InputError(f"energy_scan item {echo(item.strip())} is not finite",
                             parameters=("energy_scan",))
        out.append([e, n])
    return out


Model = Annotated[
    str | None,
    typer.Option("--model", help="Named coupling matrix: emu-chiral | ee-scalar | mumu-scalar | "
                 "mumu-pseudoscalar | mumu-emu (mu-mu scalar with an e-mu entry 1e-5 of it; "
                 "--h sets the normalisation)."),
]
CouplingsFile = Annotated[
    Path | None,
    typer.Option("--couplings", help="YAML coupling matrix, e.g. 'e-mu: {cs: 0.5, cp: 0.5}' "
                 "per line (--h multiplies it)."),
]
FinalLepton = Annotated[
    str | None,
    typer.Option("--final-lepton", help="Outgoing lepton flavour e | mu | tau (default: the "
                 "other of e/mu); with --cs/--cp they set the entry of this pair."),
]


Cl = Annotated[float | None, typer.Option(
    "--cl", help=f"Confidence level (default {defaults.CL:g}).")]

# ------------------------------------------------------------------------------------------
# groups of options: declared once, added to a command's signature by a decorator, handed to
# the command as one mapping
# ------------------------------------------------------------------------------------------

#: the coupling choice of every physics command (`leptoportal.tasks.requests.CouplingFields`)
COUPLING_OPTIONS: dict[str, Any] = {
    "coupling": Coupling, "cs": Cs, "cp": Cp, "model": Model, "couplings": CouplingsFile}


def option_group(name: str, options: dict[str, Any]) -> Callable[[F], F]:
    """Give the decorated command one option per entry of ``options`` (field name ->
    annotated type, default None); the command receives those given (not None) as one
    mapping, its parameter ``name``."""

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for p in signature.parameters.values() if p.name != name]
        added = [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=None,
                                   annotation=ann) for k, ann in options.items()]
        keys = set(options)

        @functools.wraps(command)
        def with_group(**given: Any) -> Any:
            group = {k: v for k in keys if (v := given.pop(k, None)) is not None}
            return command(**given, **{name: group})

        params = own + added
        with_group.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        with_group.__annotations__ = {p.name: p.annotation for p in params}
        return with_group  # type: ignore[return-value]

    return decorate


# ------------------------------------------------------------------------------------------
# the fields of an experiment set-up, the same flags on yield, limit and generate
# ------------------------------------------------------------------------------------------

SetupName = Annotated[str | None, typer.Option("--name", help="Name of your own set-up.")]
SetupBeam = Annotated[str | None, typer.Option(
    "--beam", help="Beam lepton e- | e+ | mu- | mu+ (overrides the set-up's).")]
SetupEnergy = Annotated[float | None, typer.Option("--energy", help="Beam energy E0 in GeV.")]
SetupTarget = Annotated[str | None, typer.Option(
    "--target", help="Target: an element (Pb, W, ...), PbWO4, polystyrene, na64-ecal, w-si.")]
ThicknessX0 = Annotated[float | None, typer.Option(
    "--thickness-x0", help="Target thickness in radiation lengths.")]
Mode = Annotated[str | None, typer.Option("--mode", help="thick (track length) | thin.")]
EConvMin = Annotated[float | None, typer.Option(
    "--e-conv-min", help="Thick electron targets: least converting-lepton energy (GeV).")]
EOutMin = Annotated[float | None, typer.Option(
    "--e-out-min", help="Least energy of the outgoing lepton (GeV).")]
EOutMax = Annotated[float | None, typer.Option(
    "--e-out-max", help="Largest energy of the outgoing lepton (GeV).")]
ThetaOutMax = Annotated[float | None, typer.Option(
    "--theta-out-max", help="Largest angle of the outgoing lepton (rad).")]
EPhiMin = Annotated[float | None, typer.Option(
    "--e-phi-min", help="Least energy of phi, the missing energy (GeV).")]
NObs = Annotated[int | None, typer.Option("--n-obs", help="Observed events.")]
Background = Annotated[float | None, typer.Option(
    "--background", help="Expected background events.")]
BackgroundErr = Annotated[float | None, typer.Option(
    "--background-err", help="1 sigma uncertainty of the background (events; cls and "
    "classical limits average over it).")]

#: the fields of an experiment set-up that yield and limit take as options, each an override
#: of the `ExperimentConfig` field of its name (a test checks that every field of
#: ExperimentConfig is here, a list, a mapping, or in `SETUP_FILE_ONLY`)
SETUP_OPTIONS: dict[str, Any] = {
    "name": SetupName, "beam": SetupBeam, "energy": SetupEnergy, "target": SetupTarget,
    "thickness_x0": ThicknessX0, "mode": Mode, "eot": Eot, "e_conv_min": EConvMin,
    "e_out_min": EOutMin, "e_out_max": EOutMax, "theta_out_max": ThetaOutMax,
    "e_phi_min": EPhiMin, "efficiency": Efficiency, "n_obs": NObs, "background": Background,
    "background_err": BackgroundErr, "beam_energy_spread": BeamSpread,
    "polarisation": Polarisation, "energy_scan": EnergyScan, "electron_motion": ElectronMotion,
    "production": Production,
}
#: set-up fields given in a config file only (prose, tables, lists: not command-line values)
SETUP_FILE_ONLY = ("description", "sources", "assumptions", "model", "label", "final_leptons",
                   "detector_length_m", "projection")
