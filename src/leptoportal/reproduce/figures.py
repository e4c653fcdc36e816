"""The figures of a reproduction run: each function draws data from
`leptoportal.reproduce.compute` and returns a matplotlib figure (nothing is computed here).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np

from leptoportal._typing import FloatArray
from leptoportal.model import DEFAULT_ALPHA_DARK, DEFAULT_MASS_RATIO, DEFAULT_MODEL
from leptoportal.relic import OMEGA_H2_PLANCK
from leptoportal.reproduce.compute import (
    AnnihilationReach,
    ConstraintsPlane,
    PlaneData,
    RelicCurve,
)
from leptoportal.reproduce.grids import PLANES, XSEC_SETUP, PlaneSpec
from leptoportal.reproduce.style import label, mass_axis, new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from leptoportal.reproduce.compute import ShowerReach

#: line colour and style of the sensitivity / limit curves in the plane
PLANE_STYLES = {"na64e-2016-2022": ("#2563eb", "-"), "na64e-upgrade": ("#1d4ed8", "--"),
                "na64e-ponten2024": ("#0891b2", "-."), "na64mu": ("#16a34a", "--"),
                "ldmx": ("#dc2626", ":"), "m3-phase1": ("#16a34a", "--"),
                "m3-phase2": ("#dc2626", ":")}
FALLBACK_COLOURS = ("#2563eb", "#0891b2", "#16a34a", "#dc2626")
#: beams in LaTeX
BEAM_TEX = {"e-": "$e^-$", "e+": "$e^+$", "mu-": r"$\mu^-$", "mu+": r"$\mu^+$"}


def experiment_label(name: str, what: str = "") -> str:
    """A legend entry in physics words: the set-up's label, beam, energy and exposure
    ("NA64e upgrade: $e^-$ 100 GeV, 5e12 EOT, projection")."""
    from leptoportal import experiments as ex

    cfg = ex.get_preset(name)
    energy = (f"{min(e for e, _ in cfg.energy_scan):g}-{max(e for e, _ in cfg.energy_scan):g}"
              if cfg.energy_scan else f"{cfg.energy:g}")
    unit = "MOT" if cfg.muon_beam else "EOT"
    exposure = f"{cfg.total_eot:.2g}".replace("e+", "e")
    text = (f"{cfg.label or cfg.name}: {BEAM_TEX.get(cfg.beam, cfg.beam)} {energy} GeV, "
            f"{exposure} {unit}")
    return text + (f", {what}" if what else ", projection" if cfg.projection else "")


def _g2_band(ax: Axes, masses: FloatArray, band: list[Any]) -> None:
    """The 1 and 2 sigma muon g-2 bands (FNAL 2021)."""
    s1 = np.array([(b.h_1sigma_lo, b.h_1sigma_hi) for b in band])
    s2 = np.array([(b.h_2sigma_lo, b.h_2sigma_hi) for b in band])
    ax.fill_between(masses, s2[:, 0], s2[:, 1], color="#fde68a",
                    label=r"$(g-2)_\mu$ 2$\sigma$ (FNAL 2021)")
    ax.fill_between(masses, s1[:, 0], s1[:, 1], color="#f59e0b",
                    label=r"$(g-2)_\mu$ 1$\sigma$ (FNAL 2021)")


def _decay_label(channel: str) -> str:
    r"""A decay of `leptoportal.lfv` in maths with the experiment of its limit, e.g.
    $\mu \to e \gamma$ (MEG II)."""
    from leptoportal.lfv import experimental_limits

    words = {"mu": r"\mu", "tau": r"\tau", "gamma": r"\gamma", "->": r"\to", "phi": r"\phi",
             "e+": "e^+", "mu+": r"\mu^+"}
    text = "$" + " ".join(words.get(w, w) for w in channel.split()) + "$"
    lim = experimental_limits().get(channel)
    return text + (f" ({lim.experiment})" if lim else "")


def plane(data: PlaneData, spec: PlaneSpec = PLANES[DEFAULT_MODEL]) -> Figure:
    """The (m_phi, h) plane: g-2 bands, exclusion, sensitivities, thermal target, a_e."""
    masses = data.masses
    fig, ax = new_figure(figsize=(10, 8))
    if data.bands:
        b21, b23, b25 = (data.bands[k] for k in ("fnal2021", "fnal2023", "fnal2025"))
        _g2_band(ax, masses, b21)
        ax.plot(masses, [b.h_central for b in b21], color="#b45309", lw=1)
        s1_23 = np.array([(b.h_1sigma_lo, b.h_1sigma_hi) for b in b23])
        ax.plot(masses, s1_23[:, 0], "--", color="#92400e", lw=1.2,
                label=r"$(g-2)_\mu$ 1$\sigma$ (2023)")
        ax.plot(masses, s1_23[:, 1], "--", color="#92400e", lw=1.2)
        ax.plot(masses, [b.h_upper for b in b25], "--", color="#6b7280", lw=1.5,
                label=r"$(g-2)_\mu$ 90% UL (2025 WA vs WP25)")
    ae = data.electron_limits
    if ae:
        ax.plot(masses, ae["rb2020"], ":", color="#7c3aed", lw=1.8,
                label=r"$(g-2)_e$ (Rb) 90% UL")
        ax.plot(masses, ae["cs2018"], "-.", color="#7c3aed", lw=1.2,
                label=r"$(g-2)_e$ (Cs) 90% UL")
    if data.clfv:
        m_c, h_c = np.array([p[:2] for p in data.clfv]).T
        ax.fill_between(m_c, h_c, 1.0, facecolor="none", edgecolor="#dc2626", hatch="//",
                        lw=0.0, label="excluded by " + ", ".join(
                            _decay_label(c) for c in sorted({p[2] for p in data.clfv}))
                        + " (90% CL)")
        ax.plot(m_c, h_c, color="#dc2626", lw=1.5)
    exclusion = spec.experiments[0]
    if exclusion in data.limits:
        m_l, h_l, _ = np.array(data.limits[exclusion]).T
        ax.fill_between(m_l, h_l, 1.0, color="#9ca3af", alpha=0.45,
                        label=experiment_label(exclusion, "excluded (90% CL)"))
        ax.plot(m_l, h_l, color="#374151", lw=1.5)
    for i, name in enumerate(spec.experiments[1:]):
        col, ls = PLANE_STYLES.get(name, (FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)], "--"))
        if name in data.limits:
            m_l, h_l, _ = np.array(data.limits[name]).T
            ax.plot(m_l, h_l, ls, color=col, lw=1.8, label=experiment_label(name))
    if data.relic:
        m_r, h_r = np.array(data.relic).T
        ax.plot(m_r, h_r, color="black", lw=2.2,
                label=rf"thermal target ($\alpha_D$={DEFAULT_ALPHA_DARK:g}, "
                      rf"$m_\phi={DEFAULT_MASS_RATIO:g}m_\chi$)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(masses[0], masses[-1])
    ax.set_ylim(1e-5, 1.0)
    mass_axis(ax, masses[0], masses[-1])
    ax.set_xlabel(r"$m_\phi$ [GeV]")
    ax.set_ylabel(spec.coupling_label)
    # below the axes: the physics labels are too long to share the plane with the curves
    ax.legend(fontsize=11, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
              frameon=False)
    label(ax, spec.process_label)
    return fig


#: the colour-blind-safe palette of the constraints plane (Okabe & Ito), with line styles so
#: that the bounds stay apart in grey print
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))


def bound_label(name: str, observable: str, experiment: str, cl: float) -> str:
    r"""A bound of `leptoportal.constraints` in the legend: $(g-2)_\mu$ (FNAL+BNL), $d_e$
    (JILA, 90% CL), a decay as `_decay_label()`."""
    if name.startswith("g-2 "):
        lepton = r"\mu" if name.split()[1] == "mu" else "e"
        text = rf"$(g-2)_{lepton}$ ({experiment})"
    elif name.startswith("d_"):
        lepton = r"\mu" if name == "d_mu" else "e"
        text = rf"$|d_{lepton}|$ ({experiment})"
    else:
        text = _decay_label(name)
    return text + ("" if cl == 0.9 else f", {cl:.0%} CL")


def constraints_plane(data: ConstraintsPlane, spec: PlaneSpec) -> Figure:
    """Every bound of a model in the (m_phi, h) plane: each excluded region (light fill above
    its line), the combined allowed region (below the thick line), the NA64 reach."""
    fig, ax = new_figure(figsize=(10, 8.5))
    top, lowest = 10.0, 1.0
    for i, (name, pts) in enumerate(data.bounds.items()):
        observable, experiment, cl, combined = data.about[name]
        m_b, h_b = np.array(pts).T
        colour, style = OKABE_ITO[i % len(OKABE_ITO)], LINE_STYLES[i % len(LINE_STYLES)]
        ax.fill_between(m_b, h_b, top, color=colour, alpha=0.12, lw=0)
        ax.plot(m_b, h_b, linestyle=style, color=colour, lw=2.0, zorder=4,
                label=bound_label(name, observable, experiment, cl)
                + ("" if combined else " (not combined)"))
        lowest = min(lowest, float(np.min(h_b)))
    from leptoportal import experiments as ex

    projections = iter(("--", ":", "-.", (0, (3, 1, 1, 1))))
    for name, pts in data.na64.items():
        if not pts:
            continue
        m_l, h_l = np.array(sorted(pts)).T
        projection = ex.get_preset(name).projection
        ax.plot(m_l, h_l, next(projections, "--") if projection else "-", color="#4b5563",
                lw=1.6, zorder=4, label=experiment_label(name))
        if not projection:
            ax.fill_between(m_l, h_l, top, color="#9ca3af", alpha=0.18, lw=0)
        lowest = min(lowest, float(np.min(h_l)))
    if data.combined:
        m_c, h_c = np.array([p[:2] for p in data.combined]).T
        ax.plot(m_c, h_c, color="black", lw=4.0, zorder=3,
                label="allowed by every combined bound: below this line")
    lo, hi = data.masses[0], data.masses[-1]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(10.0 ** (math.floor(math.log10(lowest)) - 1), top)
    mass_axis(ax, lo, hi)
    ax.set_xlabel(r"$m_\phi$ [GeV]")
    ax.set_ylabel(spec.coupling_label)
    ax.legend(fontsize=10, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2,
              frameon=False)
    label(ax, r"leptoportal   every bound, 90% CL, benchmark dark sector")
    return fig


def annihilation_reach(data: AnnihilationReach) -> Figure:
    """Reach of mu+ e- -> phibar (160 GeV beam, beam-energy scan) with the g-2 bands and the
    NA64e exclusion."""
    pl = data.plane
    fig, ax = new_figure(figsize=(10, 8))
    masses = pl.masses
    if pl.bands:
        _g2_band(ax, masses, pl.bands["fnal2021"])
    exclusion = PLANES[DEFAULT_MODEL].experiments[0]
    if exclusion in pl.limits:
        m_l, h_l, _ = np.array(pl.limits[exclusion]).T
        ax.fill_between(m_l, h_l, 1.0, color="#9ca3af", alpha=0.45,
                        label=experiment_label(exclusion, "excluded (90% CL)"))
    if "na64mu" in pl.limits:
        m_l, h_l, _ = np.array(pl.limits["na64mu"]).T
        ax.plot(m_l, h_l, "--", color="#16a34a", lw=1.5,
                label=experiment_label("na64mu", r"$\mu^- N \to e^- N \phi$"))
    styles = {"na64mu-plus": ("#1d4ed8", "-", "resonance + conversion, projection"),
              "na64mu-plus (shells)": ("#1d4ed8", "--", "electrons as Gaussian shells"),
              "na64mu-plus (rest)": ("#1d4ed8", ":", "electrons at rest"),
              "na64mu-plus-scan": ("#dc2626", "-", "resonance, projection")}
    for name, pts in data.reach.items():
        if pts:
            m_r, h_r = np.array([p[:2] for p in pts]).T
            col, ls, what = styles[name]
            preset = name.split(" ")[0]
            text = experiment_label(preset, what) if preset == name else f"same, {what}"
            ax.plot(m_r, h_r, ls, color=col, lw=2 if preset == name else 1.4, label=text)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.2, 1.0)
    ax.set_ylim(1e-6, 1.0)
    mass_axis(ax, 0.2, 1.0)
    ax.set_xlabel(r"$m_\phi$ [GeV]")
    ax.set_ylabel(PLANES[DEFAULT_MODEL].coupling_label)
    ax.legend(fontsize=10, loc="upper left", frameon=False)
    label(ax, r"leptoportal   $\mu^+ e^- \to \bar\phi$ on Pb (40 $X_0$), "
              r"$\phi\to$ invisible")
    return fig


def xsec_comparison(rows: list[dict[str, Any]]) -> Figure:
    """ETL, WW and IWW; below, WW/ETL on its own scale with the ETL Monte-Carlo band (+-1 and
    +-2 sigma around 1) and IWW/ETL."""
    beam, energy, target = XSEC_SETUP
    m = np.array([r["m_phi"] for r in rows])
    etl = np.array([r["sigma_etl_pb"] for r in rows])
    rel = np.array([r["sigma_etl_err_pb"] for r in rows]) / etl
    ww = np.array([r["sigma_ww_pb"] for r in rows])
    iww = np.array([r["sigma_iww_pb"] for r in rows])
    fig, (ax, wax, iax) = plt.subplots(3, 1, figsize=(8, 10), sharex=True, gridspec_kw={
        "height_ratios": [3, 1.3, 1.3], "hspace": 0.06})
    ax.errorbar(m, etl, yerr=etl * rel, fmt="o", ms=4, color="#1d4ed8", lw=1.5,
                label="ETL (exact tree level, MC error)")
    ax.plot(m, etl, color="#1d4ed8", lw=1.2)
    ax.plot(m, ww, "--", color="#dc2626", lw=2, label="WW (Weizsaecker-Williams)")
    ax.plot(m, iww, ":", color="#16a34a", lw=2.2, label="IWW (improved WW)")
    ax.set_yscale("log")
    ax.set_ylabel(r"$\sigma\,/\,h^2$ [pb]")
    ax.legend(frameon=False, fontsize=12)
    label(ax, rf"leptoportal   $e^-\mathrm{{{target}}}\to\mu^-\mathrm{{{target}}}\,\bar\phi$, "
              rf"$E_0$ = {energy:g} GeV, chiral $h$ = 1")
    for k, alpha in ((2, 0.25), (1, 0.45)):
        wax.fill_between(m, 1 - k * rel, 1 + k * rel, color="#93c5fd", alpha=alpha, lw=0,
                         label=rf"ETL $\pm{k}\sigma_{{MC}}$")
    wax.plot(m, ww / etl, "--", color="#dc2626", lw=2)
    wax.axhline(1.0, color="gray", lw=1)
    spread = max(float(np.max(np.abs(ww / etl - 1))), float(np.max(3 * rel)), 0.005)
    wax.set_ylim(1 - 1.3 * spread, 1 + 1.3 * spread)
    wax.set_ylabel("WW / ETL", fontsize=14)
    wax.legend(frameon=False, fontsize=10, ncol=2, loc="lower left")
    iax.plot(m, iww / etl, ":", color="#16a34a", lw=2.2)
    iax.axhline(1.0, color="gray", lw=1)
    iax.set_ylabel("IWW / ETL", fontsize=14)
    iax.set_xscale("log")
    mass_axis(iax, m[0], m[-1])
    iax.set_xlabel(r"$m_\phi$ [GeV]")
    return fig


def spectra(spectra_data: list[Any]) -> Figure:
    """Normalised dsigma/dx and dsigma/dE_mu at each mass."""
    beam, energy, target = XSEC_SETUP
    fig, axes = plt.subplots(1, 2, figsize=(16, 6), gridspec_kw={"wspace": 0.38})
    colors = ["#1d4ed8", "#dc2626", "#16a34a"]
    for (m, specs, total), col in zip(spectra_data, colors, strict=False):
        for ax, name, xl in ((axes[0], "x", r"$x = E_\phi/E_0$"),
                             (axes[1], "e_out", r"$E_\mu$ [GeV]")):
            sp = specs[name]
            centers = 0.5 * (sp.edges[1:] + sp.edges[:-1])
            ax.errorbar(centers, sp.dsigma / total.sigma_pb, yerr=sp.dsigma_err / total.sigma_pb,
                        drawstyle="steps-mid", color=col, label=rf"$m_\phi$ = {m:g} GeV")
            ax.set_xlabel(xl)
    axes[0].set_ylabel(r"$(1/\sigma)\,d\sigma/dx$")
    axes[1].set_ylabel(r"$(1/\sigma)\,d\sigma/dE_\mu$ [1/GeV]")
    axes[0].set_yscale("log")
    axes[1].set_yscale("log")
    axes[0].legend(frameon=False)
    label(axes[0], f"leptoportal   ETL, {energy:g} GeV {beam} on {target}")
    return fig


def shower_positrons(data: ShowerReach) -> Figure:
    """The electron-philic NA64e limit with and without the shower positrons, and the e+
    energies (sqrt(2 m_e E+)) where they resonate."""
    from leptoportal.constants import M_E
    from leptoportal.reproduce.grids import SHOWER_EXPERIMENT

    fig, ax = new_figure(figsize=(10, 7))
    for pts, style, what in ((data.without, "--", "e N -> e N phi only"),
                             (data.with_showers, "-", "with shower e+ e- -> phi")):
        if pts:
            m, h = np.array([p[:2] for p in pts]).T
            ax.plot(m, h, style, color="#1d4ed8", lw=2,
                    label=experiment_label(SHOWER_EXPERIMENT, what))
    for e_pos in (50.0, 100.0):
        ax.axvline(math.sqrt(2.0 * M_E * e_pos), color="gray", ls=":", lw=1)
    ax.text(0.227, 1.3e-5, r"$E_{e^+}$ = 50-100 GeV", fontsize=11, color="gray")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-5, 1e-2)
    lo = min(p[0] for p in data.without or data.with_showers)
    hi = max(p[0] for p in data.without or data.with_showers)
    ax.set_xlim(lo, hi)
    mass_axis(ax, lo, hi)
    ax.set_xlabel(r"$m_\phi$ [GeV]")
    ax.set_ylabel(r"$g_e$ (scalar, $\phi\bar e e$)")
    ax.legend(fontsize=11, loc="upper left", frameon=False)
    label(ax, r"leptoportal   $e^-$Pb, 100 GeV, $\phi\to$ invisible")
    return fig


def relic(rc: RelicCurve) -> Figure:
    """Omega h^2 versus h with the Planck value and h at 0.120; below, the ratio of the
    ideal-gas g* curve (the equation-of-state systematic) to the main one."""
    fig, (ax, rax) = new_figure(ratio_panel=True)
    h = np.array(rc.h)
    main, ideal = np.array(rc.omega), np.array(rc.omega_idealgas)
    ax.plot(h, main, color="#1d4ed8", lw=2.2, label=r"$g_*(T)$: Borsanyi et al. 2016")
    ax.plot(h, ideal, "--", color="#c026d3", lw=1.8, marker="o", ms=3.5, markevery=3,
            label=r"$g_*(T)$: ideal gas (systematic)")
    ax.axhline(OMEGA_H2_PLANCK, color="#dc2626", lw=1.5,
               label=rf"Planck 2018: $\Omega h^2$ = {OMEGA_H2_PLANCK:.3f}")
    ax.axvline(rc.h_relic, color="gray", ls=":", lw=1.5,
               label=rf"$h$ = {rc.h_relic:.3g} gives {OMEGA_H2_PLANCK:.3f}")
    ax.set_yscale("log")
    ax.set_ylabel(r"$\Omega_\chi h^2$")
    ax.legend(frameon=False, fontsize=12)
    label(ax, rf"leptoportal   $m_\phi$ = {rc.m_phi} GeV, "
              rf"$m_\chi = m_\phi/{DEFAULT_MASS_RATIO:g}$, $\alpha_D$ = {DEFAULT_ALPHA_DARK:g}")
    ratio = ideal / main
    rax.plot(h, ratio, "--", color="#c026d3", lw=1.8)
    rax.axhline(1.0, color="#1d4ed8", lw=1.2)
    dev = max(float(np.max(np.abs(ratio - 1))), 0.005)
    rax.set_ylim(1 - 1.4 * dev, 1 + 1.4 * dev)
    rax.set_ylabel("ideal gas / main", fontsize=13)
    rax.set_xscale("log")
    rax.set_xlabel(r"$h_{e\mu}$ (chiral)")
    return fig


__all__ = [
    "BEAM_TEX", "FALLBACK_COLOURS", "LINE_STYLES", "OKABE_ITO", "PLANE_STYLES", "bound_label",
    "constraints_plane", "plane", "relic", "annihilation_reach",
    "shower_positrons", "spectra", "xsec_comparison", "experiment_label",
]


def __dir__() -> list[str]:
    return __all__
