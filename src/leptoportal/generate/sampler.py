"""Unweighted signal events of l N -> l' N phi from the exact tree-level |M|^2.

Sampling: the vegas map adapted to the ETL integrand (production module, route 1) is used as
an i.i.d. proposal: y uniform in [0,1]^4, x = map(y), weight w = f(x) jac(x) with mean sigma.
Events are accepted with probability w / w_max (exact accept-reject). w_max starts from a pilot
sample; if a later event exceeds it, w_max is raised and the events already accepted are
thinned with probability w_max_old / w_max_new, which is equivalent to having used the new
bound from the start (so the sample stays exactly distributed as |M|^2 dPhi). The recoil
azimuth, fixed in the phase-space map, is randomised by a rotation about the beam axis.

Thick targets: depth t (X0) and the converting lepton's energy E = E0 e^-y are drawn from
Tsai's primary track-length density (experiments module) restricted to E >= E_min, and the
event is generated at that exact energy with the vegas map of the nearest energy node.

Writers for LHE, HepMC3 and Parquet are in :mod:`leptoportal.generate.writers`.

Example::

    sample = generate(Process("e-", 100.0, "Pb", 0.2), 1000, seed=1)
    sample.phi[:3]              # lab four-momenta (E, px, py, pz) in GeV
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from leptoportal import decays as dec
from leptoportal import dirac
from leptoportal.constants import LEPTON_MASS, LEPTON_PDG
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.experiments import ExperimentConfig, track_length_sampler
from leptoportal.model import LEPTONS, DarkSector, Portal
from leptoportal.numerics import two_body_momentum
from leptoportal.production import Process
from leptoportal.production.etl import adapted_integrator, point_weights
from leptoportal.production.phasespace import map_sx

DECAYS = ("none", "auto")
#: events of one sample (all are held in memory: ~1 kB per event)
MAX_EVENTS = 1_000_000
#: PDG-style codes used for the new states (no official codes exist)
PDG_PHI = 9000005
PDG_CHI1 = 9000011
PDG_CHI2 = 9000012

@dataclass
class EventSample:
    """Unweighted events: momenta (N, 4) in the lab (GeV), plus per-event extras."""

    beam: np.ndarray
    lepton_out: np.ndarray
    phi: np.ndarray
    recoil: np.ndarray
    depth_cm: np.ndarray
    decay_products: list  # per event: [] or [(pdg, p4), (pdg, p4)]
    sigma_pb: float
    sigma_err_pb: float
    efficiency: float
    info: dict = field(default_factory=dict)
    #: PDG code of the scalar of each event (+PDG_PHI phi or the real scalar, -PDG_PHI phibar)
    scalar_pdg: np.ndarray | None = None
    #: decay vertex (x, y, z) in cm of each event (the production vertex is (0, 0, depth))
    decay_vertex_cm: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.phi)


def _rotate_z(vecs: np.ndarray, angle: np.ndarray) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    out = vecs.copy()
    out[:, 1] = c * vecs[:, 1] - s * vecs[:, 2]
    out[:, 2] = s * vecs[:, 1] + c * vecs[:, 2]
    return out


class _NodeSampler:
    """Weighted proposals from the vegas map adapted at one energy."""

    def __init__(self, proc: Process, seed: int):
        self.integ, _ = adapted_integrator(proc, seed, neval=20_000, nitn=8)

    def propose(self, proc: Process, rng: np.random.Generator, n: int,
                energy: np.ndarray | None = None):
        """n weighted points; ``energy``: optional beam energy per point."""
        y = rng.random((n, 4))
        x = np.empty_like(y)
        jac = np.empty(n)
        self.integ.map.map(y, x, jac)
        pts = map_sx(proc, x, energy)
        w = point_weights(proc, pts) * jac
        return pts, w


def _accept_reject(sampler_fn, n: int, rng: np.random.Generator, progress=None,
                   batch: int = 50_000, pilot: int = 200_000):
    """Exact accept-reject with adaptive w_max; returns (accepted list of batches, stats)."""
    pts0, w0, extra0 = sampler_fn(pilot)
    w_max = 1.2 * float(np.max(w0))
    if w_max <= 0:
        raise InputError("the selection leaves no phase space: cannot generate events")
    sum_w, sum_w2, n_prop = float(np.sum(w0)), float(np.sum(w0 * w0)), pilot
    accepted: list[tuple] = []
    n_acc = 0
    raised = 0
    while n_acc < n:
        pts, w, extra = sampler_fn(batch)
        sum_w += float(np.sum(w))
        sum_w2 += float(np.sum(w * w))
        n_prop += batch
        top = float(np.max(w))
        if top > w_max:  # raise the bound and thin what was accepted so far
            keep_p = w_max / top
            thinned = []
            for p_, e_, in accepted:
                keep = rng.random(len(p_["w"])) < keep_p
                thinned.append(({k: v[keep] for k, v in p_.items()}, {k: v[keep] for k, v in
                                                                       e_.items()}))
            accepted = thinned
            n_acc = sum(len(p_["w"]) for p_, _ in accepted)
            w_max = top
            raised += 1
        keep = rng.random(batch) * w_max < w
        sel = {"p": pts.p[keep], "pp": pts.pp[keep], "k": pts.k[keep], "q": pts.q[keep],
               "w": w[keep]}
        accepted.append((sel, {k: v[keep] for k, v in extra.items()}))
        n_acc += int(keep.sum())
        if progress is not None:
            progress(min(n_acc, n), n)
    mean = sum_w / n_prop
    var = max(sum_w2 / n_prop - mean * mean, 0.0)
    stats = {"sigma_pb": mean, "sigma_err_pb": math.sqrt(var / n_prop),
             "efficiency": mean / w_max, "proposals": n_prop, "w_max_raised": raised}
    return accepted, stats


def generate(proc: Process, n: int, seed: int = 1, thick_cfg: ExperimentConfig | None = None,
             dark: DarkSector | None = None, decay: str = "auto", progress=None
             ) -> EventSample:
    """``n`` unweighted events of ``proc`` (fixed energy) or of a thick target ``thick_cfg``.

    ``decay="auto"`` decays the scalar into chi2 chi1bar or lepton pairs with the branching
    fractions of the decays module (:func:`decay_channels`; dark sector: ``dark`` or
    :meth:`DarkSector.default`), at a vertex displaced by its decay length; ``none``
    leaves phi undecayed.
    """
    n = int(require_range("n", n, 1, MAX_EVENTS))
    require_choice("decay", decay, DECAYS)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    if thick_cfg is None:
        sampler = _NodeSampler(proc, seed)

        def draw(m):
            pts, w = sampler.propose(proc, rng, m)
            return pts, w, {"depth": np.zeros(m), "energy": np.full(m, proc.energy)}

        accepted, stats = _accept_reject(draw, n, rng, progress)
        norm = 1.0
    else:
        draw_te, nodes, norm = track_length_sampler(thick_cfg, proc.m_phi, rng)
        samplers = [_NodeSampler(proc.with_(energy=float(e)), seed) for e in nodes]
        log_nodes = np.log(nodes)

        def draw(m):
            t, e = draw_te(m)
            idx = np.abs(np.log(e)[:, None] - log_nodes[None, :]).argmin(axis=1)
            w = np.zeros(m)
            comp = {a: np.zeros((m, 4)) for a in ("p", "pp", "k", "q")}
            for j in np.unique(idx):
                sel = np.nonzero(idx == j)[0]
                # each event at its own energy, proposed from the nearest node's vegas map
                pts_j, w_j = samplers[j].propose(proc, rng, len(sel), e[sel])
                w[sel] = w_j
                for a in comp:
                    comp[a][sel] = getattr(pts_j, a)
            return _Pts(**comp), w * norm, {"depth": t * proc.target.X0_cm, "energy": e}

        accepted, stats = _accept_reject(draw, n, rng, progress)
    cat = {k: np.concatenate([a[k] for a, _ in accepted])[:n] for k in ("p", "pp", "k", "q")}
    extra = {k: np.concatenate([e[k] for _, e in accepted])[:n] for k in ("depth", "energy")}
    phi_az = rng.uniform(0.0, 2.0 * math.pi, n)
    lep = _rotate_z(cat["pp"], phi_az)
    phi = _rotate_z(cat["k"], phi_az)
    q = _rotate_z(cat["q"], phi_az)
    recoil = -q
    recoil[:, 0] += proc.nucleus_mass
    scalar_pdg = np.full(n, scalar_code(proc))
    products, decay_vertex = _decays(proc, phi, dark, decay, rng, extra["depth"], scalar_pdg)
    return EventSample(
        beam=cat["p"], lepton_out=lep, phi=phi, recoil=recoil, depth_cm=extra["depth"],
        decay_products=products, sigma_pb=stats["sigma_pb"], sigma_err_pb=stats["sigma_err_pb"],
        efficiency=stats["efficiency"],
        info={"beam": proc.beam, "energy": proc.energy, "target": proc.target.name,
              "m_phi": proc.m_phi, "seed": seed, "proposals": stats["proposals"],
              "w_max_raised": stats["w_max_raised"], "time_s": time.perf_counter() - t0,
              "thick_target": getattr(thick_cfg, "name", None),
              "track_length_above_emin_x0": norm if thick_cfg is not None else None,
              "converting_energy": extra["energy"], "scalar": proc.scalar},
        scalar_pdg=scalar_pdg, decay_vertex_cm=decay_vertex,
    )


@dataclass
class _Pts:
    p: np.ndarray
    pp: np.ndarray
    k: np.ndarray
    q: np.ndarray


def _two_body(parent: np.ndarray, m_parent: float, m1: float, m2: float,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Isotropic two-body decays in the parent frame (scalar parent), boosted to the lab."""
    n = len(parent)
    pstar = float(two_body_momentum(m_parent, m1, m2))
    cos = rng.uniform(-1, 1, n)
    ph = rng.uniform(0, 2 * math.pi, n)
    sin = np.sqrt(1 - cos**2)
    d = np.column_stack([sin * np.cos(ph), sin * np.sin(ph), cos]) * pstar
    a = np.column_stack([np.full(n, math.hypot(m1, pstar)), d])
    b = np.column_stack([np.full(n, math.hypot(m2, pstar)), -d])
    return dirac.boost_from_rest(parent, a), dirac.boost_from_rest(parent, b)


def scalar_code(proc: Process) -> int:
    """PDG code of the scalar produced by ``proc``: +PDG_PHI for phi (and for the real scalar
    of a flavour-diagonal coupling), -PDG_PHI for phibar."""
    return -PDG_PHI if proc.scalar == "phibar" else PDG_PHI


def scalar_lepton_numbers(proc: Process) -> dict[str, int]:
    """(L_e, L_mu, L_tau) carried by the scalar of ``proc`` (the beam lepton's minus the
    outgoing lepton's), e.g. {'e': 1, 'mu': -1, 'tau': 0} for e- -> mu- phibar."""
    sign = -1 if proc.antiparticle else 1
    out = dict.fromkeys(LEPTONS, 0)
    out[proc.flavour] += sign
    out[proc.final_lepton] -= sign
    return out


def decay_channels(proc: Process, dark: DarkSector) -> list[tuple[float, tuple, tuple]]:
    """[(branching fraction, (pdg1, pdg2), (m1, m2))] of the scalar of ``proc``.

    phi -> l_j^- l_i^+ for each operator (i, j) (phibar: the charge conjugate) and
    phi -> chi2 chi1bar (phibar -> chi2bar chi1). The real scalar's invisible decay is listed
    as chi2 chi1bar; its conjugate is chosen with probability 1/2 event by event.
    """
    w = dec.widths(Portal(proc.m_phi, proc.couplings), dark)
    conj = -1 if proc.scalar == "phibar" else 1
    out = []
    if w.gamma_total <= 0:
        return out
    if w.gamma_dark > 0:
        out.append((w.br_invisible, (conj * PDG_CHI2, -conj * PDG_CHI1),
                    (dark.m_chi, dark.m_chi)))
    for (i, j), c in proc.matrix.nonzero():
        g = float(dec.two_body_width(proc.m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c))
        if g > 0:
            out.append((g / w.gamma_total, (conj * LEPTON_PDG[j], -conj * LEPTON_PDG[i]),
                        (LEPTON_MASS[j], LEPTON_MASS[i])))
    return out


def _decays(proc: Process, phi: np.ndarray, dark, decay: str, rng, depth_cm: np.ndarray,
            scalar_pdg: np.ndarray) -> tuple[list, np.ndarray | None]:
    """Decay products of each event and the decay vertices, displaced along the scalar's
    direction by an exponential decay length of mean beta gamma c tau."""
    n = len(phi)
    if decay == "none":
        return [[] for _ in range(n)], None
    dark = dark if dark is not None else DarkSector.default(proc.m_phi)
    channels = decay_channels(proc, dark)
    out: list = [[] for _ in range(n)]
    if not channels:
        return out, None
    brs = np.array([c[0] for c in channels])
    pick = np.minimum(np.searchsorted(np.cumsum(brs) / brs.sum(), rng.random(n)),
                      len(channels) - 1)
    for k, (_, (id1, id2), (m1, m2)) in enumerate(channels):
        idx = np.nonzero(pick == k)[0]
        if len(idx) == 0:
            continue
        a, b = _two_body(phi[idx], proc.m_phi, m1, m2, rng)
        flip = (proc.scalar == "phi (real)") & (abs(id1) == PDG_CHI2)
        signs = np.where(rng.random(len(idx)) < 0.5, -1, 1) if flip else np.ones(len(idx), int)
        for jj, i in enumerate(idx):
            out[i] = [(int(signs[jj] * id1), a[jj]), (int(signs[jj] * id2), b[jj])]
    ctau_cm = dec.widths(Portal(proc.m_phi, proc.couplings), dark).ctau_m * 100.0
    mom = np.linalg.norm(phi[:, 1:], axis=1)
    length = ctau_cm * mom / proc.m_phi * rng.exponential(size=n)
    vertex = np.zeros((n, 3))
    vertex[:, 2] = depth_cm
    vertex += length[:, None] * phi[:, 1:] / mom[:, None]
    return out, vertex
