"""The options shared by several commands: one declaration and one help text each."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from leptoportal.errors import InputError, echo

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
                 "dark sector (0 allowed: no invisible decay)."),
]
MChi = Annotated[
    float | None, typer.Option("--m-chi", help="Dark fermion mass in GeV (default m_phi/3).")
]
Ratio = Annotated[float, typer.Option("--ratio", help="m_phi / m_chi of the dark sector.")]
Beam = Annotated[str, typer.Option("--beam", help="Beam lepton: e- | e+ | mu- | mu+.")]
BeamSpread = Annotated[
    float | None,
    typer.Option("--beam-energy-spread", help="Relative Gaussian beam-energy spread "
                 "sigma_E/E in [0, 0.5] (resonant production)."),
]
Polarisation = Annotated[
    float | None,
    typer.Option("--polarisation", help="Beam helicity polarisation in [-1, 1] (resonant "
                 "production; +1 = right-handed l+)."),
]
ElectronMotion = Annotated[
    str | None,
    typer.Option("--electron-motion", help="Target electrons for resonant production: compton "
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
    str, typer.Option("--form-factor", help="elastic | elastic+inelastic | helm.")
]
Seed = Annotated[int, typer.Option("--seed", help="Random seed in [0, 2^32 - 1] (same seed, "
                                   "same result).")]
Precision = Annotated[
    float, typer.Option("--precision", help="Requested relative Monte-Carlo error of ETL.")
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
Table = Annotated[str, typer.Option("--table", help="g* table: borsanyi2016 | idealgas.")]
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
ShowerPositrons = Annotated[
    bool | None, typer.Option("--shower-positrons/--no-shower-positrons",
                              help="Thick electron targets: add e+ e- -> phi of the shower's "
                              "positrons on the atomic electrons (overrides the set-up's).")
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
