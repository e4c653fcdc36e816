"""Tables of a reproduction run: every curve as CSV (tables/) and as a HEPData submission
(hepdata/, made with hepdata_lib and validated by hepdata-validator).

A CSV column is named by the package's JSON naming rule (GeV implicit, other units as a
suffix; `leptoportal.cli.schemas`) and its comment lines give the title, the figure, the
units and the inputs. In the HEPData submission every table has its location (the figure of
this reproduction, and what it corresponds to in arXiv:2202.04410), keywords (reactions,
observables, centre-of-mass energies per nucleon, phrases), variables with LaTeX names and
units, Monte-Carlo errors as symmetric uncertainties and bands (the g-2 coupling band) as a
central value with asymmetric 1 sigma and 2 sigma uncertainties; the figure's image and
thumbnail are attached to each table and the submission is linked to the paper (its arXiv
record) and to the package's version.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leptoportal import experiments as ex
from leptoportal import g2
from leptoportal.constants import M_P
from leptoportal.model import DEFAULT_ALPHA_DARK, DEFAULT_MASS_RATIO, DEFAULT_MODEL
from leptoportal.outputs import atomic_write_text
from leptoportal.reproduce.compute import AnnihilationReach, PlaneData, RelicCurve
from leptoportal.reproduce.grids import FIGURES, PLANES, XSEC_SETUP, PlaneSpec

if TYPE_CHECKING:
    from leptoportal.reproduce.compute import ConstraintsPlane, ShowerReach

#: significant digits of the HEPData values (the CSV tables keep 8 too)
DIGITS = 8
#: the paper this reproduction belongs to
PAPER = "arXiv:2202.04410"
PAPER_URL = "https://arxiv.org/abs/2202.04410"


@dataclass(frozen=True)
class Column:
    """A column: its key (CSV header and JSON naming rule), LaTeX-capable label and unit;
    ``error_of``: the key of the column whose Monte-Carlo error this one is."""

    key: str
    label: str
    unit: str = ""
    error_of: str | None = None


@dataclass(frozen=True)
class Band:
    """A value with an asymmetric uncertainty given by the interval [lo, hi] (column keys)."""

    label: str
    lo: str
    hi: str


@dataclass
class Table:
    """One table: its rows, the figure it belongs to and what HEPData needs to find it."""

    name: str
    title: str
    figure: str
    columns: list[Column]
    rows: list[list[Any]]
    inputs: dict[str, Any]
    keywords: dict[str, list[Any]]
    bins: list[tuple[float, float]] | None = None
    #: column key -> the bands around it (their columns are uncertainties, not variables)
    bands: dict[str, list[Band]] = field(default_factory=dict)


M_PHI = Column("m_phi", r"$m_{\phi}$", "GeV")


def _num(v: Any) -> str:
    if v is None:
        return ""
    return f"{float(v):.8g}"


def _finite(v: Any) -> bool:
    return v is not None and math.isfinite(float(v))


def location(figure: str) -> str:
    """Where a table belongs: the figure of this reproduction and what it is in the paper."""
    fig = FIGURES[figure]
    return (f"Figure {fig.number} ({fig.stem}) of the leptoportal reproduction of {PAPER}: "
            f"{fig.paper}")[:256]


def reaction(beam: str, target: str | dict[str, Any], final: str | None, scalar: str) -> str:
    """A reaction in HEPData's words: ``E- PB --> MU- PB PHIBAR``."""
    name = {"phi (real)": "PHI"}.get(scalar, scalar.upper())
    def up(p: str) -> str:
        return p.upper()
    if final is None:  # resonance on an atomic electron
        return f"{up(beam)} E- --> {name}"
    from leptoportal.production import get_material

    nucleus = target if isinstance(target, str) else get_material(target).name
    return f"{up(beam)} {up(nucleus)} --> {up(final)} {up(nucleus)} {name}"


def cm_energy(beam_energy: float, m_lepton: float) -> float:
    """sqrt(s) per nucleon (GeV) of a lepton of ``beam_energy`` on a nucleon at rest."""
    return round(math.sqrt(m_lepton**2 + M_P**2 + 2.0 * beam_energy * M_P), 2)


def conversion_keywords(beam: str, energy: float, target: str | dict[str, Any], model: str,
                        observables: list[str], phrases: list[str]) -> dict[str, list[Any]]:
    """Keywords of a conversion l N -> l' N phi: reactions of every flavour the model
    produces, the centre-of-mass energy per nucleon, observables and phrases."""
    from leptoportal.constants import LEPTON_MASS
    from leptoportal.model import CouplingMatrix
    from leptoportal.production import BEAMS, Process, get_target

    flavour = BEAMS[beam][0]
    matrix = CouplingMatrix.model(model, 1.0)
    reactions = []
    for (i, j), _ in matrix.nonzero():
        if flavour not in (i, j):
            continue
        final = j if i == flavour else i
        proc = Process(beam, energy, get_target("Pb"), max(0.3, matrix.m_phi_min() + 0.1), matrix,
                       final_lepton=final)
        reactions.append(reaction(beam, target, proc.out_lepton, proc.scalar))
    return {"reactions": reactions, "observables": observables,
            "cmenergies": [cm_energy(energy, LEPTON_MASS[flavour])],
            "phrases": [f"Beam energy {energy:g} GeV", *phrases]}


#: phrases of every table
PHRASES = ["Leptonic scalar portal", "Lepton flavour violation", "Dark matter",
           "Fixed target"]


class TableWriter:
    """Writes tables/<name>.csv, collects the same tables for a HEPData submission
    (`write_hepdata()` writes and validates it) and remembers what it wrote."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.directory = self.out / "tables"
        self.hepdata_directory = self.out / "hepdata"
        self.written: list[dict[str, Any]] = []
        self._tables: list[Table] = []

    def add(self, table: Table) -> None:
        """Write a table's CSV and keep it for the submission."""
        fig = FIGURES[table.figure]
        units = ", ".join(f"{c.key} {c.unit}" for c in table.columns if c.unit)
        header = [f"# {table.title}", f"# figure {fig.number} ({fig.stem})"]
        header += [f"# units: {units}"] if units else []
        header += [f"# {k}: {v}" for k, v in table.inputs.items()]
        lines = header + [",".join(c.key for c in table.columns)]
        lines += [",".join(_num(v) for v in r) for r in table.rows]
        atomic_write_text(self.directory / f"{table.name}.csv", "\n".join(lines) + "\n")
        self._tables.append(table)
        self.written.append({"name": table.name, "title": table.title,
                             "rows": len(table.rows), "figure": fig.number})

    def write_hepdata(self, report: Path | None = None) -> Path:
        """The HEPData submission of every table (hepdata/: submission.yaml, one YAML per
        table and the figures' images; the archive submission.tar.gz beside it), validated by
        hepdata-validator; the run's ``report`` (version, inputs, assumptions) is attached to
        it. Returns its directory."""
        from hepdata_lib import Submission

        from leptoportal import __version__

        sub = Submission()
        sub.comment = (f"leptoportal {__version__} reproduction of Gninenko & Krasnikov, "
                       f"'Leptonic scalar portal: Origin of muon g-2 anomaly and dark matter?', "
                       f"{PAPER}, and its extensions. Every table also as CSV in tables/.")
        sub.add_link(f"The paper this record reproduces: {PAPER}", PAPER_URL)
        if report is not None:
            sub.add_additional_resource(f"Report of the run: leptoportal {__version__}, every "
                                        "input number and assumption", str(report),
                                        copy_file=True)
        sub.record_ids.append({"id": PAPER.split(":")[1], "type": "arXiv"})
        images = self._images()
        copied: set[str] = set()  # each image is copied into the submission once
        for t in self._tables:
            sub.add_table(self._hepdata_table(t, images.get(t.figure), t.figure not in copied))
            copied.add(t.figure)
        _write_submission(sub, self.hepdata_directory)
        return self.hepdata_directory

    def _images(self) -> dict[str, tuple[Path, Path]]:
        """(image, thumbnail) of each drawn figure (the thumbnails are drawn with the figures,
        `leptoportal.reproduce.style.save_figure()`: hepdata_lib's own need
        ImageMagick)."""
        out = {}
        for key, fig in FIGURES.items():
            png = self.out / "figures" / f"{fig.stem}.png"
            thumb = self.out / "figures" / f"thumb_{fig.stem}.png"
            if png.is_file() and thumb.is_file():
                out[key] = (png, thumb)
        return out

    @staticmethod
    def _hepdata_table(t: Table, images: tuple[Path, Path] | None, copy: bool = True) -> Any:
        from hepdata_lib import Table as HepTable
        from hepdata_lib import Uncertainty, Variable

        # HEPData has no infinite values: rows without a finite limit stay in the CSV only
        keep = [i for i, r in enumerate(t.rows) if all(_finite(v) for v in r)]
        rows = [t.rows[i] for i in keep]
        table = HepTable(t.name)
        table.description = t.title
        table.location = location(t.figure)
        table.keywords = {k: v for k, v in t.keywords.items() if v}
        if images is not None:
            for what, path in zip(("Image file", "Thumbnail image file"), images,
                                  strict=True):
                table.add_additional_resource(what, str(path) if copy else path.name,
                                              copy_file=copy)
        keys = [c.key for c in t.columns]
        errors = {c.error_of: keys.index(c.key) for c in t.columns if c.error_of}
        x = Variable(t.columns[0].label, is_independent=True, is_binned=t.bins is not None,
                     units=t.columns[0].unit)
        x.digits = DIGITS
        x.values = ([t.bins[i] for i in keep] if t.bins is not None
                    else [float(r[0]) for r in rows])
        table.add_variable(x)
        in_bands = {c for bands in t.bands.values() for b in bands for c in (b.lo, b.hi)}
        for j, col in enumerate(t.columns[1:], start=1):
            if col.error_of or col.key in in_bands:
                continue
            y = Variable(col.label, is_independent=False, is_binned=False, units=col.unit,
                         zero_uncertainties_warning=False)
            y.digits = DIGITS
            y.values = [float(r[j]) for r in rows]
            for k, v in t.inputs.items():
                y.add_qualifier(str(k), str(v))
            if col.key in errors:
                err = Uncertainty("Monte Carlo", is_symmetric=True)
                err.values = [float(r[errors[col.key]]) for r in rows]
                y.add_uncertainty(err)
            for band in t.bands.get(col.key, []):
                unc = Uncertainty(band.label, is_symmetric=False)
                lo, hi = keys.index(band.lo), keys.index(band.hi)
                unc.set_values_from_intervals([(float(r[lo]), float(r[hi])) for r in rows],
                                              y.values)
                y.add_uncertainty(unc)
            table.add_variable(y)
        return table


def _write_submission(sub: Any, directory: Path) -> None:
    """Write the hepdata_lib ``sub`` into ``directory`` (replaced) and its archive
    submission.tar.gz beside it, validated by hepdata-validator.

    The steps of hepdata_lib's ``Submission.create_files`` through its public parts (the
    submission.yaml of `Submission.get_license` and the record's fields, each table's
    ``write_output`` and ``copy_files``), except for the archive: ``create_files`` writes
    it into the working directory, which the package never changes, so it is written here
    beside ``directory``, atomically, each file once, after hepdata-validator has accepted
    the directory.
    """
    import shutil
    import tarfile

    import yaml
    from hepdata_validator.full_submission_validator import FullSubmissionValidator

    from leptoportal.errors import OutputError
    from leptoportal.outputs import atomic_output

    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    record = {"data_license": sub.get_license(), "comment": sub.comment}
    for key, value in (("related_to_hepdata_records", sub.related_records),
                       ("additional_resources", sub.additional_resources),
                       ("record_ids", sub.record_ids)):
        if value:
            record[key] = value
    with open(directory / "submission.yaml", "w", encoding="utf-8") as f:
        yaml.dump(record, f, default_flow_style=False, explicit_start=True)
    for table in sub.tables:
        table.write_output(str(directory))
        table.copy_files(str(directory))
    sub.copy_files(str(directory))
    validator = FullSubmissionValidator()
    if not validator.validate(directory=str(directory)):
        problems = "; ".join(f"{Path(name).name}: {m.message}" for name, messages in
                             validator.get_messages().items() for m in messages)
        raise OutputError(f"the HEPData submission {directory} is not valid: {problems}")
    with atomic_output(directory.parent / "submission.tar.gz", ".tar.gz") as tmp, \
            tarfile.open(tmp, "w:gz") as tar:
        for path in sorted(directory.iterdir()):
            tar.add(path, arcname=path.name)


def dataset_label(name: str) -> str:
    """'251(59)e-11' style label of a muon g-2 dataset, from its numbers."""
    ds = g2.get_dataset(name, "mu")
    return f"{ds.delta / 1e-11:.4g}({ds.sigma / 1e-11:.4g})e-11"


def _g2_keywords() -> dict[str, list[Any]]:
    return {"observables": ["G-2"], "phrases": ["Muon anomalous magnetic moment", *PHRASES]}


def plane_tables(tw: TableWriter, data: PlaneData,
                 spec: PlaneSpec = PLANES[DEFAULT_MODEL]) -> None:
    """The curves of the (m_phi, h) plane (bands and electron limits where the model has
    them)."""
    m = data.masses
    coupling = "chiral" if spec.model == DEFAULT_MODEL else spec.model
    h = r"$h$"
    if data.bands:
        one = Band("1 sigma of Delta a_mu", "h_1sigma_lo", "h_1sigma_hi")
        two = Band("2 sigma of Delta a_mu", "h_2sigma_lo", "h_2sigma_hi")
        b21 = data.bands["fnal2021"]
        tw.add(Table(
            "fig1_g2_band_fnal2021", f"Coupling explaining the muon g-2, fnal2021 ({coupling})",
            "plane", [M_PHI, Column("h_central", h + r" (central $\Delta a_\mu$)"),
                      Column("h_1sigma_lo", h + r" ($1\sigma$ low)"),
                      Column("h_1sigma_hi", h + r" ($1\sigma$ high)"),
                      Column("h_2sigma_lo", h + r" ($2\sigma$ low)"),
                      Column("h_2sigma_hi", h + r" ($2\sigma$ high)")],
            [[x, b.h_central, b.h_1sigma_lo, b.h_1sigma_hi, b.h_2sigma_lo, b.h_2sigma_hi]
             for x, b in zip(m, b21, strict=True)],
            {"dataset": "fnal2021", "delta_a_mu": dataset_label("fnal2021"),
             "coupling": coupling}, _g2_keywords(), bands={"h_central": [one, two]}))
        b23 = data.bands["fnal2023"]
        tw.add(Table(
            "fig1_g2_band_fnal2023", f"Coupling explaining the muon g-2, fnal2023 ({coupling})",
            "plane", [M_PHI, Column("h_central", h + r" (central $\Delta a_\mu$)"),
                      Column("h_1sigma_lo", h + r" ($1\sigma$ low)"),
                      Column("h_1sigma_hi", h + r" ($1\sigma$ high)")],
            [[x, b.h_central, b.h_1sigma_lo, b.h_1sigma_hi]
             for x, b in zip(m, b23, strict=True)],
            {"dataset": "fnal2023", "delta_a_mu": dataset_label("fnal2023"),
             "coupling": coupling}, _g2_keywords(), bands={"h_central": [one]}))
        b25 = data.bands["fnal2025"]
        tw.add(Table(
            "fig1_g2_limit_fnal2025", f"Muon g-2: 90% CL upper limit on h, fnal2025 "
            f"({coupling})", "plane", [M_PHI, Column("h_upper", h + " (90% CL upper limit)")],
            [[x, b.h_upper] for x, b in zip(m, b25, strict=True)],
            {"dataset": "fnal2025", "delta_a_mu": dataset_label("fnal2025"),
             "coupling": coupling, "cl": 0.9}, _g2_keywords()))
    ae = data.electron_limits
    if ae:
        tw.add(Table(
            "fig1_electron_g2", f"Electron g-2: 90% CL upper limits on h ({coupling})",
            "plane", [M_PHI, Column("h_max_cs2018", h + r" ($a_e$, Cs 2018)"),
                      Column("h_max_rb2020", h + r" ($a_e$, Rb 2020)")],
            [[x, a, b] for x, a, b in zip(m, ae["cs2018"], ae["rb2020"], strict=True)],
            {"rule": "conservative one-sided, see leptoportal.g2", "cl": 0.9},
            {"observables": ["G-2"], "phrases": ["Electron anomalous magnetic moment",
                                                 *PHRASES]}))
    for name, pts in data.limits.items():
        cfg = ex.get_preset(name)
        what = "exclusion" if name == spec.experiments[0] else "limit or sensitivity"
        tw.add(Table(
            f"fig1_limit_{name}", f"{name}: 90% CL {what} on h", "plane",
            [M_PHI, Column("h_limit", h + " (90% CL upper limit)"),
             Column("h_limit_err", h + " Monte-Carlo error", error_of="h_limit")],
            [list(p) for p in pts],
            {"experiment": name, "method": "cls", "cl": 0.9, "coupling": coupling,
             "alpha_dark": DEFAULT_ALPHA_DARK, "ratio": DEFAULT_MASS_RATIO},
            conversion_keywords(cfg.beam, cfg.energy, cfg.target, spec.model, ["CLS"],
                                ["Missing energy", "Exclusion limit" if not cfg.projection
                                 else "Projected sensitivity", *PHRASES])))
    if data.clfv:
        from leptoportal.lfv import REACTIONS, experimental_limits

        limits = experimental_limits()
        channels = sorted({p[2] for p in data.clfv})
        tw.add(Table(
            "fig1_clfv_limit", f"Charged lepton flavour violation: 90% CL upper limit on h "
            f"({coupling})", "plane",
            [M_PHI, Column("h_limit", h + " (90% CL upper limit)")],
            [[m_, h_] for m_, h_, _ in data.clfv],
            {"channels": ", ".join(channels), "cl": 0.9, "coupling": coupling,
             "limits": "; ".join(f"{c} < {limits[c].br_limit:g} ({limits[c].experiment})"
                                 for c in channels if c in limits),
             "alpha_dark": DEFAULT_ALPHA_DARK},
            {"reactions": [REACTIONS[c] for c in channels],
             "observables": ["BR"], "phrases": ["Charged lepton flavour violation",
                                                "Rare decays", *PHRASES]}))
    tw.add(Table(
        "fig1_thermal_target", "Thermal target: h giving Omega h^2 = 0.120", "plane",
        [M_PHI, Column("h_relic", h + r" ($\Omega h^2 = 0.120$)")],
        [list(p) for p in data.relic],
        {"alpha_dark": DEFAULT_ALPHA_DARK, "m_phi/m_chi": DEFAULT_MASS_RATIO,
         "g_star_table": "borsanyi2016", "coupling": coupling},
        {"reactions": ["CHI2 CHI1BAR --> PHI* --> LEPTONS"], "observables": ["OMEGA H2"],
         "phrases": ["Relic density", "Thermal freeze-out", *PHRASES]}))


def constraints_tables(tw: TableWriter, data: ConstraintsPlane, spec: PlaneSpec) -> None:
    """Per bound of the constraints plane its h_limit per mass (with its measurement), and
    the combined allowed h with the bound that sets it."""
    from leptoportal.constraints import CONSTRAINTS

    h = spec.coupling_label
    for name, pts in data.bounds.items():
        m = CONSTRAINTS[name].measurement
        stem = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")
        while "__" in stem:
            stem = stem.replace("__", "_")
        tw.add(Table(
            f"fig7_bound_{stem}", f"{name}: upper limit on h ({m.experiment}, "
            f"{m.cl:.0%} CL)", "constraints",
            [M_PHI, Column("h_limit", h + f" ({m.cl:.0%} CL upper limit)")],
            [list(p) for p in pts],
            {"bound": name, "observable": m.quantity, "limit": f"{m.limit:g} {m.unit}".strip(),
             "cl": m.cl, "experiment": m.experiment, "source": m.source,
             "combined": CONSTRAINTS[name].combined, "alpha_dark": DEFAULT_ALPHA_DARK,
             "ratio": DEFAULT_MASS_RATIO, "model": spec.model},
            {"observables": [m.quantity.split("(")[0].strip().upper()],
             "phrases": ["Lepton flavour violation", "Exclusion limit", *PHRASES]}))
    if data.combined:
        tw.add(Table(
            "fig7_combined", "The largest h every combined bound allows", "constraints",
            [M_PHI, Column("h_allowed", h + " (largest allowed)")],
            [[m_, h_] for m_, h_, _ in data.combined],
            {"set_by": "; ".join(f"{m_:.6g} GeV: {b}" for m_, _, b in data.combined),
             "model": spec.model, "alpha_dark": DEFAULT_ALPHA_DARK},
            {"observables": ["COUPLING"],
             "phrases": ["Lepton flavour violation", "Exclusion limit", *PHRASES]}))


def annihilation_tables(tw: TableWriter, data: AnnihilationReach) -> None:
    """The resonant reach curves with the resonant and conversion events at the limit."""
    from leptoportal.constants import M_E, M_MU

    for name, pts in data.reach.items():
        preset, _, motion = name.partition(" (")
        cfg = ex.get_preset(preset)
        motion = motion.rstrip(")") or cfg.electron_motion
        tw.add(Table(
            f"fig5_reach_{preset}" + ("" if motion == cfg.electron_motion else f"_{motion}"),
            f"{preset}: 90% CL sensitivity on h (mu+ e- -> phibar), target electrons: "
            f"{motion}",
            "annihilation", [M_PHI, Column("h_limit", r"$h$ (90% CL sensitivity)"),
                         Column("n_resonant", "resonant events at the limit"),
                         Column("n_conversion", "conversion events at the limit")],
            [list(p) for p in pts],
            {"experiment": name, "method": "cls", "cl": 0.9, "coupling": "chiral",
             "alpha_dark": DEFAULT_ALPHA_DARK, "ratio": DEFAULT_MASS_RATIO,
             "beam_energy_spread": cfg.beam_energy_spread,
             "polarisation": cfg.polarisation, "electron_motion": motion,
             "mot": f"{cfg.total_eot:.3g}"},
            {"reactions": [reaction("mu+", cfg.target, None, "phibar"),
                           reaction("mu+", cfg.target, "e+", "phi")],
             "observables": ["CLS"], "cmenergies": [round(math.sqrt(
                 M_MU**2 + M_E**2 + 2 * cfg.energy * M_E), 4)],
             "phrases": ["Resonant production", "Atomic electrons", "Projected sensitivity",
                         f"Beam energy {cfg.energy:g} GeV", *PHRASES]}))


def shower_tables(tw: TableWriter, data: ShowerReach) -> None:
    """The electron-philic NA64e limit with and without the shower positrons."""
    from leptoportal.reproduce.grids import (
        DEFAULT_PRODUCTION,
        SHOWER_EXPERIMENT,
        SHOWER_PRODUCTION,
    )

    cfg = ex.get_preset(SHOWER_EXPERIMENT)
    for key, pts, words in (("with", data.with_showers, "with"),
                            ("without", data.without, "without")):
        tw.add(Table(
            f"fig6_{SHOWER_EXPERIMENT}_{key}_shower_positrons",
            f"{SHOWER_EXPERIMENT}: 90% CL limit on g_e (ee-scalar) {words} the shower "
            "positrons (e+ e- -> phi on the atomic electrons)", "showers",
            [M_PHI, Column("h_limit", r"$g_e$ (90% CL upper limit)"),
             Column("n_resonant", "e+ e- -> phi events at the limit"),
             Column("n_conversion", "e N -> e N phi events at the limit")],
            [list(p) for p in pts],
            {"experiment": SHOWER_EXPERIMENT, "method": "cls", "cl": 0.9,
             "coupling": "ee-scalar", "alpha_dark": DEFAULT_ALPHA_DARK,
             "ratio": DEFAULT_MASS_RATIO, "production": ", ".join(
                 SHOWER_PRODUCTION if key == "with" else DEFAULT_PRODUCTION),
             "electron_motion": cfg.electron_motion, "eot": f"{cfg.total_eot:.3g}"},
            {"reactions": ["E- PB --> E- PB PHI", "E+ E- --> PHI"], "observables": ["CLS"],
             "cmenergies": [cm_energy(cfg.energy, 0.000511)],
             "phrases": ["Electron-philic scalar", "Resonant production", "Exclusion limit",
                         f"Beam energy {cfg.energy:g} GeV", *PHRASES]}))


def xsec_tables(tw: TableWriter, rows: list[dict[str, Any]]) -> None:
    beam, energy, target = XSEC_SETUP
    tw.add(Table(
        "fig2_xsec_100GeV_Pb",
        f"sigma({beam} {target} -> mu- {target} phi), E0 = {energy:g} GeV, h = 1 chiral",
        "xsec", [M_PHI, Column("sigma_etl_pb", r"$\sigma$ (exact tree level)", "pb"),
                 Column("sigma_etl_err_pb", "Monte-Carlo error", "pb", "sigma_etl_pb"),
                 Column("sigma_ww_pb", r"$\sigma$ (WW)", "pb"),
                 Column("sigma_iww_pb", r"$\sigma$ (IWW)", "pb")],
        [[r["m_phi"], r["sigma_etl_pb"], r["sigma_etl_err_pb"], r["sigma_ww_pb"],
          r["sigma_iww_pb"]] for r in rows],
        {"beam": beam, "energy": f"{energy:g} GeV", "target": target,
         "couplings": "chiral h=1", "form_factor": "elastic",
         "WW conventions": "t_max = E0^2, theta_max = 0.1"},
        conversion_keywords(beam, energy, target, DEFAULT_MODEL, ["SIG"],
                            ["Cross section", "Weizsaecker-Williams", *PHRASES])))


def spectra_tables(tw: TableWriter, spectra: list[Any]) -> None:
    beam, energy, target = XSEC_SETUP
    axes = {"x": (Column("x", r"$x = E_\phi/E_0$"), "DSIG/DX", "pb", "dsigma_dx", "pb"),
            "e_out": (Column("e_out", r"$E_\mu$", "GeV"), "DSIG/DE", "pb/GeV",
                      "dsigma_de_out", "pb_gev")}
    for m, specs, total in spectra:
        for name, sp in specs.items():
            axis, observable, unit, key, suffix = axes[name]
            centers = 0.5 * (sp.edges[1:] + sp.edges[:-1])
            tw.add(Table(
                f"fig3_{name}_m{m:g}", f"dsigma/d{axis.key} at m_phi = {m:g} GeV (ETL)",
                "spectra", [axis, Column(f"{key}_{suffix}",
                                         rf"$d\sigma/d{axis.label.strip('$')}$", unit),
                            Column(f"{key}_err_{suffix}", "Monte-Carlo error", unit,
                                   f"{key}_{suffix}")],
                [[c, d, e] for c, d, e in zip(centers, sp.dsigma, sp.dsigma_err,
                                              strict=True)],
                {"beam": beam, "energy": f"{energy:g} GeV", "target": target,
                 "m_phi": f"{m:g} GeV", "couplings": "chiral h=1",
                 "sigma_total_pb": f"{total.sigma_pb:.6g}"},
                conversion_keywords(beam, energy, target, DEFAULT_MODEL, [observable],
                                    ["Differential cross section", *PHRASES]),
                bins=[(float(lo), float(hi)) for lo, hi in zip(sp.edges[:-1], sp.edges[1:],
                                                               strict=True)]))


def relic_tables(tw: TableWriter, rc: RelicCurve) -> None:
    tw.add(Table(
        "fig4_omega_vs_h", "Omega h^2 versus h_emu at the benchmark point", "relic",
        [Column("h", r"$h_{e\mu}$"),
         Column("omega_h2_borsanyi2016", r"$\Omega h^2$ ($g_*$: Borsanyi et al. 2016)"),
         Column("omega_h2_idealgas", r"$\Omega h^2$ ($g_*$: ideal gas)")],
        [[h, a, b] for h, a, b in zip(rc.h, rc.omega, rc.omega_idealgas, strict=True)],
        {"m_phi": f"{rc.m_phi} GeV", "m_chi": f"{rc.dark.m_chi:.4g} GeV",
         "alpha_dark": DEFAULT_ALPHA_DARK, "couplings": "chiral, dark c_S = c_P = 1/2"},
        {"reactions": ["CHI2 CHI1BAR --> PHI* --> MU- E+"], "observables": ["OMEGA H2"],
         "phrases": ["Relic density", "Thermal freeze-out", *PHRASES]}))


def preset_rows() -> list[list[str]]:
    """One row per experiment preset (for the report)."""
    rows = [["experiment", "beam", "E0", "target", "EOT", "n_obs", "b", "source"]]
    for n in ex.preset_names():
        p = ex.get_preset(n)
        rows.append([n, p.beam, f"{p.energy:g}", f"{p.target} {p.thickness_x0:g} X0",
                     f"{p.eot:.3g}", str(p.n_obs), f"{p.background:g}",
                     "; ".join(p.sources.values())])
    return rows


__all__ = [
    "DIGITS", "PAPER", "PAPER_URL", "PHRASES", "Band", "Column", "Table", "TableWriter",
    "cm_energy", "constraints_tables", "conversion_keywords", "dataset_label", "location",
    "plane_tables", "preset_rows",
    "reaction", "relic_tables", "annihilation_tables", "shower_tables", "spectra_tables",
    "xsec_tables",
]


def __dir__() -> list[str]:
    return __all__
