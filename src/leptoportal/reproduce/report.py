"""The report of a reproduction run (Markdown and self-contained HTML)."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptoportal import __version__, g2
from leptoportal import experiments as ex
from leptoportal.model import DEFAULT_ALPHA_DARK, DEFAULT_MASS_RATIO, DEFAULT_MODEL
from leptoportal.outputs import atomic_write_text, render_html, render_markdown
from leptoportal.reproduce.grids import PLANES, Grids, PlaneSpec
from leptoportal.reproduce.tables import preset_rows

if TYPE_CHECKING:
    from leptoportal.experiments.presets import ExperimentConfig


def package_versions() -> dict[str, str]:
    out = {"leptoportal": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "vegas", "particle", "pyhf", "matplotlib", "mplhep", "dask"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "?"
    return out


def write_report(out: Path, summary: dict[str, Any], tables: list[dict[str, Any]],
                 figures: list[dict[str, Any]], timings: dict[str, float], grids: Grids,
                 fast: bool, spec: PlaneSpec = PLANES[DEFAULT_MODEL]) -> None:
    """Write report.md and report.html (figures embedded) into ``out``."""
    excl = ex.get_preset(spec.experiments[0])
    mode = "--fast (smoke test grids)" if fast else "default grids"
    blocks: list[tuple[str, object]] = []
    if spec.model == DEFAULT_MODEL:
        blocks.append(("h1", "leptoportal: reproduction of Gninenko & Krasnikov, "
                       "arXiv:2202.04410"))
        blocks.append(("p", "Leptonic scalar portal L = phi mubar (C_S + C_P g5) e + h.c. with "
                       "the chiral benchmark C_S = C_P = h_emu/2, a dark sector of two Dirac "
                       f"fermions (m_phi = {DEFAULT_MASS_RATIO:g} m_chi, alpha_D = "
                       f"{DEFAULT_ALPHA_DARK:g}) and the NA64 2016-2018 data. Run mode: "
                       f"{mode}."))
    else:
        blocks.append(("h1", f"leptoportal: the (m_phi, h) plane of the {spec.model} model"))
        blocks.append(("p", f"Coupling matrix {spec.model} (leptoportal.model.MODELS, "
                       "MATRIX_MODELS) "
                       "normalised to h, a dark sector of two Dirac fermions (m_phi = "
                       f"{DEFAULT_MASS_RATIO:g} m_chi, alpha_D = {DEFAULT_ALPHA_DARK:g}); "
                       f"experiments {', '.join(spec.experiments)}. Run mode: {mode}."))
    blocks.append(("h2", "Results summary"))
    blocks.append(("p", f"{excl.name}: CLs, n_obs = {excl.n_obs}, b = {excl.background:g}, "
                   f"efficiency {_efficiency_text(excl)}, Br_inv from alpha_D = "
                   f"{DEFAULT_ALPHA_DARK:g}; g-2 band of the fnal2021 dataset."))
    sentences = summary_sentences(summary, spec)
    blocks.append(("p", sentences[0]))
    if summary.get("clfv_excluded"):
        blocks.append(("p", sentences[1] + " The bound is the branching ratio of the "
                       "rare decay computed from the coupling matrix (one loop for l -> l' "
                       "gamma, tree level for l -> 3l') against the experiments' 90% CL "
                       "limits (leptoportal.lfv, data/lfv_limits.csv)."))
    blocks.append(("p", f"This result rests on these inputs of {excl.name}, which are "
                   "assumptions, not measurements of the paper:"))
    blocks.append(("ul", list(excl.assumptions)))
    if spec.model == DEFAULT_MODEL:
        rng = summary["excluded"]
        consistent = bool(rng["part_2sigma"]) and not rng["central"]
        blocks.append(("h3", "What was compared with the paper, and how"))
        blocks.append(("p", "We have the abstract of arXiv:2202.04410, not its text, figures or "
                       "tables, so no number of the paper is compared here. Its abstract makes "
                       "two statements that this run can test: (1) attributing the NA64 "
                       "2016-2018 events to background sets first constraints on the phi mass "
                       "and couplings; (2) a large fraction of the g-2-favoured parameter space "
                       "remains open. With the inputs above, this run's exclusion "
                       + ("reaches part of the g-2 band and leaves its central coupling open: "
                          "consistent with both statements (qualitatively)." if consistent
                          else "does not match both statements: see the ranges above and the "
                          "assumptions that drive them.")))
    if "relic" in summary:
        blocks.append(("p", f"Thermal target at m_phi = {summary['relic']['m_phi']} GeV: "
                       f"h_emu = {summary['relic']['h_relic']:.3g} gives Omega h^2 = 0.120."))
    if summary.get("annihilation_reach"):
        blocks.append(("p", _annihilation_sentence(summary["annihilation_reach"])))
    if "xsec_comparison" in summary:
        rows = [["m_phi [GeV]", "ETL [pb]", "WW/ETL", "IWW/ETL"]]
        for r in summary["xsec_comparison"]:
            rows.append([f"{r['m_phi']:.3g}",
                         f"{r['sigma_etl_pb']:.4g} +- {r['sigma_etl_err_pb']:.2g}",
                         f"{r['sigma_ww_pb'] / r['sigma_etl_pb']:.3f}",
                         f"{r['sigma_iww_pb'] / r['sigma_etl_pb']:.3f}"])
        blocks.append(("table", rows))
    blocks.append(("h2", "Figures"))
    blocks.append(("p", "Our figures and what they are in the paper (we have its abstract, not "
                   "its figure numbering: the correspondence is by content):"))
    blocks.append(("table", [["figure", "file", "in arXiv:2202.04410"]]
                   + [[str(f["number"]), f"figures/{f['name']}.png / .pdf", f["paper"]]
                      for f in figures]))
    for f in figures:
        blocks.append(("img", f))
    blocks.append(("h2", "Inputs and their sources"))
    ds_rows = [["dataset", "Delta a", "sigma", "a(exp)", "a(SM)"]]
    for d in list(g2.MUON_DATASETS.values()) + list(g2.ELECTRON_DATASETS.values()):
        ds_rows.append([d.name, f"{d.delta:.3g}", f"{d.sigma:.3g}", d.a_exp, d.a_sm])
    blocks.append(("table", ds_rows))
    blocks.append(("table", preset_rows()))
    blocks.append(("h2", "Assumptions"))
    assumptions = [
        "ETL cross-sections: full 2 -> 3 tree-level |M|^2 with the elastic screened form factor "
        "(Tsai 1974; Bjorken et al. 2009); the helm and inelastic variants give the "
        "form-factor systematic (`leptoportal xsec --ff-systematic`).",
        "Thick-target yields use Tsai's primary-electron track length; shower secondaries "
        "are neglected (the NA64 selection needs E_conv > E0/2).",
        "Br_inv from the widths with the benchmark dark sector; phi decays promptly.",
        "Electron g-2 limits: the portal shift may not exceed max(0, sign*Delta) + "
        f"{g2.one_sided_z(0.9):.2f} sigma.",
        "Relic density: Maxwell-Boltzmann statistics, co-annihilation of chi1, chi2 and "
        "antiparticles, running-width Breit-Wigner, Omega h^2 = 2.755e8 m Y0; the spread "
        "between g* tables is the equation-of-state systematic.",
    ]
    for n in ex.preset_names():
        for a in ex.get_preset(n).assumptions:
            assumptions.append(f"{n}: {a}")
    blocks.append(("ul", assumptions))
    blocks.append(("h2", "Tables"))
    blocks.append(("p", "Every table as CSV in tables/ and as a validated HEPData submission "
                   "in hepdata/ (submission.yaml and one YAML per table; the archive "
                   "submission.tar.gz to upload)."))
    blocks.append(("ul", [f"tables/{t['name']}.csv: {t['title']} ({t['rows']} rows)"
                          for t in tables]))
    blocks.append(("h2", "Run"))
    blocks.append(("table", [["stage", "wall time [s]"]] +
                   [[k, f"{v:.1f}"] for k, v in timings.items()]))
    blocks.append(("table", [["package", "version"]]
                   + [[k, v] for k, v in package_versions().items()]))
    blocks.append(("p", "Grids: " + grids.describe() + "."))
    atomic_write_text(out / "report.md", render_markdown(blocks))
    atomic_write_text(out / "report.html", render_html(blocks, out))


def summary_sentences(summary: dict[str, Any], spec: PlaneSpec = PLANES[DEFAULT_MODEL]
                      ) -> list[str]:
    """The results of a run in a few sentences with rounded numbers (printed by the
    ``reproduce`` command and opening the report's summary)."""
    out = [_excluded_sentence(spec.experiments[0], summary["excluded"])]
    if summary.get("clfv_excluded"):
        rng = summary["clfv_excluded"]
        out.append(_excluded_sentence(" and ".join(rng["channels"]), rng))
    if "relic" in summary:
        out.append(f"Thermal target at m_phi = {summary['relic']['m_phi']:g} GeV: "
                   f"h = {summary['relic']['h_relic']:.2g} gives Omega h^2 = 0.120.")
    if summary.get("annihilation_reach"):
        out.append(_annihilation_sentence(summary["annihilation_reach"]))
    t = summary.get("timings_s", {})
    if "total" in t:
        out.append(f"Run time {t['total']:.0f} s.")
    return out


def _excluded_sentence(name: str, rng: dict[str, Any]) -> str:
    """Where ``name`` (90% CL) excludes the central g-2 coupling, the whole or part of the
    2 sigma band."""
    labels = (("central", "the central muon g-2 coupling"),
              ("whole_2sigma", "the whole g-2 2 sigma band"),
              ("part_2sigma", "part of the g-2 2 sigma band"))
    where = [f"{text} for m_phi in {_ranges(rng[key])} GeV" for key, text in labels
             if rng[key]]
    nowhere = [text for key, text in labels if not rng[key]]
    sentence = f"{name} (90% CL) excludes " + ("; ".join(where) if where else "nothing")
    if where and nowhere:
        sentence += "; " + " and ".join(nowhere) + " nowhere"
    return sentence + "."


def _annihilation_sentence(reach: dict[str, Any]) -> str:
    parts = [f"h = {h:.2g} at m_phi = {m:.3g} GeV ({label})"
             for key, label in (("na64mu-plus", "160 GeV mu+"),
                                ("na64mu-plus-scan", "beam-energy scan"))
             if key in reach for m, h in [reach[key]]]
    return ("The annihilation mu+ e- -> phibar on atomic electrons (projections, zero "
            "background), best sensitivity: "
            + "; ".join(parts) + ".")


def _efficiency_text(cfg: ExperimentConfig) -> str:
    eff = cfg.efficiency
    return f"{eff:g}" if isinstance(eff, float) else "depending on m_phi"


def _ranges(rs: list[Any]) -> str:
    if not rs:
        return "no mass range"
    return ", ".join(f"{a:.3g}-{b:.3g}" for a, b in rs)


__all__ = [
    "package_versions", "summary_sentences", "write_report",
]


def __dir__() -> list[str]:
    return __all__
