"""The package's cross-checks as a report anyone can rerun: each check compares a number of
the package with an independent route (a second method, a symmetry, an analytic limit, a
published value) within a stated tolerance.

Example:

    report = run_checks(fast=True)          # list of Check
    all(c.passed for c in report)
"""

from __future__ import annotations

import dataclasses
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from leptoportal._typing import FloatOrArray, ProgressFn
from leptoportal.config import data_table
from leptoportal.constants import GEV2_TO_PB, M_E, M_MU
from leptoportal.model import CouplingMatrix, Couplings, ModelPoint
from leptoportal.numerics import Numerics
from leptoportal.results import Result, quantity


@dataclass(frozen=True)
class Check(Result):
    """One cross-check: ``value`` against ``reference`` (the independent route), passed when
    the deviation measure ``deviation`` is within ``tolerance``."""

    name: str = quantity("", "the check")
    description: str = quantity("", "what is compared with what, and the source")
    value: float = quantity("", "the package's number")
    reference: float | str = quantity("", "the independent route's number (or its text)")
    deviation: float = quantity("", "the deviation measure (relative unless stated)")
    tolerance: float = quantity("", "the largest deviation that passes")
    passed: bool = quantity("", "deviation <= tolerance")
    time_s: float = quantity("s", "wall time of the check", 0.0)


@dataclass(frozen=True)
class ValidationReport(Result):
    """Every check of a run, as validation.json holds it."""

    title = "validation"

    fast: bool = quantity("", "fewer points and looser precision (--fast)")
    passed: int = quantity("", "checks passed")
    total: int = quantity("", "checks run")
    out: str = quantity("", "directory of the report")
    checks: list[Any] = quantity("", "every check: name, description, value, reference, "
                            "deviation, tolerance, passed, time_s")


def _rel(a: FloatOrArray, b: FloatOrArray) -> float:
    return float(abs(a / b - 1.0))


def _check(name: str, description: str, value: float, reference: Any, deviation: float,
           tolerance: float) -> Check:
    return Check(name, description, float(value), reference, float(deviation),
                 float(tolerance), bool(deviation <= tolerance))


# -- production ----------------------------------------------------------------------------


def etl_routes(fast: bool) -> Check:
    from leptoportal.production import Process, get_target, sigma_etl

    proc = Process("e-", 100.0, get_target("Pb"), 0.5)
    prec = 0.005 if fast else 0.002
    a = sigma_etl(proc, Numerics(precision=prec, seed=11, route="sx"))
    b = sigma_etl(proc, Numerics(precision=prec, seed=12, route="lab"))
    pull = abs(a.sigma_pb - b.sigma_pb) / math.hypot(a.sigma_err_pb, b.sigma_err_pb)
    return _check("etl_two_phase_space_maps", "ETL e- 100 GeV Pb m=0.5: sx map vs lab map "
                  "(pull)", a.sigma_pb, b.sigma_pb, pull, 3.0)


def gauge_invariance(fast: bool) -> Check:
    from leptoportal.production import Process, get_target
    from leptoportal.production.amplitude import spin_summed_current
    from leptoportal.production.phasespace import map_sx

    proc = Process("mu-", 160.0, get_target("Pb"), 0.5)
    pts = map_sx(proc, np.random.default_rng(3).random((2000, 4)))
    v = pts.valid
    p, pp, k, q = pts.p[v], pts.pp[v], pts.k[v], pts.q[v]
    big_q = -pts.q[v].copy()
    big_q[:, 0] += 2.0 * proc.nucleus_mass
    den_a, den_b = pts.den_a[v], pts.den_b[v]
    with_q = spin_summed_current(p, pp, k, q, pts.q[v], den_a, den_b, proc.m_in, proc.m_out,
                                 proc.vertex)
    with_big_q = spin_summed_current(p, pp, k, q, big_q, den_a, den_b, proc.m_in, proc.m_out,
                                     proc.vertex)
    q2 = np.abs(pts.t[v])
    big_q2 = 4.0 * proc.nucleus_mass ** 2
    ratio = float(np.max(np.sqrt(with_q / with_big_q * big_q2 / q2)))
    return _check("gauge_invariance", "q.J = 0: |J.q| / |J.Q| x |Q|/|q| on random points of mu- "
                  "160 GeV Pb (a scale-free measure; rounding gives ~1e-6)", ratio, 0.0, ratio,
                  1e-5)


def c_invariance(fast: bool) -> Check:
    from leptoportal.production import Process, get_target, sigma_etl

    a = sigma_etl(Process("mu-", 160.0, get_target("Pb"), 0.5), Numerics(precision=0.01, seed=5))
    b = sigma_etl(Process("mu+", 160.0, get_target("Pb"), 0.5), Numerics(precision=0.01, seed=5))
    return _check("charge_conjugation", "sigma(mu+ Pb -> e+ Pb phi) vs sigma(mu- Pb -> e- Pb "
                  "phibar), same points", b.sigma_pb, a.sigma_pb, _rel(b.sigma_pb,
                                                                        a.sigma_pb), 1e-8)


def compiled_kernel(fast: bool) -> Check:
    from leptoportal.production import Process, get_target
    from leptoportal.production.etl import mapped_weights, point_weights
    from leptoportal.production.phasespace import map_sx

    pairs = []  # (numpy |M|^2 at some points, compiled weights at the same points)
    for proc in (Process("e-", 100.0, get_target("Pb"), 0.2),
                 Process("mu+", 160.0, get_target("Pb"), 0.5, Couplings(0.3 + 0.2j, -0.7))):
        y = np.random.default_rng(4).random((4000, 4))
        for backend in ("numpy", "numba"):  # the numpy map; the compiled map
            pts = map_sx(proc, y, backend=backend)
            ref = point_weights(proc, pts, "numpy")
            pairs.append((ref, point_weights(proc, pts, "numba")))
        pairs.append((ref, mapped_weights(proc, y)))  # the one pass used by cross-sections
    worst = max(float(np.max(np.abs(b[a != 0] / a[a != 0] - 1))) for a, b in pairs)
    return _check("compiled_kernel", "numba |M|^2 x measure, separate and in one pass with "
                  "the map, vs the numpy reference (max rel.)", worst, 0.0, worst, 1e-12)


def _dmg4(flavour: str, beam: str, fast: bool) -> Check:
    from leptoportal.production import Process, get_target, sigma_etl, sigma_iww

    rows = data_table(f"dmg4_kfactors_lfc_{flavour}.csv")
    table = {(float(r["E0_GeV"]), float(r["m_phi_GeV"])): float(r["K"]) for r in rows}
    points = ([(100.0, 0.11), (100.0, 1.0), (160.0, 0.5)] if fast else
              [(e, m) for e in (40.0, 100.0, 160.0) for m in (0.11, 0.5, 1.0, 2.0)])
    devs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WW/IWW validity notice for mu- beams
        for e0, m in points:
            proc = Process(beam, e0, get_target("Pb"), m)
            etl = sigma_etl(proc, Numerics(precision=0.003, seed=1))
            k = sigma_iww(proc).sigma_pb / etl.sigma_pb
            devs.append(k / table[(e0, m)] - 1.0)
    worst = float(np.max(np.abs(devs)))
    return _check(f"dmg4_kfactor_{flavour}", f"K = IWW/ETL for {beam} Pb vs DMG4's table "
                  f"(max rel. deviation over {len(points)} points; DMG4's own numerics "
                  "carry 1-4%)", worst, "DMG4 KFactorsLFC tables", worst, 0.05)


def dmg4_electron(fast: bool) -> Check:
    return _dmg4("electron", "e-", fast)


def dmg4_muon(fast: bool) -> Check:
    return _dmg4("muon", "mu-", fast)


def ww_heavy_beam(fast: bool) -> Check:
    from leptoportal.production import Process, get_target, sigma_etl, sigma_ww

    proc = Process("mu-", 160.0, get_target("Pb"), 0.5, CouplingMatrix.model("mumu-scalar", 1.0),
                   final_lepton="mu")
    ww, etl = sigma_ww(proc).sigma_pb, sigma_etl(proc, Numerics(precision=0.003, seed=2)).sigma_pb
    return _check("ww_limit_muon_beam", "WW vs ETL for mu- Pb -> mu- Pb phi (mumu scalar, "
                  "160 GeV, m = 0.5 GeV), where the WW approximation holds (ratio - 1)",
                  ww / etl, 1.0, _rel(ww, etl), 0.02)


def generator(fast: bool) -> Check:
    from leptoportal import generate as gen
    from leptoportal.production import Process, get_target, sigma_etl

    proc = Process("e-", 100.0, get_target("Pb"), 0.2)
    s = gen.generate(proc, 20_000 if fast else 100_000, seed=3)
    ref = sigma_etl(proc, Numerics(precision=0.002, seed=4))
    pull = abs(s.sigma_pb - ref.sigma_pb) / math.hypot(s.sigma_err_pb, ref.sigma_err_pb)
    return _check("generator_vs_xsec", "cross-section of the event sample vs ETL (pull)",
                  s.sigma_pb, ref.sigma_pb, pull, 3.0)


def track_length(fast: bool) -> Check:
    from leptoportal.experiments import track_length_weights

    energies = np.geomspace(100.0, 1e-9, 400)
    total = float(np.sum(track_length_weights(100.0, energies, 5.0)))
    return _check("track_length_normalisation", "Tsai's track length summed over all "
                  "energies = target thickness (5 X0)", total, 5.0, _rel(total, 5.0), 1e-3)


# -- g-2, decays, statistics, relic ----------------------------------------------------------


def g2_routes(fast: bool) -> Check:
    from leptoportal import g2

    c = Couplings.chiral(0.3)
    a, b = g2.delta_a(M_MU, M_E, 0.3, c), g2.delta_a_numeric(M_MU, M_E, 0.3, c)
    return _check("g2_closed_form_vs_quadrature", "Delta a_mu at m_phi = 0.3 GeV: closed form "
                  "vs quadrature", a, b, _rel(a, b), 1e-8)


def g2_heavy_limit(fast: bool) -> Check:
    from leptoportal import g2

    h, m = 0.3, 100.0
    limit = h ** 2 * M_MU ** 2 / (48 * math.pi ** 2 * m ** 2)
    a = g2.delta_a_mu(m, Couplings.chiral(h))
    return _check("g2_heavy_limit", "Delta a_mu -> h^2 m_mu^2 / (48 pi^2 M^2) at M = 100 GeV",
                  a, limit, _rel(a, limit), 2e-6)


def scalar_width(fast: bool) -> Check:
    from leptoportal import decays

    m, y = 0.5, 1e-3
    got = decays.two_body_width(m, M_MU, M_MU, Couplings(y, 0.0))
    beta = math.sqrt(1 - 4 * M_MU ** 2 / m ** 2)
    ref = y ** 2 * m * beta ** 3 / (8 * math.pi)
    return _check("scalar_width", "Gamma(phi -> mu mu) vs y^2 M beta^3 / (8 pi)", got, ref,
                  _rel(got, ref), 1e-12)


def feldman_cousins(fast: bool) -> Check:
    from leptoportal import stats

    published = {0.0: 2.44, 0.5: 1.94, 1.0: 1.61, 1.5: 1.33, 2.5: 1.18}
    dev = max(abs(stats.feldman_cousins_interval(0, b)[1] - v) for b, v in published.items())
    return _check("feldman_cousins_table", "upper limits for n = 0, b = 0...2.5 vs Feldman & "
                  "Cousins, PRD 57 (1998) 3873, Table IV (max abs. difference)", dev,
                  "Table IV", dev, 0.006)


def cls_analytic(fast: bool) -> Check:
    from leptoportal import stats

    v = stats.cls_upper_limit(0, 0.0)
    return _check("cls_n0", "CLs 90% upper limit for n = 0, b = 0 vs ln 10", v, math.log(10),
                  _rel(v, math.log(10)), 1e-6)


def relic_benchmark(fast: bool) -> Check:
    from leptoportal import relic

    om = relic.solve_boltzmann(relic.generic_model(100.0, 2.0e-26, "majorana")).omega_h2
    return _check("relic_benchmark", "Omega h^2 of a 100 GeV Majorana WIMP at 2e-26 cm^3/s vs "
                  "Steigman, Dasgupta, Beacom, PRD 86 (2012) 023506 (0.121)", om, 0.121,
                  _rel(om, 0.121), 0.10)


# -- resonance and stopping power ------------------------------------------------------------


def resonance_narrow_width(fast: bool) -> Check:
    from scipy import integrate

    from leptoportal.production.resonance import Resonance

    res = Resonance("mu+", 0.418, Couplings.chiral(1e-3))
    e_r, g = res.resonance_energy, res.width_in_beam_energy()
    edges = e_r + g * np.array([-1e5, -1e3, -30, -3, 0, 3, 30, 1e3, 1e5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        num = sum(integrate.quad(res.sigma_pb, a, b, limit=400, epsrel=1e-10, epsabs=0)[0]
                  for a, b in zip(edges[:-1], edges[1:], strict=True))
    nw = res.integrated_sigma_pb_gev()
    return _check("resonance_narrow_width", "Int sigma dE of mu+ e- -> phibar: narrow-width "
                  "formula vs quadrature of the Breit-Wigner", nw, num, _rel(nw, num), 1e-4)


def resonance_ee_peak(fast: bool) -> Check:
    from leptoportal.numerics import two_body_momentum
    from leptoportal.production.resonance import Resonance

    res = Resonance("e+", 0.017, CouplingMatrix.model("ee-scalar", 1e-4))
    k = float(two_body_momentum(0.017, M_E, M_E))
    ref = math.pi / k ** 2 * GEV2_TO_PB
    return _check("resonance_ee_peak", "e+ e- -> phi peak vs the standard scalar resonance "
                  "pi/k^2", res.peak_sigma_pb(), ref, _rel(res.peak_sigma_pb(), ref), 1e-9)


def stopping_power(fast: bool) -> Check:
    from leptoportal.experiments import stopping

    worst = 0.0
    for el, tab in stopping.stopping_tables().items():
        for t_gev in (10.0, 100.0, 170.0):
            i = int(np.argmin(np.abs(tab.t_gev - t_gev)))
            a = stopping.ionisation_loss(el, tab.t_gev[i] + M_MU)
            worst = max(worst, _rel(a, tab.ionisation_ref[i]))
    return _check("muon_ionisation", "Bethe ionisation of muons vs the tabulated column "
                  "(Pb W Fe Cu C, 10-170 GeV, max rel.)", worst, "PDG-format table", worst, 0.02)


def resonant_thick_target(fast: bool) -> Check:
    from leptoportal.constants import PB_TO_CM2
    from leptoportal.experiments.resonant import electron_density, resonant_yield
    from leptoportal.experiments.stopping import stopping_power_per_cm
    from leptoportal.production.resonance import Resonance

    res = Resonance("mu+", 0.4175, Couplings.chiral(1e-3))
    got = resonant_yield(res, "Pb", 160.0, 40.0, electron_motion="rest")
    ref = (electron_density("Pb") * res.integrated_sigma_pb_gev() * PB_TO_CM2
           / stopping_power_per_cm("Pb", res.resonance_energy))
    return _check("resonant_thick_target", "resonant yield on 40 X0 Pb vs n_e Int sigma dE / "
                  "(dE/dx)", got, ref, _rel(got, ref), 1e-4)


# -- charged lepton flavour violation ----------------------------------------------------------


def lfv_dipole_g2(fast: bool) -> Check:
    from leptoportal import g2, lfv

    matrix = CouplingMatrix.model("mumu-emu", 1e-3)
    d = lfv.dipole("mu", "mu", 0.5, matrix)
    got = float((M_MU * (d.a_l + d.a_r)).real)
    ref = g2.delta_a_mu(0.5, matrix)
    return _check("lfv_dipole_vs_g2", "mu -> e gamma dipole at i = j (mu -> mu) vs Delta a_mu "
                  "of g2 (mumu-emu, m_phi = 0.5 GeV)", got, ref, _rel(got, ref), 1e-9)


def lfv_three_body(fast: bool) -> Check:
    from scipy import integrate

    from leptoportal import lfv
    from leptoportal.constants import LEPTON_MASS
    from leptoportal.decays import two_body_width

    m_phi, gamma_phi = 1.9, 1e-3
    matrix = CouplingMatrix.from_mapping({"e-tau": {"cs": 1e-2}, "mu-mu": {"cp": 1e-2}})
    (term,) = lfv.tree_terms(matrix, "tau", "e", "mu", "mu")
    m_tau, m_e, m_mu = (LEPTON_MASS[x] for x in ("tau", "e", "mu"))
    lo, hi = 4 * m_mu**2, (m_tau - m_e) ** 2

    def factorised(v: float) -> float:  # s = lo + v^2: Gamma(tau -> e phi*) Gamma(phi* -> mu mu)
        s = lo + v * v
        return (2 * v * lfv.lepton_to_phi_width(m_tau, m_e, math.sqrt(s), term.first)
                * math.sqrt(s) * float(two_body_width(math.sqrt(s), m_mu, m_mu, term.second))
                / (math.pi * abs(s - m_phi**2 + 1j * m_phi * gamma_phi) ** 2))

    ref = integrate.quad(factorised, 0.0, math.sqrt(hi - lo), epsabs=0.0, epsrel=1e-11,
                         limit=200)[0]
    got = lfv.tree_rate("tau -> e mu mu", m_phi, matrix, gamma_phi).off_shell
    return _check("lfv_three_body", "tau -> e mu mu: Dalitz plot of the traces vs the "
                  "factorised integral over m(mu mu)", got, ref, _rel(got, ref), 1e-8)


# -- every bound on the coupling matrix (leptoportal.constraints) ------------------------------


def edm_from_g2_dipole(fast: bool) -> Check:
    """d_e of the dipole's imaginary part vs the chirally enhanced part of Delta a_e."""
    from leptoportal import g2
    from leptoportal.constraints import dipoles

    matrix = CouplingMatrix.from_mapping({"e-mu": {"cs": "0.3+0.2j", "cp": "0.1-0.4j"}})
    got = dipoles.electric_dipole("e", 0.5, matrix)
    assert isinstance(got, float)
    c = matrix.vertex("e", "mu")
    k = (g2.delta_a(M_E, M_MU, 0.5, Couplings(1.0, 0.0))
         - g2.delta_a(M_E, M_MU, 0.5, Couplings(0.0, 1.0))) / 2
    ref = k * (c.c_s.conjugate() * c.c_p).imag / M_E * dipoles.GEV_INV_CM
    return _check("edm_vs_g2_dipole", "|d_e| (e cm) from the loop's imaginary part vs the "
                  "g-2 module's chirally enhanced part with |C_S|^2 - |C_P|^2 -> "
                  "2 Im(C_S* C_P) (e-mu, m_phi = 0.5 GeV)", abs(got), abs(ref),
                  _rel(abs(got), abs(ref)), 1e-6)


def mu_e_phi_width(fast: bool) -> Check:
    """Gamma(mu -> e phi) vs the spin sum of ubar_e (a + b gamma5) u_mu with explicit spinors
    (`leptoportal.dirac`) over the two-body phase space."""
    import numpy as np

    from leptoportal import dirac, lfv

    a, b, m = 0.2 + 0.1j, -0.4j, 0.05
    p = math.sqrt((M_MU**2 - (M_E + m) ** 2) * (M_MU**2 - (M_E - m) ** 2)) / (2 * M_MU)
    p_mu = np.array([[M_MU, 0.0, 0.0, 0.0]])
    p_e = np.array([[math.hypot(p, M_E), 0.6 * p, 0.0, 0.8 * p]])
    amp = np.einsum("nsi,ij,njt->nst", dirac.bar(dirac.u_spinors(p_e, M_E)),
                    dirac.coupling_matrix(a, b), dirac.u_spinors(p_mu, M_MU))
    ref = p * float(np.sum(np.abs(amp) ** 2)) / 2 / (8 * math.pi * M_MU**2)
    got = lfv.lepton_to_phi_width(M_MU, M_E, m, Couplings(a, b))
    return _check("mu_e_phi_width", "Gamma(mu -> e phi) = lambda^(1/2) / (16 pi m_mu^3) "
                  "[|a|^2 ((m_mu + m_e)^2 - m^2) + |b|^2 ((m_mu - m_e)^2 - m^2)] vs the "
                  "spin-averaged |ubar_e (a + b gamma5) u_mu|^2 with explicit spinors, "
                  "m_phi = 50 MeV", got, ref, _rel(got, ref), 1e-10)


def bound_scaling(fast: bool) -> Check:
    """Each bound's prediction at 2h against 2^n times that at h (n = 2: g-2, EDM; 4: the
    loop decays)."""
    from leptoportal.constraints import CONSTRAINTS

    matrix = CouplingMatrix.from_mapping({"e-mu": {"cs": 0.5, "cp": "0.5j"},
                                          "mu-mu": {"cs": 0.3}})
    worst = 0.0
    for name, power in (("g-2 mu (fnal2025)", 2), ("d_e", 2), ("d_mu", 2),
                        ("mu -> e gamma", 4)):
        one, two = (CONSTRAINTS[name].predict(ModelPoint(0.4, matrix, h,
                                                         open_lepton_decays=True))
                    for h in (1e-4, 2e-4))
        assert one is not None and two is not None
        worst = max(worst, _rel(two, 2**power * one))
    return _check("bound_h_scaling", "g-2 and EDMs ~ h^2, mu -> e gamma ~ h^4: the largest "
                  "deviation of the prediction at 2h from 2^n times that at h", worst, 0.0,
                  worst, 1e-10)


#: every check, in the order of the report
CHECKS: tuple[Callable[[bool], Check], ...] = (
    etl_routes, gauge_invariance, c_invariance, compiled_kernel, dmg4_electron, dmg4_muon,
    ww_heavy_beam, generator, track_length, g2_routes, g2_heavy_limit, scalar_width,
    feldman_cousins, cls_analytic, relic_benchmark, resonance_narrow_width,
    resonance_ee_peak, stopping_power, resonant_thick_target, lfv_dipole_g2, lfv_three_body,
    edm_from_g2_dipole, mu_e_phi_width, bound_scaling,
)


def run_checks(fast: bool = False, progress: ProgressFn | None = None) -> list[Check]:
    """Run every check (``fast``: fewer points and looser Monte-Carlo precision)."""
    out = []
    for i, fn in enumerate(CHECKS):
        t0 = time.perf_counter()
        c = fn(fast)
        out.append(dataclasses.replace(c, time_s=time.perf_counter() - t0))
        if progress is not None:
            progress(i + 1, len(CHECKS))
    return out


def report_blocks(checks: list[Check], fast: bool) -> list[tuple[str, object]]:
    """The report as blocks for the markdown / HTML renderers of the reproduce report."""
    n_ok = sum(c.passed for c in checks)
    rows = [["check", "value", "reference", "deviation", "tolerance", "passed", "s"]]
    for c in checks:
        ref = c.reference if isinstance(c.reference, str) else f"{c.reference:.8g}"
        rows.append([c.name, f"{c.value:.8g}", ref, f"{c.deviation:.3g}", f"{c.tolerance:g}",
                     "yes" if c.passed else "NO", f"{c.time_s:.2f}"])
    return [("h1", "leptoportal validation report"),
            ("p", f"{n_ok} of {len(checks)} checks passed ({'--fast' if fast else 'full'} "
                  "run)."),
            ("table", rows),
            ("ul", [f"{c.name}: {c.description}" for c in checks])]


#: the files of a report, in the output directory
REPORT_FILES = ("validation.md", "validation.html", "validation.json")


def check_report_file(path: str | Path) -> None:
    """Check before running that a report file can be written (not a directory, ...)."""
    from leptoportal.outputs import check_output_file

    check_output_file(path)


def write_report(checks: list[Check], fast: bool, out: str | Path) -> ValidationReport:
    """Write validation.md, .html and .json into ``out``; returns what the JSON holds."""
    from pathlib import Path

    from leptoportal.outputs import atomic_write_text, render_html, render_markdown, write_json

    out = Path(out)
    n_ok = sum(c.passed for c in checks)
    obj = ValidationReport(fast, n_ok, len(checks), str(out), [c.to_dict() for c in checks])
    blocks = report_blocks(checks, fast)
    write_json(out / "validation.json", obj)
    atomic_write_text(out / "validation.md", render_markdown(blocks))
    atomic_write_text(out / "validation.html", render_html(blocks, out))
    return obj


__all__ = [
    "CHECKS", "REPORT_FILES", "Check", "ValidationReport", "c_invariance", "check_report_file",
    "cls_analytic",
    "compiled_kernel", "dmg4_electron", "dmg4_muon", "etl_routes", "feldman_cousins",
    "g2_heavy_limit", "g2_routes", "gauge_invariance", "generator", "relic_benchmark",
    "report_blocks", "resonance_ee_peak", "resonance_narrow_width", "resonant_thick_target",
    "run_checks", "scalar_width", "stopping_power", "track_length", "write_report",
    "ww_heavy_beam",
]


def __dir__() -> list[str]:
    return __all__
