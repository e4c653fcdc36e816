"""Event files: LHE (Alwall et al., Comput. Phys. Commun. 176 (2007) 300; read back by
pylhe), HepMC3 (pyhepmc) and Parquet (pyarrow), each written atomically.

Example: ``write_events(sample, proc, "events.lhe", "lhe")``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from leptoportal.cache import atomic_output, atomic_write_bytes, atomic_write_text
from leptoportal.constants import LEPTON_PDG
from leptoportal.errors import require_choice, require_extra
from leptoportal.generate.sampler import PDG_CHI1, PDG_CHI2, PDG_PHI, EventSample
from leptoportal.production import Process

FORMATS = ("lhe", "hepmc3", "parquet")


def lepton_code(name: str) -> int:
    """PDG code of a charged lepton given as 'e-', 'mu+', 'tau-', ..."""
    return LEPTON_PDG[name[:-1]] * (1 if name.endswith("-") else -1)


def nucleus_pdg(Z: int, A: float) -> int:
    """PDG nuclear code 10LZZZAAAI (L = I = 0) with A rounded to an integer."""
    return 1000000000 + Z * 10000 + round(A) * 10


def _mass(p4: np.ndarray) -> float:
    m2 = p4[0] ** 2 - p4[1] ** 2 - p4[2] ** 2 - p4[3] ** 2
    return math.sqrt(max(m2, 0.0))


def write_lhe(sample: EventSample, proc: Process, path: Path) -> None:
    """Les Houches Event file (Alwall et al., Comput. Phys. Commun. 176 (2007) 300)."""
    lep_in = lepton_code(proc.beam)
    lep_out = lepton_code(proc.out_lepton)
    nuc = nucleus_pdg(proc.target.Z, proc.target.A)
    lines = ["<LesHouchesEvents version=\"3.0\">", "<header>",
             "<!-- leptoportal: l N -> l' N phi, exact tree-level |M|^2, unweighted -->",
             f"<!-- inputs: beam={proc.beam} E0={proc.energy} target={proc.target.name} "
             f"m_phi={proc.m_phi} final_lepton={proc.out_lepton} scalar={proc.scalar} "
             f"couplings={proc.matrix.as_dict()} "
             f"form_factor={proc.form_factor} seed={sample.info['seed']} "
             f"thick_target={sample.info['thick_target']} -->",
             f"<!-- unweighting efficiency {sample.efficiency:.4g}; PDG codes: phi={PDG_PHI}, "
             f"chi1={PDG_CHI1}, chi2={PDG_CHI2} -->",
             "</header>", "<init>",
             f"{lep_in} {nuc} {proc.energy:.10e} {proc.nucleus_mass:.10e} 0 0 0 0 3 1",
             f"{sample.sigma_pb:.10e} {sample.sigma_err_pb:.10e} 1.0 1", "</init>"]
    for i in range(len(sample)):
        parts = [(lep_in, -1, 0, 0, sample.beam[i], _mass(sample.beam[i])),
                 (nuc, -1, 0, 0, np.array([proc.nucleus_mass, 0, 0, 0.0]), proc.nucleus_mass),
                 (lep_out, 1, 1, 2, sample.lepton_out[i], proc.m_out),
                 (nuc, 1, 1, 2, sample.recoil[i], proc.nucleus_mass)]
        prods = sample.decay_products[i]
        parts.append((int(sample.scalar_pdg[i]), 2 if prods else 1, 1, 2, sample.phi[i],
                      proc.m_phi))
        for pdg, p4 in prods:
            parts.append((pdg, 1, 5, 5, p4, _mass(p4)))
        lines.append("<event>")
        lines.append(f"{len(parts)} 1 {sample.sigma_pb:.6e} {proc.energy:.6e} "
                     f"7.2973525643e-03 0.0")
        for pdg, status, m1, m2, p4, m in parts:
            lines.append(f"{pdg} {status} {m1} {m2} 0 0 {p4[1]:.12e} {p4[2]:.12e} "
                         f"{p4[3]:.12e} {p4[0]:.12e} {m:.10e} 0.0 9.0")
        if sample.depth_cm[i] > 0:
            lines.append(f"#vertex_depth_cm {sample.depth_cm[i]:.6e}")
        if prods and sample.decay_vertex_cm is not None:
            x, y, z = sample.decay_vertex_cm[i]
            lines.append(f"#decay_vertex_cm {x:.6e} {y:.6e} {z:.6e}")
        lines.append("</event>")
    lines.append("</LesHouchesEvents>")
    atomic_write_text(path, "\n".join(lines) + "\n")


def write_hepmc3(sample: EventSample, proc: Process, path: Path) -> None:
    """HepMC3 ASCII through pyhepmc (cross-section attached to every event)."""
    pyhepmc = require_extra("pyhepmc", "events")

    lep_in, lep_out = lepton_code(proc.beam), lepton_code(proc.out_lepton)
    nuc = nucleus_pdg(proc.target.Z, proc.target.A)
    with atomic_output(path, ".hepmc") as tmp, pyhepmc.open(str(tmp), "w") as f:
        for i in range(len(sample)):
            ev = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.CM)
            ev.event_number = i
            beam = pyhepmc.GenParticle(_fv(sample.beam[i]), lep_in, 4)
            tgt = pyhepmc.GenParticle(_fv([proc.nucleus_mass, 0, 0, 0]), nuc, 4)
            v = pyhepmc.GenVertex(pyhepmc.FourVector(0, 0, sample.depth_cm[i], 0))
            v.add_particle_in(beam)
            v.add_particle_in(tgt)
            prods = sample.decay_products[i]
            phi = pyhepmc.GenParticle(_fv(sample.phi[i]), int(sample.scalar_pdg[i]),
                                      2 if prods else 1)
            for p in (pyhepmc.GenParticle(_fv(sample.lepton_out[i]), lep_out, 1),
                      pyhepmc.GenParticle(_fv(sample.recoil[i]), nuc, 1), phi):
                v.add_particle_out(p)
            ev.add_vertex(v)
            if prods:
                x, y, z = sample.decay_vertex_cm[i]
                # time coordinate in cm (c t): the scalar's flight length / beta
                beta = np.linalg.norm(sample.phi[i][1:]) / sample.phi[i][0]
                ct = math.dist((x, y, z), (0.0, 0.0, sample.depth_cm[i])) / beta
                dv = pyhepmc.GenVertex(pyhepmc.FourVector(x, y, z, ct))
                dv.add_particle_in(phi)
                for pdg, p4 in prods:
                    dv.add_particle_out(pyhepmc.GenParticle(_fv(p4), pdg, 1))
                ev.add_vertex(dv)
            xs = pyhepmc.GenCrossSection()
            xs.set_cross_section(sample.sigma_pb, sample.sigma_err_pb)
            ev.cross_section = xs
            f.write(ev)


def _fv(p4):
    """(E, px, py, pz) -> pyhepmc.FourVector(px, py, pz, E)."""
    pyhepmc = require_extra("pyhepmc", "events")

    return pyhepmc.FourVector(float(p4[1]), float(p4[2]), float(p4[3]), float(p4[0]))


def write_parquet(sample: EventSample, proc: Process, path: Path) -> None:
    """Compact columnar file: E, px, py, pz of each particle, depth, converting energy."""
    import io

    pa = require_extra("pyarrow", "events")
    pq = require_extra("pyarrow.parquet", "events")

    cols = {}
    for name, arr in (("beam", sample.beam), ("lepton", sample.lepton_out),
                      ("phi", sample.phi), ("recoil", sample.recoil)):
        for j, comp in enumerate(("E", "px", "py", "pz")):
            cols[f"{name}_{comp}"] = arr[:, j]
    cols["depth_cm"] = sample.depth_cm
    cols["scalar_pdg"] = sample.scalar_pdg
    cols["converting_energy"] = sample.info["converting_energy"]
    table = pa.table(cols)
    meta = {"sigma_pb": str(sample.sigma_pb), "sigma_err_pb": str(sample.sigma_err_pb),
            "beam": proc.beam, "final_lepton": proc.out_lepton, "scalar": proc.scalar,
            "target": proc.target.name, "m_phi": str(proc.m_phi),
            "seed": str(sample.info["seed"])}
    table = table.replace_schema_metadata({k.encode(): v.encode() for k, v in meta.items()})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    atomic_write_bytes(path, buf.getvalue())


def write_events(sample: EventSample, proc: Process, path: str | Path, fmt: str) -> None:
    require_choice("format", fmt, FORMATS)
    {"lhe": write_lhe, "hepmc3": write_hepmc3, "parquet": write_parquet}[fmt](
        sample, proc, Path(path))
