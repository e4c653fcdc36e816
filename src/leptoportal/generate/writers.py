"""Event files, written as a stream of chunks (memory stays bounded): LHE (Alwall et al.,
Comput. Phys. Commun. 176 (2007) 300; read back by pylhe), optionally gzip-compressed, HepMC3
(pyhepmc) and Parquet (pyarrow, one row group per chunk), each written atomically. The format
follows from the file name (.lhe, .lhe.gz, .hepmc/.hepmc3, .parquet).

Example:

    with generated_events(proc, 10**6) as stream:
        write_stream(stream, proc, "events.lhe.gz")
    write_events(sample, proc, "events.lhe")        # an in-memory sample
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from leptoportal.constants import LEPTON_PDG
from leptoportal.errors import InputError, require_choice, require_extra
from leptoportal.generate.sampler import (
    PDG_CHI1,
    PDG_CHI2,
    PDG_PHI,
    EventSample,
    EventStream,
    filled,
    model_parameters,
)
from leptoportal.model import DarkSector
from leptoportal.outputs import atomic_output, atomic_write_text
from leptoportal.production import Process

FORMATS = ("lhe", "lhe.gz", "hepmc3", "parquet")
#: file-name endings and their formats
EXTENSIONS = {".lhe.gz": "lhe.gz", ".lhe": "lhe", ".hepmc3": "hepmc3", ".hepmc": "hepmc3",
              ".parquet": "parquet"}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    """The format of an event file: from its name, or ``fmt`` (which must then agree)."""
    name = Path(path).name.lower()
    inferred = next((f for ext, f in EXTENSIONS.items() if name.endswith(ext)), None)
    if fmt is not None:
        require_choice("format", fmt, FORMATS)
        if inferred is not None and inferred != fmt:
            raise InputError(f"format = {fmt!r} does not match the file name {Path(path).name!r}"
                             f" ({inferred}); rename the file or drop format",
                             parameters=("format", "out"))
        return fmt
    if inferred is None:
        raise InputError(f"out = {str(path)!r}: cannot tell the format from the name (use "
                         f"{', '.join(EXTENSIONS)} or give format)",
                         parameters=("out", "format"))
    return inferred


def lepton_code(name: str) -> int:
    """PDG code of a charged lepton given as 'e-', 'mu+', 'tau-', ..."""
    return LEPTON_PDG[name[:-1]] * (1 if name.endswith("-") else -1)


#: what the events are (the generator tag and the headers)
DESCRIPTION = "l N -> l' N phi, exact tree-level |M|^2, unweighted events"


def _version() -> str:
    from leptoportal import __version__

    return __version__


def run_parameters(stream: EventStream, proc: Process) -> dict[str, str]:
    """The inputs of a run as text, for every format's header: generator, process, beam,
    target nucleus, seed, the sample's cross-section and unweighting efficiency."""
    info = stream.info
    return {"generator": f"leptoportal {_version()}", "process": DESCRIPTION,
            "beam": proc.beam, "beam_pdg": str(lepton_code(proc.beam)),
            "energy": f"{proc.energy:.10g}", "final_lepton": proc.out_lepton,
            "final_lepton_pdg": str(lepton_code(proc.out_lepton)), "scalar": proc.scalar,
            "scalar_pdg": str(scalar_pdg_of(proc)), "target": str(info["target"]),
            "nucleus_pdg": str(proc.target.nucleus_pdg),
            "nucleus_mass": f"{proc.nucleus_mass:.10g}", "m_phi": f"{proc.m_phi:.10g}",
            "form_factor": proc.form_factor, "seed": str(info["seed"]),
            "thick_target": str(info["thick_target"] or ""),
            "sigma_pb": f"{stream.sigma_pb:.10g}", "sigma_err_pb": f"{stream.sigma_err_pb:.10g}",
            "unweighting_efficiency": f"{stream.efficiency:.6g}",
            "units": "GeV (energies, momenta, masses), cm (depth_cm, vertices), mm (LHE "
                     "VTIMUP: proper decay length c tau)"}


def scalar_pdg_of(proc: Process) -> int:
    """The PDG code of the scalar a process produces (+-PDG_PHI)."""
    from leptoportal.generate.sampler import scalar_code

    return scalar_code(proc)


#: the quantum numbers of the new states (BLOCK QNUMBERS, the SLHA convention for particles a
#: reader does not know, Alwall et al., Comput. Phys. Commun. 180 (2009) 8 sec. 3.3):
#: (code, name, 3 x charge, 2S + 1, colour, 1 if it has a distinct antiparticle). phi is a
#: neutral scalar distinct from phibar (it carries lepton flavour: phibar -> mu+ e-); chi1 and
#: chi2 are the neutral Dirac fermions of the dark sector.
QNUMBERS = ((PDG_PHI, "phi", 0, 1, 1, 1), (PDG_CHI1, "chi1", 0, 2, 1, 1),
            (PDG_CHI2, "chi2", 0, 2, 1, 1))


def qnumbers_block(dark: bool) -> list[str]:
    """BLOCK QNUMBERS of phi (and of chi1, chi2 with a dark sector), so that a reader such as
    Pythia 8 creates the particles and imports their masses and decay tables."""
    lines = []
    for code, name, charge3, spin_states, colour, anti in QNUMBERS[:3 if dark else 1]:
        lines += [f"BLOCK QNUMBERS {code}  # {name}", f"      1  {charge3:>3d}  # 3 x charge",
                  f"      2  {spin_states:>3d}  # 2S + 1", f"      3  {colour:>3d}  # colour",
                  f"      4  {anti:>3d}  # distinct antiparticle"]
    return lines


def slha_block(model: dict[str, Any]) -> list[str]:
    """The model in SUSY Les Houches Accord form (Skands et al., JHEP 07 (2004) 036; SLHA2,
    Allanach et al., Comput. Phys. Commun. 180 (2009) 8): the QNUMBERS of the new states
    (`qnumbers_block()`), BLOCK MASS, the couplings C_S and C_P of each lepton pair (i, j)
    as matrices LPCS and LPCP indexed by the leptons' PDG codes with their imaginary parts in
    IMLPCS and IMLPCP, the dark coupling in LPDARK, and the scalar's DECAY table (total
    width, branching fractions)."""
    lines = [*qnumbers_block(model.get("m_chi") is not None), "BLOCK MASS  # GeV",
             f"  {PDG_PHI:>9d}  {model['m_phi']:.8e}  # phi"]
    if model.get("m_chi") is not None:
        lines += [f"  {PDG_CHI1:>9d}  {model['m_chi']:.8e}  # chi1",
                  f"  {PDG_CHI2:>9d}  {model['m_chi']:.8e}  # chi2"]
    for block, part in (("LPCS", "c_s"), ("LPCP", "c_p")):
        takes: tuple[tuple[str, Callable[[complex], float]], ...] = (
            ("", lambda z: z.real), ("IM", lambda z: z.imag))
        for prefix, take in takes:
            lines.append(f"BLOCK {prefix}{block}  # {'Im' if prefix else 'Re'} "
                         f"{part.upper()} of L = phi lbar_j (C_S + C_P g5) l_i + h.c., "
                         "indices: PDG codes of l_i, l_j")
            for (i, j), c in model["couplings"]:
                value = take(complex(getattr(c, part)))
                lines.append(f"  {LEPTON_PDG[i]:>3d} {LEPTON_PDG[j]:>3d}  {value:.8e}  "
                             f"# {i} {j}")
    if model.get("g_dark") is not None:
        lines += ["BLOCK LPDARK  # dark sector", f"  1  {model['g_dark']:.8e}  # g_D"]
    lines.append(f"DECAY {PDG_PHI:>9d}  {model['gamma_total']:.8e}  # phi: c tau = "
                 f"{model['ctau_m']:.6g} m")
    for br, (id1, id2) in model["channels"]:
        lines.append(f"  {br:.8e}  2  {id1:>9d}  {id2:>9d}")
    return lines


def _lhe_header(stream: EventStream, proc: Process) -> list[str]:
    lep_in = lepton_code(proc.beam)
    nuc = proc.target.nucleus_pdg
    run = run_parameters(stream, proc)
    return ["<LesHouchesEvents version=\"3.0\">", "<header>",
            f"<!-- {run['generator']}: {DESCRIPTION}; PDG codes: phi={PDG_PHI}, "
            f"chi1={PDG_CHI1}, chi2={PDG_CHI2}; momenta in GeV, #vertex lines in cm, VTIMUP "
            "(the scalar's proper decay length) in mm -->",
            "<leptoportal>", *[f"{k} = {v}" for k, v in run.items()], "</leptoportal>",
            "<slha>", *slha_block(stream.model), "</slha>",
            "</header>", "<init>",
            f"{lep_in} {nuc} {proc.energy:.12e} {proc.nucleus_mass:.12e} 0 0 0 0 3 1",
            # XSECUP XERRUP XMAXUP LPRUP: every event has the weight XWGTUP = sigma (IDWTUP
            # = 3, unweighted, MadGraph's convention), so the largest weight XMAXUP is sigma
            f"{stream.sigma_pb:{WEIGHT_FORMAT}} {stream.sigma_err_pb:{WEIGHT_FORMAT}} "
            f"{stream.sigma_pb:{WEIGHT_FORMAT}} 1",
            f"<generator name=\"leptoportal\" version=\"{_version()}\">{DESCRIPTION}"
            "</generator>", "</init>"]


#: the cross-section and the events' weights in the LHE file: every digit of a double
WEIGHT_FORMAT = ".16e"


def lhe_scale(proc: Process) -> float:
    """SCALUP of an event (GeV): the mass of phi, the scale of its emission. A shower started
    from the events radiates below it (started from the beam energy, the leptons' photons
    would double-count the hard process up to pT ~ 2 GeV at 100 GeV)."""
    return proc.m_phi


#: an LHE particle line whose momentum (px, py, pz, E) and mass are filled in per event
_LHE_MOVING = "0 0 %.12e %.12e %.12e %.12e {mass} 0.0 9.0"
#: the scalar's line: VTIMUP, its proper decay length c tau (mm), filled in per event
_LHE_SCALAR = "0 0 %.12e %.12e %.12e %.12e {mass} %.6e 9.0"


def _lhe_templates(sample: EventSample, proc: Process) -> dict[tuple[bool, bool, bool], str]:
    """The text of an event as a %-template per kind (decayed, depth shown, vertex shown):
    the constant lines and values written once, the per-event numbers as %-fields (one
    formatting call per event instead of one per number)."""
    lep_in = lepton_code(proc.beam)
    # NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP (NUP in front, per kind below)
    head = (f" 1 {sample.sigma_pb:{WEIGHT_FORMAT}} {lhe_scale(proc):.10e} "
            "7.2973525643e-03 0.0")
    # the nucleus (code and mass) of each event: a compound target mixes its elements
    base = [f"{lep_in} -1 0 0 " + _LHE_MOVING.format(mass="%.10e"),
            f"%d -1 0 0 0 0 {0.0:.12e} {0.0:.12e} {0.0:.12e} %.12e %.12e 0.0 9.0",
            f"{lepton_code(proc.out_lepton)} 1 1 2 " + _LHE_MOVING.format(
                mass=f"{proc.m_out:.10e}"),
            "%d 1 1 2 " + _LHE_MOVING.format(mass="%.12e")]  # the nucleus: as its energy
    out = {}
    for decayed in (False, True):
        scalar = f"%d {2 if decayed else 1} 1 2 " + _LHE_SCALAR.format(
            mass=f"{proc.m_phi:.10e}")
        products = 2 * ["%d 1 5 5 " + _LHE_MOVING.format(mass="%.10e")] if decayed else []
        for depth in (False, True):
            for vertex in (False, True) if decayed else (False,):  # vertex of the decay
                lines = ["<event>", f"{5 + len(products)}{head}", *base, scalar, *products]
                lines += ["#vertex_depth_cm %.6e"] if depth else []
                lines += ["#decay_vertex_cm %.6e %.6e %.6e"] if vertex else []
                out[(decayed, depth, vertex)] = "\n".join(lines + ["</event>"])
    return out


def _momentum_columns(p4: np.ndarray) -> list[list[float]]:
    """px, py, pz, E of four-vectors (m, 4) as flat lists (the order of an LHE line; flat
    lists of floats, unlike nested ones, give the garbage collector nothing to scan)."""
    return [p4[:, c].tolist() for c in (1, 2, 3, 0)]


def _mass_column(cols: list[list[float]]) -> list[float]:
    """Invariant mass of each four-vector given as `_momentum_columns()` (rounding-level
    negative m^2 -> 0)."""
    return [math.sqrt(max(e ** 2 - x ** 2 - y ** 2 - z ** 2, 0.0))
            for x, y, z, e in zip(*cols, strict=True)]


def _proper_lengths(sample: EventSample, idx: np.ndarray) -> list[float]:
    if sample.proper_length_mm is None:
        return [0.0] * len(idx)
    returned: list[float] = sample.proper_length_mm[idx].tolist()
    return returned


def _lhe_events(sample: EventSample, proc: Process) -> list[str]:
    """The events of a chunk as LHE text, one string per event: the events of each kind
    (`_lhe_templates()`) formatted column-wise, one formatting call per event."""
    templates = _lhe_templates(sample, proc)
    decayed = sample.decay_pdg[:, 0] != 0
    depth = sample.depth_cm > 0
    vertex = decayed & (sample.decay_vertex_cm is not None)
    events: list[str] = [""] * len(sample)
    for kind, template in templates.items():
        idx = np.flatnonzero((decayed == kind[0]) & (depth == kind[1]) & (vertex == kind[2]))
        if not len(idx):
            continue
        beam = _momentum_columns(sample.beam[idx])
        nucleus = filled(sample.target_pdg)[idx].tolist()
        mass = filled(sample.target_mass)[idx].tolist()
        cols = [*beam, _mass_column(beam), nucleus, mass, mass,
                *_momentum_columns(sample.lepton_out[idx]), nucleus,
                *_momentum_columns(sample.recoil[idx]), mass,
                filled(sample.scalar_pdg)[idx].tolist(),
                *_momentum_columns(sample.phi[idx]), _proper_lengths(sample, idx)]
        if kind[0]:
            for j in (0, 1):
                prod = _momentum_columns(sample.decay_p4[idx, j])
                cols += [sample.decay_pdg[idx, j].tolist(), *prod, _mass_column(prod)]
        if kind[1]:
            cols.append(sample.depth_cm[idx].tolist())
        if kind[2]:
            cols += [filled(sample.decay_vertex_cm)[idx, c].tolist() for c in range(3)]
        for i, values in zip(idx.tolist(), zip(*cols, strict=True), strict=True):
            events[i] = template % values
    return events


def write_lhe(stream: EventStream, proc: Process, path: Path, compress: bool = False) -> None:
    """Les Houches Event file (Alwall et al., Comput. Phys. Commun. 176 (2007) 300), chunk by
    chunk; gzip-compressed with ``compress``; and beside it the Pythia 8 settings that
    shower it as it is (`pythia_settings_path()`, `pythia_settings()`)."""
    nuclei: dict[int, float] = {}
    with atomic_output(path, ".lhe") as tmp:
        opener = gzip.open if compress else open
        with opener(tmp, "wt") as f:
            f.write("\n".join(_lhe_header(stream, proc)) + "\n")
            for chunk in stream.chunks():
                codes, first = np.unique(filled(chunk.target_pdg), return_index=True)
                nuclei.update(zip(codes.tolist(), filled(chunk.target_mass)[first].tolist(),
                                  strict=True))
                f.write("\n".join(_lhe_events(chunk, proc)) + "\n")
            f.write("</LesHouchesEvents>\n")
    atomic_write_text(pythia_settings_path(path), pythia_settings(path.name, nuclei))


#: Pythia 8 settings that run the package's LHE files as they are, each with its reason: a
#: lepton on a nucleus at rest, whose recoil is part of the hard process
PYTHIA_SETTINGS = (
    ("Beams:frameType", "4", "beams and events from the Les Houches file"),
    ("Check:beams", "off", "a lepton on a nucleus is no beam pair of Pythia's"),
    ("PDF:lepton", "off", "the beam lepton is unresolved"),
    ("PartonLevel:ISR", "off", "no initial-state shower: the nucleus has no partons here"),
    ("PartonLevel:MPI", "off", "no multiparton interactions"),
    ("PartonLevel:Remnants", "off", "no beam remnants: the nucleus recoils whole"),
    ("LesHouches:matchInOut", "off", "the incoming momenta are the file's (not rematched "
     "through parton densities)"),
    ("TimeShower:allowBeamRecoil", "off", "radiation recoils inside the final state"),
    ("HadronLevel:Hadronize", "off", "nothing to hadronise (decays stay on: phi, taus)"),
    ("Next:numberShowInfo", "0", "its listing compares x with parton densities the beams "
     "do not have"),
)


def _element_symbol(z: int) -> str:
    from leptoportal.production.targets import targets

    return next((t.name for t in targets().values() if t.Z == z), f"Z{z}")


#: the ending of the Pythia 8 settings beside an LHE file
SETTINGS_SUFFIX = ".pythia8.cmnd"


def pythia_settings_path(path: str | Path) -> Path:
    """Where the Pythia 8 settings of an LHE file go: ``ev.lhe`` -> ``ev.pythia8.cmnd``."""
    from leptoportal.outputs import MAX_NAME_BYTES

    path = Path(path)
    stem = path.name[:-len(".lhe.gz")] if path.name.endswith(".lhe.gz") else path.stem
    # the longest names: the stem is cut so that the name fits (the file names its LHE file)
    room = MAX_NAME_BYTES - len(SETTINGS_SUFFIX)
    stem = stem.encode(errors="surrogateescape")[:room].decode(errors="ignore")
    return path.with_name(stem + SETTINGS_SUFFIX)


def pythia_settings(lhe_name: str, nuclei: dict[int, float]) -> str:
    """Pythia 8 settings (a .cmnd file for ``Pythia.readFile``) that shower and decay the
    events of the LHE file ``lhe_name`` as they are: the fixed-target beams from the file
    (`PYTHIA_SETTINGS`), and the mass of each nucleus of the file (``nuclei``: code -> GeV)
    set to the nuclear mass the four-momenta use (Pythia's tables hold atomic masses, the Z
    electrons' mass more). A mixture of nuclei (a compound target) cannot all match the file's one
    beam: Pythia's event check is then off."""
    lines = [f"! Pythia 8 settings for the events of {lhe_name}, written by leptoportal "
             f"{_version()}.", "! Run from this directory: pythia.readFile(\"<this file>\"); "
             "pythia.init(); pythia.next() ...",
             f"Beams:LHEF = {lhe_name}"]
    lines += [f"{key} = {value}  ! {why}" for key, value, why in PYTHIA_SETTINGS]
    # every field of each nucleus (Pythia knows few nuclei, with atomic masses): name, no
    # antiparticle, spin type 1 (as Pythia's own nuclei), 3 x charge, no colour, the mass,
    # no width; stable
    for code, mass in sorted(nuclei.items()):
        z, a = code // 10000 % 1000, code // 10 % 1000
        lines += [f"{code}:all = {a}{_element_symbol(z)} void 1 {3 * z} 0 {mass:.10f} 0 0 0 0"
                  "  ! the nucleus with the nuclear mass of the file (GeV)",
                  f"{code}:mayDecay = off"]
    if len(nuclei) > 1:
        lines.append("Check:event = off  ! events on other nuclei than the beam's")
    return "\n".join(lines) + "\n"


def hepmc3_run_info(pyhepmc: Any, stream: EventStream, proc: Process) -> Any:
    """The run information of a HepMC3 file: the tool (leptoportal, its version, what it
    generates), the weight name ("Default": unweighted events of weight 1), and the run's
    parameters (`run_parameters()`) and model (SLHA text) as attributes."""
    info = pyhepmc.GenRunInfo()
    info.tools = [pyhepmc.GenRunInfo.ToolInfo("leptoportal", _version(), DESCRIPTION)]
    info.weight_names = [WEIGHT_NAME]
    info.attributes = {**run_parameters(stream, proc),
                       "slha": "\n".join(slha_block(stream.model))}
    return info


#: the one weight of the (unweighted) events
WEIGHT_NAME = "Default"


def write_hepmc3(stream: EventStream, proc: Process, path: Path) -> None:
    """HepMC3 ASCII through pyhepmc: run information (`hepmc3_run_info()`), and per
    event its weight (1) and the sample's cross-section with the accepted events and the
    attempted ones (the proposals of the accept-reject)."""
    pyhepmc = require_extra("pyhepmc", "events")

    run_info = hepmc3_run_info(pyhepmc, stream, proc)
    with atomic_output(path, ".hepmc") as tmp, pyhepmc.open(str(tmp), "w") as f:
        offset = 0
        for sample in stream.chunks():
            _hepmc3_chunk(pyhepmc, f, sample, proc, offset, run_info,
                          (stream.n, int(stream.info.get("proposals", -1))))
            offset += len(sample)


def _hepmc3_chunk(pyhepmc: Any, f: Any, sample: EventSample, proc: Process, offset: int,
                  run_info: Any, counts: tuple[int, int]) -> None:
    lep_in, lep_out = lepton_code(proc.beam), lepton_code(proc.out_lepton)
    for i in range(len(sample)):
        nuc = int(filled(sample.target_pdg)[i])
        ev = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.CM)
        ev.run_info = run_info
        ev.weights = [1.0]
        ev.event_number = offset + i
        beam = pyhepmc.GenParticle(_fv(sample.beam[i]), lep_in, 4)
        tgt = pyhepmc.GenParticle(_fv([filled(sample.target_mass)[i], 0, 0, 0]), nuc, 4)
        v = pyhepmc.GenVertex(pyhepmc.FourVector(0, 0, sample.depth_cm[i], 0))
        v.add_particle_in(beam)
        v.add_particle_in(tgt)
        prods = sample.products(i)
        phi = pyhepmc.GenParticle(_fv(sample.phi[i]), int(filled(sample.scalar_pdg)[i]),
                                  2 if prods else 1)
        for p in (pyhepmc.GenParticle(_fv(sample.lepton_out[i]), lep_out, 1),
                  pyhepmc.GenParticle(_fv(sample.recoil[i]), nuc, 1), phi):
            v.add_particle_out(p)
        ev.add_vertex(v)
        if prods:
            x, y, z = filled(sample.decay_vertex_cm)[i]
            # time coordinate in cm (c t): the scalar's flight length / beta
            beta = np.linalg.norm(sample.phi[i][1:]) / sample.phi[i][0]
            ct = math.dist((x, y, z), (0.0, 0.0, sample.depth_cm[i])) / beta
            dv = pyhepmc.GenVertex(pyhepmc.FourVector(x, y, z, ct))
            dv.add_particle_in(phi)
            for pdg, p4 in prods:
                dv.add_particle_out(pyhepmc.GenParticle(_fv(p4), pdg, 1))
            ev.add_vertex(dv)
        xs = pyhepmc.GenCrossSection()
        # accepted / attempted: the run's events of the proposals of its accept-reject
        xs.set_cross_section(sample.sigma_pb, sample.sigma_err_pb, *counts)
        ev.cross_section = xs
        f.write(ev)


def _fv(p4: Any) -> Any:
    """(E, px, py, pz) -> pyhepmc.FourVector(px, py, pz, E)."""
    pyhepmc = require_extra("pyhepmc", "events")

    return pyhepmc.FourVector(float(p4[1]), float(p4[2]), float(p4[3]), float(p4[0]))


def _parquet_table(pa: Any, sample: EventSample, meta: dict[str, Any]) -> Any:
    cols = {}
    for name, arr in (("beam", sample.beam), ("lepton", sample.lepton_out),
                      ("phi", sample.phi), ("recoil", sample.recoil)):
        for j, comp in enumerate(("E", "px", "py", "pz")):
            cols[f"{name}_{comp}"] = arr[:, j]
    for d in range(2):
        cols[f"decay{d + 1}_pdg"] = sample.decay_pdg[:, d]
        for j, comp in enumerate(("E", "px", "py", "pz")):
            cols[f"decay{d + 1}_{comp}"] = sample.decay_p4[:, d, j]
    cols["depth_cm"] = sample.depth_cm
    vertex = (sample.decay_vertex_cm if sample.decay_vertex_cm is not None
              else np.zeros((len(sample), 3)))
    for j, axis in enumerate("xyz"):
        cols[f"decay_vertex_{axis}_cm"] = vertex[:, j]
    cols["proper_length_mm"] = (sample.proper_length_mm if sample.proper_length_mm is not None
                                else np.zeros(len(sample)))
    cols["target_pdg"] = filled(sample.target_pdg)
    cols["scalar_pdg"] = filled(sample.scalar_pdg)
    cols["converting_energy"] = sample.info["converting_energy"]
    table = pa.table(cols)
    return table.replace_schema_metadata({k.encode(): v.encode() for k, v in meta.items()})


def write_parquet(stream: EventStream, proc: Process, path: Path) -> None:
    """Columnar file, one row group per chunk: E, px, py, pz (GeV) of each particle and of
    the scalar's two decay products with their PDG codes (0 when not decayed), the
    production depth and decay vertex (cm), the scalar's proper decay length (mm), its PDG
    code, the nucleus code and the converting energy (GeV); the run's parameters
    (`run_parameters()`) and model (``slha``) in the schema metadata."""
    pa = require_extra("pyarrow", "events")
    pq = require_extra("pyarrow.parquet", "events")

    meta = {**run_parameters(stream, proc), "slha": "\n".join(slha_block(stream.model))}
    with atomic_output(path, ".parquet") as tmp:
        writer = None
        try:
            for chunk in stream.chunks():
                table = _parquet_table(pa, chunk, meta)
                if writer is None:
                    writer = pq.ParquetWriter(str(tmp), table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()


def write_stream(stream: EventStream, proc: Process, path: str | Path,
                 fmt: str | None = None) -> str:
    """Write every event of ``stream`` to ``path``; the format from the name unless ``fmt``.
    Returns the format."""
    fmt = format_for(path, fmt)
    path = Path(path)
    if fmt in ("lhe", "lhe.gz"):
        write_lhe(stream, proc, path, compress=fmt == "lhe.gz")
    elif fmt == "hepmc3":
        write_hepmc3(stream, proc, path)
    else:
        write_parquet(stream, proc, path)
    return fmt


def write_events(sample: EventSample, proc: Process, path: str | Path,
                 fmt: str | None = None, dark: DarkSector | None = None) -> str:
    """Write an in-memory sample (see `write_stream()`); ``dark``: the dark sector it was
    generated with (for the header's model)."""
    stream = EventStream(len(sample), sample.sigma_pb, sample.sigma_err_pb, sample.efficiency,
                         sample.info, lambda: iter([sample]), model_parameters(proc, dark))
    return write_stream(stream, proc, path, fmt)


__all__ = [
    "DESCRIPTION", "EXTENSIONS", "FORMATS", "PYTHIA_SETTINGS", "QNUMBERS", "WEIGHT_FORMAT",
    "WEIGHT_NAME", "format_for", "hepmc3_run_info", "lepton_code", "lhe_scale",
    "pythia_settings", "pythia_settings_path", "qnumbers_block", "run_parameters",
    "scalar_pdg_of", "slha_block", "write_events",
    "write_hepmc3", "write_lhe", "write_parquet", "write_stream",
]


def __dir__() -> list[str]:
    return __all__
