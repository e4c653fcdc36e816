"""Reproduce the paper's results: figures, tables (CSV + HEPData-style YAML) and a report.

``reproduce(out, fast=False, scheduler=None)`` computes every curve through the scan engine
(:mod:`leptoportal.scan`, Dask by default, resumable), draws four figures in mplhep style and
writes report.md / report.html. See SPEC section 8.
"""

from __future__ import annotations

import base64
import html
import json
import math
import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from leptoportal import __version__, g2
from leptoportal.cache import atomic_write_text
from leptoportal.constants import M_E, M_MU

FIG1_EXPERIMENTS = ("na64e-2016-2018", "na64e-2016-2022", "na64e-upgrade", "na64e-ponten2024",
                    "na64mu", "ldmx")
BENCHMARK_ALPHA_DARK = 0.1
BENCHMARK_RATIO = 3.0


@dataclass
class Grids:
    """Grids of one run (the embedded defaults; ``fast`` is a small smoke-test version)."""

    fig1_masses: list[float]
    band_masses: list[float]
    relic_masses: list[float]
    fig2_masses: list[float]
    fig3_masses: list[float] = field(default_factory=lambda: [0.2, 0.5, 1.0])
    fig4_h: list[float] = field(default_factory=list)
    spectrum_events: int = 200_000
    limit_precision: float = 0.01
    xsec_precision: float = 0.005

    @classmethod
    def make(cls, fast: bool) -> Grids:
        lo = M_MU + M_E + 1e-3
        if fast:
            return cls(list(np.geomspace(lo, 3.0, 5)), list(np.geomspace(lo, 3.0, 60)),
                       list(np.geomspace(0.15, 3.0, 3)), list(np.geomspace(lo, 3.0, 5)),
                       [0.2, 0.5, 1.0], list(np.geomspace(1e-4, 1e-2, 12)), 40_000, 0.03,
                       0.02)
        return cls(list(np.geomspace(lo, 3.0, 16)), list(np.geomspace(lo, 3.0, 200)),
                   list(np.geomspace(0.12, 3.0, 10)), list(np.geomspace(lo, 3.0, 14)),
                   [0.2, 0.5, 1.0], list(np.geomspace(1e-4, 1e-2, 40)), 200_000, 0.01, 0.005)


class Recorder:
    """Collects tables (CSV + HEPData YAML), figures and timings of a run."""

    def __init__(self, out: Path):
        self.out = out
        self.tables: list[dict] = []
        self.figures: list[dict] = []
        self.timings: dict[str, float] = {}
        (out / "tables").mkdir(parents=True, exist_ok=True)
        (out / "figures").mkdir(parents=True, exist_ok=True)

    def table(self, name: str, title: str, columns: list[tuple[str, str]], rows: list[list],
              inputs: dict) -> None:
        """Write tables/<name>.csv and tables/<name>.yaml (HEPData style)."""
        header = [f"# {title}"] + [f"# {k}: {v}" for k, v in inputs.items()]
        lines = header + [",".join(f"{c} [{u}]" if u else c for c, u in columns)]
        for r in rows:
            lines.append(",".join(_num(v) for v in r))
        atomic_write_text(self.out / "tables" / f"{name}.csv", "\n".join(lines) + "\n")
        indep = {"header": {"name": columns[0][0], "units": columns[0][1]},
                 "values": [{"value": _f(r[0])} for r in rows]}
        deps = []
        for j, (c, u) in enumerate(columns[1:], start=1):
            deps.append({
                "header": {"name": c, "units": u},
                "qualifiers": [{"name": k, "value": str(v)} for k, v in inputs.items()],
                "values": [{"value": _f(r[j])} for r in rows],
            })
        doc = {"name": title, "independent_variables": [indep], "dependent_variables": deps}
        import yaml

        atomic_write_text(self.out / "tables" / f"{name}.yaml",
                          yaml.safe_dump(doc, sort_keys=False))
        self.tables.append({"name": name, "title": title, "rows": len(rows)})

    def figure(self, fig, name: str, caption: str) -> None:
        from leptoportal.plots import save_figure

        save_figure(fig, self.out / "figures" / name)
        self.figures.append({"name": name, "caption": caption})


def _f(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else str(v)


def _num(v) -> str:
    if v is None:
        return ""
    return f"{float(v):.8g}"


# ------------------------------------------------------------------------------------------
# computations
# ------------------------------------------------------------------------------------------


def _limit_tasks(grids: Grids) -> list[dict]:
    from leptoportal import experiments as ex

    tasks = []
    for name in FIG1_EXPERIMENTS:
        cfg = ex.get_preset(name)
        for m in grids.fig1_masses:
            t = {"kind": "limit", "experiment": name, "m_phi": float(m),
                 "precision": grids.limit_precision, "alpha_dark": BENCHMARK_ALPHA_DARK}
            if cfg.projection:
                t["sensitivity"] = True
            tasks.append(t)
    return tasks


def _relic_tasks(grids: Grids) -> list[dict]:
    return [{"kind": "relic-target", "m_phi": float(m), "alpha_dark": BENCHMARK_ALPHA_DARK,
             "ratio": BENCHMARK_RATIO} for m in grids.relic_masses]


def figure1(rec: Recorder, grids: Grids, rows: list[dict]) -> dict:
    """The (m_phi, h_emu) plane."""
    from leptoportal.plots import label, mass_axis, new_figure

    masses = np.asarray(grids.band_masses)
    bands = {ds: [g2.coupling_band(m, ds) for m in masses] for ds in g2.MUON_DATASETS}
    b21 = bands["fnal2021"]
    rec.table("fig1_g2_band_fnal2021", "g-2 band, fnal2021 (chiral)",
              [("m_phi", "GeV"), ("h_central", ""), ("h_1sigma_lo", ""), ("h_1sigma_hi", ""),
               ("h_2sigma_lo", ""), ("h_2sigma_hi", "")],
              [[m, b["h_central"], *b["h_1sigma"], *b["h_2sigma"]] for m, b in
               zip(masses, b21, strict=True)],
              {"dataset": "fnal2021", "delta_a_mu": "251(59)e-11", "coupling": "chiral"})
    b23 = bands["fnal2023"]
    rec.table("fig1_g2_band_fnal2023", "g-2 band, fnal2023 (chiral)",
              [("m_phi", "GeV"), ("h_central", ""), ("h_1sigma_lo", ""), ("h_1sigma_hi", "")],
              [[m, b["h_central"], *b["h_1sigma"]] for m, b in zip(masses, b23, strict=True)],
              {"dataset": "fnal2023", "delta_a_mu": "249(48)e-11", "coupling": "chiral"})
    b25 = bands["fnal2025"]
    rec.table("fig1_g2_limit_fnal2025", "g-2 90% CL upper limit, fnal2025 (chiral)",
              [("m_phi", "GeV"), ("h_upper_90", "")],
              [[m, b["h_upper_90"]] for m, b in zip(masses, b25, strict=True)],
              {"dataset": "fnal2025", "delta_a_mu": "38.5(63.7)e-11", "coupling": "chiral"})
    ae = {ds: [g2.electron_g2_upper_coupling(m, ds) for m in masses]
          for ds in g2.ELECTRON_DATASETS}
    rec.table("fig1_electron_g2", "electron g-2: 90% CL upper limit on h (chiral)",
              [("m_phi", "GeV"), ("h_max_cs2018", ""), ("h_max_rb2020", "")],
              [[m, a, b] for m, a, b in zip(masses, ae["cs2018"], ae["rb2020"], strict=True)],
              {"rule": "conservative one-sided, see leptoportal.g2", "cl": 0.9})
    limits: dict[str, list] = {}
    for r in rows:
        if r["kind"] == "limit":
            limits.setdefault(r["experiment"], []).append((r["m_phi"], r["h_limit"]))
    for name, pts in limits.items():
        pts.sort()
        what = "exclusion" if name == "na64e-2016-2018" else "limit or sensitivity"
        rec.table(f"fig1_limit_{name}", f"{name}: 90% CL {what} on h",
                  [("m_phi", "GeV"), ("h_limit", "")], [list(p) for p in pts],
                  {"experiment": name, "method": "cls", "cl": 0.9,
                   "alpha_dark": BENCHMARK_ALPHA_DARK, "ratio": BENCHMARK_RATIO})
    relic_pts = sorted((r["m_phi"], r["h_relic"]) for r in rows if r["kind"] == "relic-target")
    rec.table("fig1_thermal_target", "thermal target: h giving Omega h^2 = 0.120",
              [("m_phi", "GeV"), ("h_relic", "")], [list(p) for p in relic_pts],
              {"alpha_dark": BENCHMARK_ALPHA_DARK, "m_phi/m_chi": BENCHMARK_RATIO,
               "g_star_table": "borsanyi2016"})

    fig, ax = new_figure(figsize=(10, 8))
    c = np.array([b["h_central"] for b in b21])
    s1 = np.array([b["h_1sigma"] for b in b21])
    s2 = np.array([b["h_2sigma"] for b in b21])
    ax.fill_between(masses, s2[:, 0], s2[:, 1], color="#fde68a",
                    label=r"$(g-2)_\mu$ 2$\sigma$ (FNAL 2021)")
    ax.fill_between(masses, s1[:, 0], s1[:, 1], color="#f59e0b",
                    label=r"$(g-2)_\mu$ 1$\sigma$ (FNAL 2021)")
    ax.plot(masses, c, color="#b45309", lw=1)
    s1_23 = np.array([b["h_1sigma"] for b in b23])
    ax.plot(masses, s1_23[:, 0], "--", color="#92400e", lw=1.2,
            label=r"$(g-2)_\mu$ 1$\sigma$ (2023)")
    ax.plot(masses, s1_23[:, 1], "--", color="#92400e", lw=1.2)
    ax.plot(masses, [b["h_upper_90"] for b in b25], "--", color="#6b7280", lw=1.5,
            label=r"$(g-2)_\mu$ 90% UL (2025 WA vs WP25)")
    ax.plot(masses, ae["rb2020"], ":", color="#7c3aed", lw=1.8, label=r"$(g-2)_e$ (Rb) 90% UL")
    ax.plot(masses, ae["cs2018"], "-.", color="#7c3aed", lw=1.2, label=r"$(g-2)_e$ (Cs) 90% UL")
    styles = {"na64e-2016-2022": ("#2563eb", "-"), "na64e-upgrade": ("#1d4ed8", "--"),
              "na64e-ponten2024": ("#0891b2", "-."), "na64mu": ("#16a34a", "--"),
              "ldmx": ("#dc2626", ":")}
    if "na64e-2016-2018" in limits:
        m_l, h_l = np.array(limits["na64e-2016-2018"]).T
        ax.fill_between(m_l, h_l, 1.0, color="#9ca3af", alpha=0.45,
                        label="NA64 2016-2018 excl. (90% CL)")
        ax.plot(m_l, h_l, color="#374151", lw=1.5)
    for name, (col, ls) in styles.items():
        if name in limits:
            m_l, h_l = np.array(limits[name]).T
            ax.plot(m_l, h_l, ls, color=col, lw=1.8, label=name)
    if relic_pts:
        m_r, h_r = np.array(relic_pts).T
        ax.plot(m_r, h_r, color="black", lw=2.2,
                label=rf"thermal target ($\alpha_D$={BENCHMARK_ALPHA_DARK}, $m_\phi=3m_\chi$)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(masses[0], 3.0)
    ax.set_ylim(1e-5, 1.0)
    mass_axis(ax, masses[0], 3.0)
    ax.set_xlabel(r"$m_\phi$ [GeV]")
    ax.set_ylabel(r"$h_{e\mu}$ (chiral)")
    ax.legend(fontsize=10, loc="lower right", ncol=2, frameon=False)
    label(ax, r"leptoportal   $e/\mu\,N \to \mu/e\,N\,\phi$, $\phi\to$ invisible")
    rec.figure(fig, "fig1_mphi_h_plane",
               "The (m_phi, h_emu) plane: muon g-2 bands, NA64 2016-2018 exclusion, projected "
               "sensitivities, thermal target and electron g-2 limits.")
    return {"band": b21, "masses": masses, "limits": limits}


def excluded_ranges(masses, band, limit_pts) -> dict:
    """m_phi ranges where the NA64 2016-2018 limit lies below the band's central value
    ("central"), below the lower 2 sigma edge (the whole band is excluded, "whole_2sigma")
    and below the upper 2 sigma edge (part of the band is excluded, "part_2sigma");
    log interpolation of the limit onto the band grid."""
    if not limit_pts:
        return {"central": [], "whole_2sigma": [], "part_2sigma": []}
    m_l, h_l = np.array(sorted(limit_pts)).T
    inside = (masses >= m_l[0]) & (masses <= m_l[-1])
    lim = np.exp(np.interp(np.log(masses), np.log(m_l), np.log(h_l)))
    out = {}
    for key, ref in (("central", np.array([b["h_central"] for b in band])),
                     ("whole_2sigma", np.array([b["h_2sigma"][0] for b in band])),
                     ("part_2sigma", np.array([b["h_2sigma"][1] for b in band]))):
        mask = inside & (lim < ref)
        ranges = []
        i = 0
        while i < len(masses):
            if mask[i]:
                j = i
                while j + 1 < len(masses) and mask[j + 1]:
                    j += 1
                ranges.append([float(masses[i]), float(masses[j])])
                i = j + 1
            else:
                i += 1
        out[key] = ranges
    return out


def figure2(rec: Recorder, grids: Grids) -> list[dict]:
    """sigma(e Pb -> mu Pb phi) at 100 GeV: ETL, WW, IWW and ratios."""
    from leptoportal.plots import label, mass_axis, new_figure
    from leptoportal.production import Process, sigma_etl, sigma_iww, sigma_ww

    rows = []
    for m in grids.fig2_masses:
        proc = Process("e-", 100.0, "Pb", float(m))
        e = sigma_etl(proc, grids.xsec_precision)
        w, i = sigma_ww(proc), sigma_iww(proc)
        rows.append({"m_phi": float(m), "etl": e.sigma_pb, "etl_err": e.sigma_err_pb,
                     "ww": w.sigma_pb, "iww": i.sigma_pb})
    rec.table("fig2_xsec_100GeV_Pb", "sigma(e- Pb -> mu- Pb phi), E0 = 100 GeV, h = 1 chiral",
              [("m_phi", "GeV"), ("sigma_ETL", "pb"), ("sigma_ETL_err", "pb"),
               ("sigma_WW", "pb"), ("sigma_IWW", "pb")],
              [[r["m_phi"], r["etl"], r["etl_err"], r["ww"], r["iww"]] for r in rows],
              {"beam": "e-", "energy": "100 GeV", "target": "Pb", "couplings": "chiral h=1",
               "form_factor": "elastic", "WW conventions": "t_max = E0^2, theta_max = 0.1"})
    m = np.array([r["m_phi"] for r in rows])
    etl = np.array([r["etl"] for r in rows])
    err = np.array([r["etl_err"] for r in rows])
    fig, (ax, rax) = new_figure(ratio_panel=True)
    ax.fill_between(m, etl - 3 * err, etl + 3 * err, color="#93c5fd", alpha=0.7,
                    label=r"ETL ($\pm3\sigma_{MC}$)")
    ax.plot(m, etl, color="#1d4ed8", lw=2, label="ETL (exact tree level)")
    ax.plot(m, [r["ww"] for r in rows], "--", color="#dc2626", lw=2, label="WW")
    ax.plot(m, [r["iww"] for r in rows], ":", color="#16a34a", lw=2.2, label="IWW")
    ax.set_yscale("log")
    ax.set_ylabel(r"$\sigma(e^-\mathrm{Pb}\to\mu^-\mathrm{Pb}\,\phi)$ / $h^2$ [pb]")
    ax.legend(frameon=False)
    label(ax, r"leptoportal   $E_0$ = 100 GeV, Pb, chiral $h$ = 1")
    rax.plot(m, [r["ww"] for r in rows] / etl, "--", color="#dc2626", lw=2)
    rax.plot(m, [r["iww"] for r in rows] / etl, ":", color="#16a34a", lw=2.2)
    rax.axhline(1.0, color="gray", lw=1)
    rax.set_xscale("log")
    mass_axis(rax, m[0], m[-1])
    rax.set_ylabel("ratio to ETL")
    rax.set_xlabel(r"$m_\phi$ [GeV]")
    rec.figure(fig, "fig2_xsec_100GeV",
               "Total cross-section at 100 GeV on Pb: exact tree level vs WW and IWW.")
    return rows


def figure3(rec: Recorder, grids: Grids) -> None:
    """dsigma/dx and outgoing-muon energy spectra."""
    import matplotlib.pyplot as plt

    from leptoportal.plots import label, new_figure
    from leptoportal.production import Process, default_edges, spectra

    fig, axes = plt.subplots(1, 2, figsize=(16, 6), gridspec_kw={"wspace": 0.38})
    colors = ["#1d4ed8", "#dc2626", "#16a34a"]
    for m, col in zip(grids.fig3_masses, colors, strict=False):
        proc = Process("e-", 100.0, "Pb", m)
        edges = {"x": default_edges(proc, "x", 40), "e_out": default_edges(proc, "e_out", 40)}
        specs, total = spectra(proc, edges, n_events=grids.spectrum_events)
        for ax, name, xl in ((axes[0], "x", r"$x = E_\phi/E_0$"),
                             (axes[1], "e_out", r"$E_\mu$ [GeV]")):
            sp = specs[name]
            centers = 0.5 * (sp.edges[1:] + sp.edges[:-1])
            ax.errorbar(centers, sp.dsigma / total.sigma_pb, yerr=sp.dsigma_err / total.sigma_pb,
                        drawstyle="steps-mid", color=col, label=rf"$m_\phi$ = {m:g} GeV")
            ax.set_xlabel(xl)
            rec.table(f"fig3_{name}_m{m:g}", f"normalised dsigma/d{name} at m_phi = {m:g} GeV",
                      [(name, "" if name == "x" else "GeV"), ("dsigma", "pb per unit"),
                       ("dsigma_err", "pb per unit")],
                      [[c, d, e] for c, d, e in zip(centers, sp.dsigma, sp.dsigma_err,
                                                    strict=True)],
                      {"beam": "e-", "energy": "100 GeV", "target": "Pb", "m_phi": m,
                       "couplings": "chiral h=1", "sigma_total_pb": total.sigma_pb})
    axes[0].set_ylabel(r"$(1/\sigma)\,d\sigma/dx$")
    axes[1].set_ylabel(r"$(1/\sigma)\,d\sigma/dE_\mu$ [1/GeV]")
    axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    axes[0].legend(frameon=False)
    label(axes[0], "leptoportal   ETL, 100 GeV e- on Pb")
    rec.figure(fig, "fig3_spectra", "Normalised phi energy-fraction and outgoing-muon energy "
               "spectra (ETL) at m_phi = 0.2, 0.5, 1 GeV.")
    del new_figure


def figure4(rec: Recorder, grids: Grids) -> dict:
    """Omega h^2 versus h_emu at the benchmark point."""
    from leptoportal import relic
    from leptoportal.model import DarkSector, Portal
    from leptoportal.plots import label, new_figure

    m_phi = 0.3
    dark = DarkSector.benchmark(m_phi, alpha_dark=BENCHMARK_ALPHA_DARK, ratio=BENCHMARK_RATIO)
    om = [relic.omega_h2(Portal.from_kind(m_phi, h), dark).omega_h2 for h in grids.fig4_h]
    om_alt = [relic.omega_h2(Portal.from_kind(m_phi, h), dark, "idealgas").omega_h2
              for h in grids.fig4_h]
    h_star = relic.h_for_relic(m_phi, BENCHMARK_ALPHA_DARK, BENCHMARK_RATIO)
    rec.table("fig4_omega_vs_h", "Omega h^2 versus h_emu at the benchmark point",
              [("h", ""), ("omega_h2_borsanyi2016", ""), ("omega_h2_idealgas", "")],
              [[h, a, b] for h, a, b in zip(grids.fig4_h, om, om_alt, strict=True)],
              {"m_phi": f"{m_phi} GeV", "m_chi": f"{dark.m_chi:.4g} GeV",
               "alpha_dark": BENCHMARK_ALPHA_DARK, "couplings": "chiral, dark c_S = c_P = 1/2"})
    fig, ax = new_figure()
    ax.plot(grids.fig4_h, om, color="#1d4ed8", lw=2, label="Borsanyi et al. 2016 g*")
    ax.plot(grids.fig4_h, om_alt, "--", color="#9333ea", lw=1.5, label="ideal-gas g* (syst.)")
    ax.axhline(relic.OMEGA_H2_PLANCK, color="#dc2626", lw=1.5, label=r"$\Omega h^2$ = 0.120")
    ax.axvline(h_star, color="gray", ls=":", lw=1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$h_{e\mu}$ (chiral)")
    ax.set_ylabel(r"$\Omega_\chi h^2$")
    ax.legend(frameon=False)
    label(ax, rf"leptoportal   $m_\phi$ = {m_phi} GeV, $m_\chi = m_\phi/3$, $\alpha_D$ = 0.1")
    rec.figure(fig, "fig4_relic", "Relic density versus the portal coupling at the benchmark "
               "point; the dotted line marks h giving Omega h^2 = 0.120.")
    return {"m_phi": m_phi, "h_relic": h_star}


# ------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    out = {"leptoportal": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "vegas", "particle", "pyhf", "matplotlib", "mplhep", "dask"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "?"
    return out


def write_report(rec: Recorder, summary: dict, grids: Grids, fast: bool) -> None:
    from leptoportal import experiments as ex

    blocks: list[tuple[str, object]] = []
    blocks.append(("h1", "leptoportal: reproduction of Gninenko & Krasnikov, arXiv:2202.04410"))
    blocks.append(("p", "Leptonic scalar portal L = phi mubar (C_S + C_P g5) e + h.c. with the "
                   "chiral benchmark C_S = C_P = h_emu/2, a dark sector of two Dirac fermions "
                   f"(m_phi = {BENCHMARK_RATIO:g} m_chi, alpha_D = {BENCHMARK_ALPHA_DARK}) and "
                   "the NA64 2016-2018 data. Run mode: " + ("--fast (smoke test grids)" if fast
                                                            else "default grids") + "."))
    blocks.append(("h2", "Results summary"))
    ex_rng = summary["excluded"]
    blocks.append(("p", "NA64 2016-2018 (90% CL, CLs, n_obs = b = 3, efficiency 0.5, "
                   "Br_inv from alpha_D = 0.1) excludes the central g-2 (fnal2021) coupling for "
                   f"m_phi in {_ranges(ex_rng['central'])}, the whole 2 sigma band in "
                   f"{_ranges(ex_rng['whole_2sigma'])} and part of the 2 sigma band in "
                   f"{_ranges(ex_rng['part_2sigma'])} (GeV)."))
    blocks.append(("p", f"Thermal target at m_phi = {summary['relic']['m_phi']} GeV: "
                   f"h_emu = {summary['relic']['h_relic']:.3g} gives Omega h^2 = 0.120."))
    rows = [["m_phi [GeV]", "ETL [pb]", "WW/ETL", "IWW/ETL"]]
    for r in summary["fig2"]:
        rows.append([f"{r['m_phi']:.3g}", f"{r['etl']:.4g} +- {r['etl_err']:.2g}",
                     f"{r['ww'] / r['etl']:.3f}", f"{r['iww'] / r['etl']:.3f}"])
    blocks.append(("table", rows))
    blocks.append(("h2", "Figures"))
    for f in rec.figures:
        blocks.append(("img", f))
    blocks.append(("h2", "Inputs and their sources"))
    ds_rows = [["dataset", "Delta a", "sigma", "a(exp)", "a(SM)"]]
    for d in list(g2.MUON_DATASETS.values()) + list(g2.ELECTRON_DATASETS.values()):
        ds_rows.append([d.name, f"{d.delta:.3g}", f"{d.sigma:.3g}", d.a_exp, d.a_sm])
    blocks.append(("table", ds_rows))
    exp_rows = [["experiment", "beam", "E0", "target", "EOT", "n_obs", "b", "source"]]
    for n in ex.preset_names():
        p = ex.get_preset(n)
        exp_rows.append([n, p.beam, f"{p.energy:g}", f"{p.target} {p.thickness_x0:g} X0",
                         f"{p.eot:.3g}", str(p.n_obs), f"{p.background:g}",
                         "; ".join(p.sources.values())])
    blocks.append(("table", exp_rows))
    blocks.append(("h2", "Assumptions"))
    assumptions = [
        "ETL cross-sections: full 2 -> 3 tree-level |M|^2 with the elastic screened form factor "
        "(Tsai 1974; Bjorken et al. 2009); the helm and inelastic variants give the "
        "form-factor systematic (`leptoportal xsec --ff-systematic`).",
        "Thick-target yields use Tsai's primary-electron track length; shower secondaries "
        "are neglected (the NA64 selection needs E_conv > E0/2).",
        "Br_inv from the widths with the benchmark dark sector; phi decays promptly.",
        "Electron g-2 limits: the portal shift may not exceed max(0, sign*Delta) + 1.28 sigma.",
        "Relic density: Maxwell-Boltzmann statistics, co-annihilation of chi1, chi2 and "
        "antiparticles, running-width Breit-Wigner, Omega h^2 = 2.755e8 m Y0; the spread "
        "between g* tables is the equation-of-state systematic.",
    ]
    for n in ex.preset_names():
        for a in ex.get_preset(n).assumptions:
            assumptions.append(f"{n}: {a}")
    blocks.append(("ul", assumptions))
    blocks.append(("h2", "Tables"))
    blocks.append(("ul", [f"tables/{t['name']}.csv and .yaml: {t['title']} ({t['rows']} rows)"
                          for t in rec.tables]))
    blocks.append(("h2", "Run"))
    blocks.append(("table", [["stage", "wall time [s]"]] +
                   [[k, f"{v:.1f}"] for k, v in rec.timings.items()]))
    blocks.append(("table", [["package", "version"]] + [[k, v] for k, v in _versions().items()]))
    grid_txt = (f"{len(grids.fig1_masses)} masses for limits, {len(grids.relic_masses)} for the "
                f"thermal target, ETL precision {grids.xsec_precision}, limit-table precision "
                f"{grids.limit_precision}")
    blocks.append(("p", "Grids: " + grid_txt + "."))
    atomic_write_text(rec.out / "report.md", _render_md(blocks))
    atomic_write_text(rec.out / "report.html", _render_html(blocks, rec.out))


def _ranges(rs: list) -> str:
    if not rs:
        return "no range"
    return ", ".join(f"[{a:.3g}, {b:.3g}]" for a, b in rs)


def _render_md(blocks) -> str:
    out = []
    for kind, val in blocks:
        if kind == "h1":
            out.append(f"# {val}\n")
        elif kind == "h2":
            out.append(f"## {val}\n")
        elif kind == "p":
            out.append(f"{val}\n")
        elif kind == "ul":
            out.append("\n".join(f"- {x}" for x in val) + "\n")
        elif kind == "table":
            head, *body = val
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out.extend("| " + " | ".join(str(c) for c in r) + " |" for r in body)
            out.append("")
        elif kind == "img":
            out.append(f"![{val['caption']}](figures/{val['name']}.png)\n\n*{val['caption']}*\n")
    return "\n".join(out)


def _render_html(blocks, out_dir: Path) -> str:
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>leptoportal report"
             "</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px}"
             "img{max-width:100%}</style></head><body>"]
    for kind, val in blocks:
        if kind == "h1":
            parts.append(f"<h1>{html.escape(val)}</h1>")
        elif kind == "h2":
            parts.append(f"<h2>{html.escape(val)}</h2>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(val)}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in val) + "</ul>")
        elif kind == "table":
            head, *body = val
            parts.append("<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head)
                         + "</tr>" + "".join("<tr>" + "".join(
                             f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                             for r in body) + "</table>")
        elif kind == "img":
            data = (out_dir / "figures" / f"{val['name']}.png").read_bytes()
            b64 = base64.b64encode(data).decode()
            parts.append(f"<figure><img src='data:image/png;base64,{b64}'>"
                         f"<figcaption>{html.escape(val['caption'])}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


def reproduce(out: str | Path = "results", fast: bool = False, scheduler: str | None = None,
              progress=None) -> dict:
    """Run everything; returns the summary (also written as summary.json)."""
    from leptoportal import scan

    out = Path(out)
    rec = Recorder(out)
    grids = Grids.make(fast)
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    tasks = _limit_tasks(grids) + _relic_tasks(grids)
    rows = scan.run_scan(tasks, out / "scan", scheduler, progress=progress)
    scan.write_results(rows, out / "scan")
    rec.timings["scan (limits, thermal target)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f1 = figure1(rec, grids, rows)
    rec.timings["figure 1"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f2 = figure2(rec, grids)
    rec.timings["figure 2 (ETL/WW/IWW)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    figure3(rec, grids)
    rec.timings["figure 3 (spectra)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    f4 = figure4(rec, grids)
    rec.timings["figure 4 (relic)"] = time.perf_counter() - t0
    summary = {
        "excluded": excluded_ranges(f1["masses"], f1["band"],
                                    f1["limits"].get("na64e-2016-2018", [])),
        "fig2": f2, "relic": f4, "fast": fast,
    }
    rec.timings["total"] = time.perf_counter() - t_all
    summary["timings"] = rec.timings
    summary["versions"] = _versions()
    write_report(rec, summary, grids, fast)
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=1, default=float))
    return summary
