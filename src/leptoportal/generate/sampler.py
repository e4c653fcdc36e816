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

Writers for LHE, HepMC3 and Parquet are in `leptoportal.generate.writers`.

Example:

    sample = generate(Process("e-", 100.0, "Pb", 0.2), 1000, seed=1)
    sample.phi[:3]              # lab four-momenta (E, px, py, pz) in GeV
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from leptoportal import decays as dec
from leptoportal import dirac
from leptoportal._typing import AnyArray, FloatArray, ProgressFn
from leptoportal.constants import LEPTON_MASS, LEPTON_PDG
from leptoportal.errors import InputError, require_choice, require_range
from leptoportal.experiments import ExperimentConfig, track_length_sampler
from leptoportal.model import LEPTONS, DarkSector, Portal
from leptoportal.numerics import two_body_momentum
from leptoportal.outputs import output_error, temporary_directory
from leptoportal.production import Process
from leptoportal.production.etl import adapted_integrator, make_selection, mapped_weights
from leptoportal.production.phasespace import map_sx, observables

DECAYS = ("none", "auto")
#: events of one file: accepted proposals are spooled to disk (their hypercube point, weight,
#: depth and energy: 56 bytes per event) and written in chunks, so memory stays bounded
MAX_EVENTS = 100_000_000
#: events of one in-memory sample (`generate()`; ~1 kB per event)
MAX_MEMORY_EVENTS = 1_000_000
#: events per chunk of the spool and of the written output
CHUNK_EVENTS = 20_000
#: the arrays of an accepted proposal
_SPOOLED = ("x", "w", "depth", "energy")
#: PDG-style codes used for the new states (no official codes exist)
PDG_PHI = 9000005
PDG_CHI1 = 9000011
PDG_CHI2 = 9000012

def filled(array: np.ndarray | None) -> np.ndarray:
    """An event array that every finished sample has (None only while it is built)."""
    assert array is not None
    return array


@dataclass
class EventSample:
    """Unweighted events: momenta (N, 4) in the lab (GeV), plus per-event extras."""

    beam: np.ndarray
    lepton_out: np.ndarray
    phi: np.ndarray
    recoil: np.ndarray
    depth_cm: np.ndarray
    #: PDG codes (N, 2) of the scalar's decay products (0, 0 where it is not decayed)
    decay_pdg: np.ndarray
    #: their four-momenta (N, 2, 4) in GeV
    decay_p4: np.ndarray
    sigma_pb: float
    sigma_err_pb: float
    efficiency: float
    info: dict[str, Any] = field(default_factory=dict)
    #: PDG code of the scalar of each event (+PDG_PHI phi or the real scalar, -PDG_PHI phibar)
    scalar_pdg: np.ndarray | None = None
    #: decay vertex (x, y, z) in cm of each event (the production vertex is (0, 0, depth))
    decay_vertex_cm: np.ndarray | None = None
    #: PDG nuclear code and mass (GeV) of the nucleus each event was produced on (a compound
    #: or calorimeter target mixes its elements)
    target_pdg: np.ndarray | None = None
    target_mass: np.ndarray | None = None
    #: the scalar's proper decay length c tau of each event (mm; sampled from the
    #: exponential of mean c tau, 0 where the scalar cannot decay): the LHE VTIMUP
    proper_length_mm: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.phi)

    def products(self, i: int) -> list[tuple[int, np.ndarray]]:
        """The decay products of event ``i``: [] or [(pdg, p4), (pdg, p4)]."""
        if self.decay_pdg[i, 0] == 0:
            return []
        return [(int(self.decay_pdg[i, 0]), self.decay_p4[i, 0]),
                (int(self.decay_pdg[i, 1]), self.decay_p4[i, 1])]

    @property
    def decay_products(self) -> list[list[tuple[int, np.ndarray]]]:
        """Per event: [] or [(pdg, p4), (pdg, p4)] (built on request from the arrays)."""
        return [self.products(i) for i in range(len(self))]


def _rotate_z(vecs: np.ndarray, angle: np.ndarray) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    out = vecs.copy()
    out[:, 1] = c * vecs[:, 1] - s * vecs[:, 2]
    out[:, 2] = s * vecs[:, 1] + c * vecs[:, 2]
    return out


class _NodeSampler:
    """Weighted proposals from the vegas map adapted at one energy; with a ``selection``
    (the set-up's cuts on the outgoing lepton and phi) a proposal that fails it weighs 0."""

    def __init__(self, proc: Process, seed: int,
                 selection: Callable[[dict[str, FloatArray]], FloatArray] | None = None):
        self.integ, _ = adapted_integrator(proc, seed, neval=20_000, nitn=8)
        self.selection = selection

    def propose(self, proc: Process, rng: np.random.Generator, n: int,
                energy: np.ndarray | None = None) -> tuple[FloatArray, FloatArray]:
        """n weighted points of the unit hypercube of route 1 (x, weight); ``energy``:
        optional beam energy per point. Only the weights are computed here (one compiled
        pass); the momenta of the accepted points follow from x in `_finish()`."""
        y = rng.random((n, 4))
        x = np.empty_like(y)
        jac = np.empty(n)
        self.integ.map.map(y, x, jac)
        w = mapped_weights(proc, x, energy) * jac
        if self.selection is not None:
            w = w * self.selection(observables(proc, map_sx(proc, x, energy)))
        return x, w


class _Spool:
    """Accepted proposals in .npy chunks on disk, with in-memory keep masks (the thinning of
    a raised w_max acts on the masks)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.chunks: list[tuple[Path, np.ndarray]] = []

    def add(self, arrays: dict[str, np.ndarray]) -> int:
        path = self.directory / f"chunk{len(self.chunks):06d}.npz"
        try:
            np.savez(path, **arrays)  # type: ignore[arg-type]  # numpy's stub: name -> array
        except OSError as exc:  # disk full, file size limit, ...: one line naming the spool
            raise output_error(self.directory, exc) from None
        n = len(arrays["w"])
        self.chunks.append((path, np.ones(n, dtype=bool)))
        return n

    def thin(self, keep_p: float, rng: np.random.Generator) -> int:
        """Keep each kept event with probability keep_p; returns the number kept."""
        for _, mask in self.chunks:
            kept = np.flatnonzero(mask)
            mask[kept[rng.random(len(kept)) >= keep_p]] = False
        return self.kept()

    def kept(self) -> int:
        return int(sum(int(m.sum()) for _, m in self.chunks))

    def read(self, n: int, size: int) -> Iterator[dict[str, np.ndarray]]:
        """The first ``n`` kept events, in order, in blocks of ``size``."""
        buf: list[dict[str, Any]] = []
        have = done = 0
        for path, mask in self.chunks:
            if done + have >= n:
                break
            with np.load(path) as z:
                buf.append({k: z[k][mask] for k in _SPOOLED})
            have += int(mask.sum())
            while have >= size or (done + have >= n and have > 0):
                cat = {k: np.concatenate([b[k] for b in buf]) for k in _SPOOLED}
                take = min(size, n - done, have)
                yield {k: v[:take] for k, v in cat.items()}
                done += take
                rest = {k: v[take:] for k, v in cat.items()}
                have = len(rest["w"])
                buf = [rest] if have else []
                if done >= n:
                    return


#: proposals of the pilot that sets the first bound w_max (and the shares of a mixture)
PILOT_PROPOSALS = 200_000


def _accept_reject(sampler_fn: Callable[[int], Any], n: int, rng: np.random.Generator,
                   spool: _Spool, progress: ProgressFn | None = None, batch: int = 50_000,
                   pilot: int = PILOT_PROPOSALS, pilot_weights: np.ndarray | None = None
    ) -> dict[str, Any]:
    """Exact accept-reject with adaptive w_max into ``spool``; returns the statistics
    (``pilot_weights``: the weights of a pilot already drawn)."""
    w0 = sampler_fn(pilot)[1] if pilot_weights is None else pilot_weights
    pilot = len(w0)
    w_max = 1.2 * float(np.max(w0))
    if w_max <= 0:
        raise InputError("the selection leaves no phase space: cannot generate events")
    sum_w, sum_w2, n_prop = float(np.sum(w0)), float(np.sum(w0 * w0)), pilot
    n_acc = 0
    raised = 0
    while n_acc < n:
        x, w, extra = sampler_fn(batch)
        sum_w += float(np.sum(w))
        sum_w2 += float(np.sum(w * w))
        n_prop += batch
        top = float(np.max(w))
        if top > w_max:  # raise the bound and thin what was accepted so far
            n_acc = spool.thin(w_max / top, rng)
            w_max = top
            raised += 1
        keep = rng.random(batch) * w_max < w
        n_acc += spool.add({"x": x[keep], "w": w[keep], "depth": extra["depth"][keep],
                            "energy": extra["energy"][keep]})
        if progress is not None:
            progress(min(n_acc, n), n)
    mean = sum_w / n_prop
    var = max(sum_w2 / n_prop - mean * mean, 0.0)
    return {"sigma_pb": mean, "sigma_err_pb": math.sqrt(var / n_prop),
            "efficiency": mean / w_max, "proposals": n_prop, "w_max_raised": raised}


@dataclass
class EventStream:
    """Unweighted events of one run, produced chunk by chunk: ``chunks()`` yields
    `EventSample` objects of at most CHUNK_EVENTS events (valid inside
    `generated_events()`); ``sigma_pb``, ``sigma_err_pb``, ``efficiency`` and ``info``
    describe the whole run."""

    n: int
    sigma_pb: float
    sigma_err_pb: float
    efficiency: float
    info: dict[str, Any]
    chunks: Callable[[], Iterator[EventSample]]
    #: the model of the run for file headers (`model_parameters()`)
    model: dict[str, Any] = field(default_factory=dict)


def model_parameters(proc: Process, dark: DarkSector | None) -> dict[str, Any]:
    """What an event file's header states of the model: the masses (GeV), the scalar's total
    width (GeV), c tau (m) and decay channels [(branching fraction, (pdg1, pdg2))], the
    couplings C_S, C_P of each lepton pair and the dark sector (None without one)."""
    w = dec.widths(Portal(proc.m_phi, proc.couplings), dark)
    sign = -1 if proc.scalar == "phibar" else 1  # the channels of phi (code +PDG_PHI)
    return {"m_phi": proc.m_phi, "gamma_total": w.gamma_total, "ctau_m": w.ctau_m,
            "channels": [(br, (sign * a, sign * b))
                         for br, (a, b), _ in decay_channels(proc, dark)],
            "couplings": [((i, j), c) for (i, j), c in proc.matrix.nonzero()],
            "m_chi": None if dark is None else dark.m_chi,
            "g_dark": None if dark is None else dark.g_dark}


def _proposals(proc: Process, thick_cfg: ExperimentConfig | None, rng: np.random.Generator,
               selection: Callable[[dict[str, FloatArray]], FloatArray] | None,
               seed: int
               ) -> tuple[Callable[[int], tuple[FloatArray, FloatArray, dict[str, Any]]],
                          float | None]:
    """The proposal function draw(m) -> (x, weight, extras) of ``proc`` at its energy or,
    for a thick target, at energies and depths from the track length; and the track length
    above the lowest energy (X0; None for a fixed energy)."""
    if thick_cfg is None:
        sampler = _NodeSampler(proc, seed, selection)

        def draw(m: int) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
            x, w = sampler.propose(proc, rng, m)
            return x, w, {"depth": np.zeros(m), "energy": np.full(m, proc.energy)}

        return draw, None
    draw_te, nodes, norm = track_length_sampler(thick_cfg, proc.m_phi, rng,
                                                proc.final_lepton, proc.target.name)
    samplers = [_NodeSampler(proc.with_(energy=float(e)), seed, selection) for e in nodes]
    log_nodes = np.log(nodes)
    x0_cm = thick_cfg.material().X0_cm

    def draw_thick(m: int) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
        t, e = draw_te(m)
        idx = np.abs(np.log(e)[:, None] - log_nodes[None, :]).argmin(axis=1)
        w = np.zeros(m)
        x = np.zeros((m, 4))
        for j in np.unique(idx):
            sel = np.nonzero(idx == j)[0]
            # each event at its own energy, proposed from the nearest node's vegas map
            x[sel], w[sel] = samplers[j].propose(proc, rng, len(sel), e[sel])
        return x, w * norm, {"depth": t * x0_cm, "energy": e}

    return draw_thick, norm


@contextmanager
def generated_events(proc: Process | list[Any], n: int, seed: int = 1,
                     thick_cfg: ExperimentConfig | None = None, dark: DarkSector | None = None,
                     decay: str = "auto", progress: ProgressFn | None = None,
                     workdir: str | Path | None = None, material: str | None = None,
                     cuts: dict[str, Any] | None = None) -> Iterator[EventStream]:
    """``n`` unweighted events of ``proc`` (fixed energy) or of a thick target ``thick_cfg``
    as an `EventStream`. Accepted proposals are spooled in a temporary directory in
    ``workdir`` (default: the system's), removed on exit.

    ``proc`` may be a list of (Process, atom fraction) on the elements of a compound or
    calorimeter target: each event is produced on one element, with the probability of its
    share of the rate (atom fraction x cross-section, from the pilots of the elements), and
    the events of the elements are written in random order; the sample's cross-section is
    per atom, averaged over the material's atoms (``material``: its name).

    ``cuts`` ({observable: [lo, hi]}, `ExperimentConfig.cuts()`): only events that pass them
    are produced, and the cross-section is that of the selected events.

    ``decay="auto"`` decays the scalar into chi2 chi1bar or lepton pairs with the branching
    fractions of the decays module (`decay_channels()`; dark sector: ``dark``, None for
    none), at a vertex displaced by its decay length; ``none`` leaves phi undecayed.
    """
    n = int(require_range("n", n, 1, MAX_EVENTS))
    require_choice("decay", decay, DECAYS)
    parts = [(proc, 1.0)] if isinstance(proc, Process) else list(proc)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    selection = make_selection(cuts)
    draws = [_proposals(p, thick_cfg, rng, selection, seed) for p, _ in parts]
    counts, pilots = _shares(draws, [f for _, f in parts], n, rng)
    with temporary_directory(workdir, ".leptoportal-spool-") as d:
        spools, stats = [], []
        for k, (draw, _) in enumerate(draws):
            spools.append(_Spool(Path(d) / f"{k}"))
            spools[-1].directory.mkdir()
            stats.append(_accept_reject(draw, counts[k], rng, spools[-1],
                                        _offset(progress, sum(counts[:k]), n),
                                        pilot_weights=pilots[k]) if counts[k] else None)
        total = _combined(stats, [f for _, f in parts], counts)
        first = parts[0][0]
        info = {"beam": first.beam, "energy": first.energy,
                "target": material or _target_name(parts, thick_cfg), "m_phi": first.m_phi,
                "seed": seed,
                "proposals": sum(s["proposals"] for s in stats if s),
                "w_max_raised": sum(s["w_max_raised"] for s in stats if s),
                "time_s": time.perf_counter() - t0,
                "thick_target": getattr(thick_cfg, "name", None),
                "track_length_above_emin_x0": draws[0][1], "scalar": first.scalar,
                "cuts": cuts or {}}
        if len(parts) > 1:
            info["elements"] = [{"element": p.target.name, "atom_fraction": f, "events": c,
                                 "sigma_pb": s["sigma_pb"] if s else 0.0}
                                for (p, f), c, s in zip(parts, counts, stats, strict=True)]

        def chunks() -> Iterator[EventSample]:
            if len(parts) == 1:
                for block in spools[0].read(n, CHUNK_EVENTS):
                    yield _finish(first, block, total, info, dark, decay, rng)
                return
            yield from _mixed_chunks(parts, spools, counts, total, info, dark, decay, rng)

        yield EventStream(n, total["sigma_pb"], total["sigma_err_pb"], total["efficiency"],
                          info, chunks, model_parameters(first, dark))


def _target_name(parts: list[Any], thick_cfg: ExperimentConfig | None) -> str:
    if thick_cfg is not None:
        return thick_cfg.material().name
    return parts[0][0].target.name if len(parts) == 1 else "+".join(
        p.target.name for p, _ in parts)


def _offset(progress: ProgressFn | None, done: int, total: int) -> ProgressFn | None:
    """The progress callback of one element of a mixture (its events after ``done``)."""
    if progress is None:
        return None
    return lambda k, _n: progress(done + k, total)


def _shares(draws: list[Any], fractions: list[float], n: int,
            rng: np.random.Generator) -> tuple[list[int], list[Any]]:
    """Events per element and the pilots' weights: one element takes all (its pilot is
    drawn by the accept-reject itself, as for a single target); several share n with the
    probabilities of their rates, atom fraction x mean pilot weight (multinomial)."""
    if len(draws) == 1:
        return [n], [None]
    pilots = [draw(PILOT_PROPOSALS)[1] for draw, _ in draws]
    rates = np.array([f * float(np.mean(w)) for f, w in zip(fractions, pilots, strict=True)])
    if rates.sum() <= 0:
        raise InputError("no element of the target gives phase space: cannot generate events")
    return [int(c) for c in rng.multinomial(n, rates / rates.sum())], pilots


def _combined(stats: list[Any], fractions: list[float], counts: list[int]) -> dict[str, Any]:
    """The statistics of a sample: per atom of the material (fractions weighted), the
    unweighting efficiency of all events."""
    if len(stats) == 1:
        returned: dict[str, Any] = stats[0]
        return returned
    sigma = sum(f * s["sigma_pb"] for f, s in zip(fractions, stats, strict=True) if s)
    err = math.sqrt(sum((f * s["sigma_err_pb"]) ** 2
                        for f, s in zip(fractions, stats, strict=True) if s))
    used = sum(c / s["efficiency"] for c, s in zip(counts, stats, strict=True) if s)
    return {"sigma_pb": sigma, "sigma_err_pb": err, "efficiency": sum(counts) / used}


class _Taker:
    """Exactly m events at a time from a spool's blocks."""

    def __init__(self, blocks: Iterator[dict[str, Any]]):
        self.blocks = blocks
        self.buffer: dict[str, Any] | None = None

    def take(self, m: int) -> dict[str, Any]:
        parts = []
        while m > 0:
            if self.buffer is None or len(self.buffer["w"]) == 0:
                self.buffer = next(self.blocks)
            k = min(m, len(self.buffer["w"]))
            parts.append({key: v[:k] for key, v in self.buffer.items()})
            self.buffer = {key: v[k:] for key, v in self.buffer.items()}
            m -= k
        return {key: np.concatenate([p[key] for p in parts]) for key in _SPOOLED}


def _mixed_chunks(parts: list[Any], spools: list[Any], counts: list[int], stats: dict[str, Any],
                  info: dict[str, Any], dark: DarkSector | None, decay: str,
                  rng: np.random.Generator) -> Iterator[EventSample]:
    """The events of several elements in random order: each chunk draws how many of its
    events come from each element (multivariate hypergeometric: every order of the sample is
    equally likely) and shuffles them."""
    takers = [_Taker(s.read(c, CHUNK_EVENTS)) for s, c in zip(spools, counts, strict=True)]
    left = np.array(counts)
    while left.sum() > 0:
        size = int(min(CHUNK_EVENTS, left.sum()))
        take = rng.multivariate_hypergeometric(left, size)
        left -= take
        samples = [_finish(p, takers[k].take(int(c)), stats, info, dark, decay, rng)
                   for k, ((p, _), c) in enumerate(zip(parts, take, strict=True)) if c > 0]
        yield reorder(concatenate(samples), rng.permutation(size))


def _finish(proc: Process, block: dict[str, Any], stats: dict[str, Any], info: dict[str, Any],
            dark: DarkSector | None, decay: str,
            rng: np.random.Generator) -> EventSample:
    """Accepted proposals -> events: a random recoil azimuth, the recoil four-momentum and
    the scalar's decay."""
    m = len(block["w"])
    pts = map_sx(proc, block["x"], block["energy"])
    phi_az = rng.uniform(0.0, 2.0 * math.pi, m)
    lep = _rotate_z(pts.pp, phi_az)
    phi = _rotate_z(pts.k, phi_az)
    q = _rotate_z(pts.q, phi_az)
    recoil = -q
    recoil[:, 0] += proc.nucleus_mass
    scalar_pdg = np.full(m, scalar_code(proc))
    pdg, p4, decay_vertex, proper = _decays(proc, phi, dark, decay, rng, block["depth"],
                                            scalar_pdg)
    return EventSample(
        beam=pts.p, lepton_out=lep, phi=phi, recoil=recoil, depth_cm=block["depth"],
        decay_pdg=pdg, decay_p4=p4, sigma_pb=stats["sigma_pb"],
        sigma_err_pb=stats["sigma_err_pb"],
        efficiency=stats["efficiency"],
        info={**info, "converting_energy": block["energy"]},
        scalar_pdg=scalar_pdg, decay_vertex_cm=decay_vertex,
        target_pdg=np.full(m, proc.target.nucleus_pdg, dtype=np.int64),
        target_mass=np.full(m, proc.nucleus_mass), proper_length_mm=proper)


def generate(proc: Process, n: int, seed: int = 1, thick_cfg: ExperimentConfig | None = None,
             dark: DarkSector | None = None, decay: str = "auto", progress: ProgressFn | None = None
             ) -> EventSample:
    """``n`` unweighted events in memory (at most MAX_MEMORY_EVENTS; write larger samples
    with `leptoportal.generate.write_stream()`); arguments as `generated_events()`.
    """
    n = int(require_range("n", n, 1, MAX_MEMORY_EVENTS))
    with generated_events(proc, n, seed, thick_cfg, dark, decay, progress) as stream:
        parts = list(stream.chunks())
    return concatenate(parts)


def concatenate(parts: list[EventSample]) -> EventSample:
    """One sample from consecutive chunks of a run."""
    first = parts[0]
    if len(parts) == 1:
        return first

    def cat(name: str) -> AnyArray:
        return np.concatenate([getattr(p, name) for p in parts])

    vertices = (None if first.decay_vertex_cm is None else cat("decay_vertex_cm"))
    return EventSample(
        beam=cat("beam"), lepton_out=cat("lepton_out"), phi=cat("phi"), recoil=cat("recoil"),
        depth_cm=cat("depth_cm"), decay_pdg=cat("decay_pdg"), decay_p4=cat("decay_p4"),
        sigma_pb=first.sigma_pb, sigma_err_pb=first.sigma_err_pb, efficiency=first.efficiency,
        info={**first.info, "converting_energy": np.concatenate(
            [p.info["converting_energy"] for p in parts])},
        scalar_pdg=cat("scalar_pdg"), decay_vertex_cm=vertices,
        target_pdg=cat("target_pdg"), target_mass=cat("target_mass"),
        proper_length_mm=cat("proper_length_mm"))


#: the per-event arrays of an EventSample
_EVENT_ARRAYS = ("beam", "lepton_out", "phi", "recoil", "depth_cm", "decay_pdg", "decay_p4",
                 "scalar_pdg", "decay_vertex_cm", "target_pdg", "target_mass",
                 "proper_length_mm")


def reorder(sample: EventSample, order: np.ndarray) -> EventSample:
    """The events of ``sample`` in the order ``order`` (a permutation of its indices)."""
    arrays = {name: (None if getattr(sample, name) is None else getattr(sample, name)[order])
              for name in _EVENT_ARRAYS}
    info = {**sample.info, "converting_energy": sample.info["converting_energy"][order]}
    return EventSample(**arrays, sigma_pb=sample.sigma_pb,  # type: ignore[arg-type]
                       sigma_err_pb=sample.sigma_err_pb, efficiency=sample.efficiency,
                       info=info)


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


def decay_channels(proc: Process, dark: DarkSector | None
                   ) -> list[tuple[float, tuple[Any, ...], tuple[Any, ...]]]:
    """[(branching fraction, (pdg1, pdg2), (m1, m2))] of the scalar of ``proc``.

    phi -> l_j^- l_i^+ for each operator (i, j) (phibar: the charge conjugate) and
    phi -> chi2 chi1bar (phibar -> chi2bar chi1). The real scalar's invisible decay is listed
    as chi2 chi1bar; its conjugate is chosen with probability 1/2 event by event.
    """
    w = dec.widths(Portal(proc.m_phi, proc.couplings), dark)
    conj = -1 if proc.scalar == "phibar" else 1
    out: list[tuple[float, tuple[Any, ...], tuple[Any, ...]]] = []
    if w.gamma_total <= 0:
        return out
    if w.gamma_dark > 0 and dark is not None:
        out.append((w.br_invisible, (conj * PDG_CHI2, -conj * PDG_CHI1),
                    (dark.m_chi, dark.m_chi)))
    for (i, j), c in proc.matrix.nonzero():
        g = float(dec.two_body_width(proc.m_phi, LEPTON_MASS[i], LEPTON_MASS[j], c))
        if g > 0:
            out.append((g / w.gamma_total, (conj * LEPTON_PDG[j], -conj * LEPTON_PDG[i]),
                        (LEPTON_MASS[j], LEPTON_MASS[i])))
    return out


def _decays(proc: Process, phi: np.ndarray, dark: DarkSector | None, decay: str,
            rng: np.random.Generator, depth_cm: np.ndarray,
            scalar_pdg: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """PDG codes (N, 2) and four-momenta (N, 2, 4) of the decay products of each event, the
    decay vertices, displaced along the scalar's direction by beta gamma times a proper
    decay length drawn from the exponential of mean c tau, and those proper lengths (mm; also
    for an undecayed scalar, ``decay="none"``, so that a shower program decaying it places
    the vertex; 0 for a scalar that cannot decay)."""
    n = len(phi)
    pdg = np.zeros((n, 2), dtype=np.int64)
    p4 = np.zeros((n, 2, 4))
    channels = decay_channels(proc, dark)
    if not channels:
        return pdg, p4, None, np.zeros(n)
    ctau_cm = dec.widths(Portal(proc.m_phi, proc.couplings), dark).ctau_m * 100.0
    if decay == "none":
        return pdg, p4, None, 10.0 * ctau_cm * rng.exponential(size=n)
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
        pdg[idx, 0] = signs * id1
        pdg[idx, 1] = signs * id2
        p4[idx, 0] = a
        p4[idx, 1] = b
    mom = np.linalg.norm(phi[:, 1:], axis=1)
    proper_cm = ctau_cm * rng.exponential(size=n)
    length = proper_cm * mom / proc.m_phi
    vertex = np.zeros((n, 3))
    vertex[:, 2] = depth_cm
    vertex += length[:, None] * phi[:, 1:] / mom[:, None]
    return pdg, p4, vertex, 10.0 * proper_cm


__all__ = [
    "CHUNK_EVENTS", "DECAYS", "MAX_EVENTS", "MAX_MEMORY_EVENTS", "PDG_CHI1", "PDG_CHI2",
    "PDG_PHI", "concatenate", "decay_channels", "EventSample", "EventStream", "generate",
    "generated_events", "model_parameters", "scalar_code", "scalar_lepton_numbers",
]


def __dir__() -> list[str]:
    return __all__
