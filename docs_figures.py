"""Figures of the physics pages, made by the package when the site is built (mkdocs_hooks
puts them inline where a page has ``<!-- figure: NAME -->``), and the numbers those pages
quote. Each figure takes a second or two; they are small (100 dpi) to keep the build fast."""

from __future__ import annotations

import base64
import functools
import io
import warnings

import numpy as np

#: masses of the WW/ETL comparison (GeV)
WW_MASSES = (0.11, 0.2, 0.5, 1.0, 2.0)


def _axes(width: float = 6.4, height: float = 4.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def png_data(fig) -> str:
    """The figure as a base64 PNG (closed afterwards)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def g2_per_coupling():
    """Delta a_mu / h^2 of the named coupling models versus m_phi."""
    from leptoportal.g2 import contributions
    from leptoportal.model import CouplingMatrix

    masses = np.geomspace(0.11, 3.0, 40)
    fig, ax = _axes()
    for model, style in (("emu-chiral", "-"), ("mumu-scalar", "--"),
                         ("mumu-pseudoscalar", ":")):
        values = [contributions(m, CouplingMatrix.model(model, 1.0)).delta_a_mu for m in masses]
        ax.plot(masses, np.abs(values), style, lw=2,
                label=f"{model} ({'+' if values[0] > 0 else '-'})")
    ax.set(xscale="log", yscale="log", xlabel=r"$m_\phi$ [GeV]",
           ylabel=r"$|\Delta a_\mu| / h^2$ (sign in the legend)")
    ax.legend(frameon=False)
    return fig


def g2_band():
    """The coupling band of the muon g-2 (fnal2021, 1 and 2 sigma) and the fnal2025 limit."""
    from leptoportal.g2 import coupling_band

    masses = np.geomspace(0.106, 3.0, 40)
    bands = [coupling_band(m) for m in masses]
    upper = [coupling_band(m, "fnal2025").h_upper for m in masses]
    fig, ax = _axes()
    ax.fill_between(masses, [b.h_2sigma_lo for b in bands], [b.h_2sigma_hi for b in bands],
                    color="#fde68a", label=r"fnal2021, $2\sigma$")
    ax.fill_between(masses, [b.h_1sigma_lo for b in bands], [b.h_1sigma_hi for b in bands],
                    color="#f59e0b", label=r"fnal2021, $1\sigma$")
    ax.plot(masses, upper, "--", color="#6b7280", label="fnal2025: 90% CL upper limit")
    ax.set(xscale="log", yscale="log", xlabel=r"$m_\phi$ [GeV]",
           ylabel=r"$h_{e\mu}$ (chiral)")
    ax.legend(frameon=False)
    return fig


def decay_length():
    """c tau and the invisible branching fraction of phi versus h at m_phi = 0.3 GeV."""
    from leptoportal.decays import widths
    from leptoportal.model import Couplings, DarkSector, Portal

    hs = np.geomspace(1e-6, 1e-1, 40)
    ctau = [widths(Portal(0.3, Couplings.chiral(h)), None).ctau_m for h in hs]
    dark = DarkSector.default(0.3)
    br = [widths(Portal(0.3, Couplings.chiral(h)), dark).br_invisible for h in hs]
    fig, ax = _axes()
    ax.plot(hs, ctau, lw=2, color="#1d4ed8", label=r"$c\tau$, no dark sector")
    ax.set(xscale="log", yscale="log", xlabel=r"$h_{e\mu}$ (chiral), $m_\phi$ = 0.3 GeV",
           ylabel=r"$c\tau$ [m]")
    rax = ax.twinx()
    rax.plot(hs, br, "--", lw=2, color="#dc2626")
    rax.set_ylabel(r"Br($\phi\to\chi_2\bar\chi_1$), $\alpha_D$ = 0.1 (dashed)")
    ax.legend(frameon=False, loc="lower left")
    return fig


#: the channels of the WW/ETL comparison: (name, beam, energy, model, final lepton)
WW_CHANNELS = (("e- -> mu-", "e-", 100.0, "emu-chiral", "mu"),
               ("e- -> e-", "e-", 100.0, "ee-scalar", "e"),
               ("mu- -> e-", "mu-", 160.0, "emu-chiral", "e"))


@functools.cache
def ww_over_etl() -> list[tuple[str, float, float, float, float, float]]:
    """(channel, m_phi, sigma_ETL, its error, WW / ETL, IWW / ETL) on Pb for e- -> mu- (the
    e-mu portal) and e- -> e- (a scalar electron coupling) at 100 GeV and mu- -> e- at
    160 GeV."""
    from leptoportal.model import CouplingMatrix
    from leptoportal.numerics import Numerics
    from leptoportal.production import Process, sigma_etl, sigma_iww, sigma_ww

    rows = []
    for channel, beam, energy, model, final in WW_CHANNELS:
        for m in WW_MASSES:
            proc = Process(beam, energy, "Pb", m, CouplingMatrix.model(model, 1.0),
                           final_lepton=final)
            etl = sigma_etl(proc, Numerics(precision=0.01, cache=False, backend="numba"))
            with warnings.catch_warnings():  # WW's warnings: the table shows the ratios
                warnings.simplefilter("ignore")
                ww, iww = sigma_ww(proc).sigma_pb, sigma_iww(proc).sigma_pb
            rows.append((channel, m, etl.sigma_pb, etl.sigma_err_pb, ww / etl.sigma_pb,
                         iww / etl.sigma_pb))
    return rows


def ww_over_etl_range(channel: str, column: int = 4) -> tuple[float, float]:
    """The smallest and largest WW/ETL (``column`` 5: IWW/ETL) of a channel over
    WW_MASSES."""
    ratios = [r[column] for r in ww_over_etl() if r[0] == channel]
    return min(ratios), max(ratios)


#: the masses (GeV) of the width-prescription table (below, at and above the shower
#: positrons' peak of the NA64e electron-philic set-up, sqrt(2 m_e 71 GeV) = 0.27 GeV)
WIDTH_MASSES = (0.2, 0.27, 0.35)


def width_prescription_rows() -> list[tuple[float, float, float]]:
    """(m_phi, Gamma/M, fixed / running) of the shower positrons' invisible yield of
    na64e-2016-2022-ee (ee-scalar, h = 1e-4, alpha_D = 0.1)."""
    from leptoportal.experiments import get_preset
    from leptoportal.experiments.resonant import shower_positron_yield
    from leptoportal.model import CouplingMatrix, DarkSector
    from leptoportal.production.resonance import Resonance

    cfg = get_preset("na64e-2016-2022-ee")
    rows = []
    for m in WIDTH_MASSES:
        values = {}
        for width in ("running", "fixed"):
            res = Resonance("e+", m, CouplingMatrix.model("ee-scalar", 1e-4),
                            DarkSector.default(m), width=width)
            values[width] = shower_positron_yield(res, cfg.target, cfg.energy,
                                                  cfg.thickness_x0, cfg.e_conv_min,
                                                  "invisible")[0]
        rows.append((m, float(res.widths_at(m)["total"]) / m,
                     values["fixed"] / values["running"]))
    return rows


def width_table() -> str:
    lines = ["| m_phi [GeV] | Gamma / M | yield with a fixed width / running width |",
             "|---|---|---|"]
    lines += [f"| {m:g} | {g:.2%} | {r:.2f} |" for m, g, r in width_prescription_rows()]
    return "\n".join(lines)


def ww_table() -> str:
    """The WW/ETL table of the production page (computed at build time)."""
    lines = ["| channel | E0 [GeV] | m_phi [GeV] | sigma_ETL / h^2 [pb] | WW / ETL | IWW / ETL |",
             "|---|---|---|---|---|---|"]
    energy = {c[0]: c[2] for c in WW_CHANNELS}
    for channel, m, sigma, err, ww, iww in ww_over_etl():
        lines.append(f"| {channel} | {energy[channel]:g} | {m:g} | {sigma:.4g} +- {err:.2g} "
                     f"| {ww:.3f} | {iww:.3f} |")
    return "\n".join(lines) + "\n"


def production():
    """dsigma/dx at m_phi = 0.2 and 1 GeV (ETL), and WW/ETL versus m_phi for both channels."""
    import matplotlib.pyplot as plt

    from leptoportal.numerics import Numerics
    from leptoportal.production import Process, default_edges, spectra

    # constrained layout: the panels' titles and labels never overlap
    fig, (ax, rax) = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained")
    for m, colour in ((0.2, "#1d4ed8"), (1.0, "#dc2626")):
        proc = Process("e-", 100.0, "Pb", m)
        edges = {"x": default_edges(proc, "x", 25)}
        specs, total = spectra(proc, edges, n_events=40_000, numerics=Numerics(cache=False))
        sp = specs["x"]
        centres = 0.5 * (sp.edges[1:] + sp.edges[:-1])
        ax.errorbar(centres, sp.dsigma / total.sigma_pb, sp.dsigma_err / total.sigma_pb,
                    drawstyle="steps-mid", color=colour, label=rf"$m_\phi$ = {m:g} GeV")
    ax.set(yscale="log", xlabel=r"$x = E_\phi / E_0$", ylabel=r"$(1/\sigma)\,d\sigma/dx$",
           title="$e^-$Pb$\\to\\mu^-$Pb$\\bar\\phi$\n100 GeV (ETL)")
    ax.legend(frameon=False)
    for channel, style in (("e- -> mu-", "o-"), ("e- -> e-", "s--"), ("mu- -> e-", "^:")):
        rows = [r for r in ww_over_etl() if r[0] == channel]
        rax.errorbar([r[1] for r in rows], [r[4] for r in rows],
                     [r[4] * r[3] / r[2] for r in rows], fmt=style, label=channel)
    rax.axhline(1.0, color="gray", lw=1)
    rax.set(xscale="log", xlabel=r"$m_\phi$ [GeV]", ylabel="WW / ETL",
            title="Pb: $e^-$ 100 GeV\n$\\mu^-$ 160 GeV")
    rax.legend(frameon=False)
    return fig


def track_length():
    """Tsai's primary-electron track length in 40 X0 versus the energy fraction."""
    from scipy import integrate

    from leptoportal.experiments.tracklength import tsai_track_length_density

    u = np.linspace(0.02, 0.995, 120)  # E / E0
    fig, ax = _axes()
    for depth, style in ((1.0, ":"), (5.0, "--"), (40.0, "-")):
        dens = [integrate.quad(lambda t, v=v: float(tsai_track_length_density(1.0, v, t)),
                               0.0, depth, limit=200)[0] for v in u]
        ax.plot(u, dens, style, lw=2, label=f"target of {depth:g} $X_0$")
    ax.set(yscale="log", xlabel=r"$E / E_0$",
           ylabel=r"$E_0 \int_0^T dt\, I_e(E_0, E, t)$ [$X_0$]")
    ax.legend(frameon=False)
    return fig


def line_shape():
    """sigma(mu+ e- -> phibar) per electron at rest versus the beam energy at m = 0.418 GeV."""
    from leptoportal.model import Couplings, DarkSector
    from leptoportal.production.resonance import Resonance

    fig, ax = _axes()
    for alpha, style in ((0.1, "-"), (0.01, "--")):
        dark = DarkSector.from_alpha(0.418 / 3.0, alpha)
        res = Resonance("mu+", 0.418, Couplings.chiral(1e-3), dark)
        e_r, width = res.resonance_energy, res.width_in_beam_energy()
        e = np.linspace(e_r - 4 * width, e_r + 4 * width, 400)
        ax.plot(e, res.sigma_pb(e), style, lw=2,
                label=rf"$\alpha_D$ = {alpha:g}: $\Gamma_E$ = {width:.2g} GeV")
    ax.set(xlabel=r"$E_{\mu^+}$ [GeV]", ylabel=r"$\sigma$ per electron [pb]",
           title=r"$\mu^+e^-\to\bar\phi$, $m_\phi$ = 0.418 GeV, $h$ = $10^{-3}$")
    ax.legend(frameon=False)
    return fig


def upper_limits():
    """90% CL upper limits on the signal mean for n_obs = 0 and 3 versus the background."""
    from leptoportal import stats

    fig, ax = _axes()
    for n, colour in ((0, "#1d4ed8"), (3, "#dc2626")):
        for method, style in (("cls", "-"), ("classical", ":"), ("fc", "--")):
            b = np.linspace(0.0, 5.0, 6 if method == "fc" else 26)
            ax.plot(b, [stats.upper_limit(n, x, 0.9, method) for x in b], style,
                    color=colour, lw=2, label=f"n_obs = {n}, {method}")
    ax.set(xlabel="expected background b", ylabel="90% CL upper limit on s [events]")
    ax.legend(frameon=False, ncol=2, fontsize=9)
    return fig


def relic_density():
    """Omega h^2 versus h at m_phi = 0.3 GeV (benchmark dark sector), with Planck's value."""
    from leptoportal import relic
    from leptoportal.model import Couplings, DarkSector, Portal

    hs = np.geomspace(1e-4, 1e-2, 12)
    dark = DarkSector.default(0.3)
    omega = [relic.omega_h2(Portal(0.3, Couplings.chiral(h)), dark).omega_h2 for h in hs]
    fig, ax = _axes()
    ax.plot(hs, omega, "o-", lw=2, color="#1d4ed8", label=r"$m_\phi$ = 0.3 GeV, "
            r"$\alpha_D$ = 0.1, $m_\chi = m_\phi/3$")
    ax.axhline(relic.OMEGA_H2_PLANCK, color="#dc2626", label="Planck 2018: 0.120")
    ax.set(xscale="log", yscale="log", xlabel=r"$h_{e\mu}$ (chiral)",
           ylabel=r"$\Omega_\chi h^2$")
    ax.legend(frameon=False)
    return fig


def events():
    """x = E_phi / E0 of 5000 unweighted events against dsigma/dx of the integrator."""
    from leptoportal import generate as gen
    from leptoportal.numerics import Numerics
    from leptoportal.production import Process, default_edges, spectra

    proc = Process("e-", 100.0, "Pb", 0.5)
    sample = gen.generate(proc, 5000, seed=3)
    edges = default_edges(proc, "x", 20)
    specs, total = spectra(proc, {"x": edges}, n_events=60_000, numerics=Numerics(seed=5,
                                                                                  cache=False))
    sp = specs["x"]
    counts, _ = np.histogram(sample.phi[:, 0] / proc.energy, bins=edges)
    width = np.diff(edges)
    fig, ax = _axes()
    ax.errorbar(0.5 * (edges[1:] + edges[:-1]), counts / (len(sample) * width),
                np.sqrt(counts) / (len(sample) * width), fmt="o", color="black",
                label="5000 unweighted events")
    ax.step(edges[:-1], sp.dsigma / total.sigma_pb, where="post", color="#1d4ed8",
            label=r"$(1/\sigma)\,d\sigma/dx$ (weighted)")
    ax.set(xlabel=r"$x = E_\phi/E_0$", ylabel="density",
           title=r"$e^-$Pb$\to\mu^-$Pb$\bar\phi$, 100 GeV, $m_\phi$ = 0.5 GeV")
    ax.legend(frameon=False)
    return fig


def electron_motion():
    """The resonant yield of a monochromatic 160 GeV mu+ on 40 X0 of lead versus m_phi for
    the three models of the target electrons (narrow line)."""
    from leptoportal.experiments.resonant import resonant_yield
    from leptoportal.model import Couplings
    from leptoportal.production.resonance import Resonance

    masses = np.unique(np.concatenate([np.linspace(0.30, 0.55, 120),
                                       np.linspace(0.414, 0.421, 40)]))
    fig, ax = _axes()
    for motion, style in (("rest", ":"), ("shells", "--"), ("compton", "-")):
        ys = [resonant_yield(Resonance("mu+", m, Couplings.chiral(1e-3), None), "Pb", 160.0,
                             40.0, 0.0, "all", motion) for m in masses]
        ax.plot(masses, ys, style, lw=2, label=motion)
    ax.set(yscale="log", ylim=(1e-9, None), xlabel=r"$m_\phi$ [GeV]",
           ylabel=r"$\phi$ per $\mu^+$ ($h = 10^{-3}$, no dark sector)",
           title=r"$\mu^+ e^-\to\bar\phi$: 160 GeV, 40 $X_0$ Pb, monochromatic")
    ax.legend(frameon=False, title="target electrons")
    return fig


def shower_track_length():
    """e+- track lengths per GeV of 100 GeV electron showers in lead against Approximation A."""
    from leptoportal.experiments.cascade import shower_track_lengths

    t = shower_track_lengths("Pb", 100.0, 40.0, n_showers=3000, e_min=0.3, seed=1)
    centres = np.sqrt(t.edges[1:] * t.edges[:-1])
    fig, ax = _axes()
    ax.plot(centres, t.positron + t.electron, lw=2, label=r"$e^+ + e^-$ (cascade MC)")
    ax.plot(centres, t.positron, lw=2, label=r"$e^+$")
    ax.plot(centres, 0.437 * 100.0 / centres**2, "k--", lw=1,
            label=r"Approximation A: $0.437\,E_0/E^2$")
    ax.axvline(50.0, color="gray", ls=":", lw=1)
    ax.set(xscale="log", yscale="log", xlabel=r"$E$ [GeV]",
           ylabel=r"track length [$X_0$/GeV]", title=r"100 GeV $e^-$ on 40 $X_0$ Pb")
    ax.legend(frameon=False)
    return fig


def lfv_bounds():
    """The largest h allowed by charged-LFV decays for two coupling matrices, with the muon
    g-2 band of the first."""
    from leptoportal.g2 import coupling_band
    from leptoportal.lfv import lfv
    from leptoportal.model import CouplingMatrix, DarkSector

    masses = np.geomspace(0.107, 3.0, 40)
    fig, ax = _axes()
    mumu_emu = CouplingMatrix.model("mumu-emu")
    bands = [coupling_band(m, "fnal2021", mumu_emu) for m in masses]
    ax.fill_between(masses, [b.h_2sigma_lo for b in bands], [b.h_2sigma_hi for b in bands],
                    color="#fde68a", label=r"$(g-2)_\mu$ 2$\sigma$, mumu-emu")
    mutau = CouplingMatrix.from_mapping({"mu-mu": {"cs": 1.0}, "mu-tau": {"cs": 1e-2}})
    for matrix, name, style in ((mumu_emu, r"mumu-emu ($\mu\to e\gamma$)", "-"),
                                (mutau, r"$\mu\mu$ + $10^{-2}\,\mu\tau$ ($\tau$ decays)",
                                 "--")):
        h = [lfv(m, matrix, 1.0, DarkSector.default(m)).h_limit for m in masses]
        ax.plot(masses, [np.nan if x is None else x for x in h], style, lw=2, color="#dc2626"
                if style == "-" else "#1d4ed8", label=name)
    ax.set(xscale="log", yscale="log", xlabel=r"$m_\phi$ [GeV]",
           ylabel=r"largest $g_\mu$ allowed (90% CL; 95% for $\tau\to\mu$ + inv.)")
    ax.legend(frameon=False, fontsize=9)
    return fig


def constraints_plane():
    """Every bound on the paper's e-mu model (chiral, real couplings) from 2 MeV, drawn as
    the reproduction's figure 7."""
    from leptoportal.constraints import CONSTRAINTS, evaluate
    from leptoportal.model import CouplingMatrix, DarkSector, ModelPoint
    from leptoportal.reproduce.compute import ConstraintsPlane
    from leptoportal.reproduce.figures import constraints_plane as draw
    from leptoportal.reproduce.grids import PLANES

    masses = sorted({*np.geomspace(0.002, 3.0, 24), 0.0796, 0.0804, 0.1062})
    matrix = CouplingMatrix.model("emu-chiral")
    bounds: dict = {}
    combined = []
    for m in masses:
        found = [b for b in evaluate(ModelPoint(m, matrix, 1.0, DarkSector.default(m),
                                                open_lepton_decays=True))
                 if b.status == "bound" and b.h_limit is not None]
        for b in found:
            bounds.setdefault(b.name, []).append((m, b.h_limit))
        best = min(((b.h_limit, b.name) for b in found if b.combined), default=None)
        if best:
            combined.append((m, *best))
    about = {n: (CONSTRAINTS[n].measurement.quantity, CONSTRAINTS[n].measurement.experiment,
                 CONSTRAINTS[n].measurement.cl, CONSTRAINTS[n].combined) for n in bounds}
    return draw(ConstraintsPlane(masses, bounds, about, {}, combined), PLANES["emu-chiral"])


#: name -> (function, alt text)
FIGURES = {
    "g2-per-coupling": (g2_per_coupling, "Delta a_mu per coupling squared for three models"),
    "g2-band": (g2_band, "The muon g-2 coupling band"),
    "decay-length": (decay_length, "Decay length and invisible branching fraction"),
    "production": (production, "dsigma/dx and WW/ETL"),
    "track-length": (track_length, "Tsai's track-length spectrum"),
    "line-shape": (line_shape, "The resonance line shape"),
    "upper-limits": (upper_limits, "Poisson upper limits"),
    "relic-density": (relic_density, "Omega h^2 versus the coupling"),
    "events": (events, "Unweighted events against the differential cross-section"),
    "electron-motion": (electron_motion, "Resonant yield for three models of the electrons"),
    "shower-track-length": (shower_track_length, "Track length of shower positrons"),
    "lfv-bounds": (lfv_bounds, "Upper limits on the coupling from charged-lepton decays"),
    "constraints-plane": (constraints_plane, "Every bound on the e-mu model in the plane"),
}


def figure_html(name: str) -> str:
    """An inline <img> of a figure (with its caption as alt text)."""
    draw, alt = FIGURES[name]
    return (f'<img class="lp-figure" alt="{alt}" '
            f'src="data:image/png;base64,{png_data(draw())}">')


__all__ = ["FIGURES", "WIDTH_MASSES", "WW_CHANNELS", "WW_MASSES", "figure_html",
           "width_prescription_rows", "width_table", "ww_over_etl", "ww_over_etl_range",
           "ww_table"]

