"""Tables of a reproduction run: every curve as CSV (tables/) and as a validated HEPData
submission (hepdata/, made with hepdata_lib): independent and dependent variables with units,
Monte-Carlo errors as uncertainties, binned spectra with their bin edges, and the inputs as
qualifiers."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

from leptoportal import experiments as ex
from leptoportal import g2
from leptoportal.model import DEFAULT_ALPHA_DARK, DEFAULT_MASS_RATIO, DEFAULT_MODEL
from leptoportal.outputs import atomic_write_text
from leptoportal.reproduce.compute import PlaneData, RelicCurve, ResonantReach
from leptoportal.reproduce.grids import PLANES, XSEC_SETUP, PlaneSpec


def _f(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else str(v)


def _num(v) -> str:
    if v is None:
        return ""
    return f"{float(v):.8g}"


class TableWriter:
    """Writes tables/<name>.csv, collects the same tables for a HEPData submission
    (hepdata_lib; :meth:`write_hepdata` writes and validates it) and remembers what it wrote.

    A column ``<name>_err`` becomes the symmetric uncertainty of column ``<name>`` in the
    submission; ``bins`` (lo, hi) make the independent variable binned."""

    def __init__(self, out: Path):
        self.directory = Path(out) / "tables"
        self.hepdata_directory = Path(out) / "hepdata"
        self.written: list[dict] = []
        self._hepdata: list = []

    def table(self, name: str, title: str, columns: list[tuple[str, str]], rows: list[list],
              inputs: dict, bins: list[tuple[float, float]] | None = None) -> None:
        header = [f"# {title}"] + [f"# {k}: {v}" for k, v in inputs.items()]
        lines = header + [",".join(f"{c} [{u}]" if u else c for c, u in columns)]
        for r in rows:
            lines.append(",".join(_num(v) for v in r))
        atomic_write_text(self.directory / f"{name}.csv", "\n".join(lines) + "\n")
        self._hepdata.append((name, title, columns, rows, inputs, bins))
        self.written.append({"name": name, "title": title, "rows": len(rows)})

    def write_hepdata(self) -> Path:
        """The HEPData submission of every table (hepdata/: submission.yaml and one YAML per
        table; the archive submission.tar.gz beside it), validated by hepdata_lib /
        hepdata-validator; returns its directory."""
        from hepdata_lib import Submission, Table, Uncertainty, Variable

        sub = Submission()
        sub.comment = ("leptoportal reproduction of Gninenko & Krasnikov, arXiv:2202.04410, "
                       "and extensions; every table also as CSV in tables/")
        for name, title, columns, rows, inputs, bins in self._hepdata:
            # HEPData has no infinite values: rows without a finite limit stay in the CSV only
            keep = [i for i, r in enumerate(rows) if all(_finite(v) for v in r)]
            rows = [rows[i] for i in keep]
            bins = None if bins is None else [bins[i] for i in keep]
            table = Table(name)
            table.description = title
            indep_name, indep_units = columns[0]
            x = Variable(indep_name, is_independent=True, is_binned=bins is not None,
                         units=indep_units)
            x.values = ([(float(lo), float(hi)) for lo, hi in bins] if bins is not None
                        else [_hep(r[0]) for r in rows])
            table.add_variable(x)
            names = [c for c, _ in columns]
            for j, (col, units) in enumerate(columns[1:], start=1):
                if col.endswith("_err") and col[:-4] in names:
                    continue
                y = Variable(col, is_independent=False, is_binned=False, units=units,
                             zero_uncertainties_warning=False)
                y.values = [_hep(r[j]) for r in rows]
                for k, v in inputs.items():
                    y.add_qualifier(str(k), str(v))
                if f"{col}_err" in names:
                    err = Uncertainty("Monte-Carlo", is_symmetric=True)
                    k = names.index(f"{col}_err")
                    err.values = [_hep(r[k]) for r in rows]
                    y.add_uncertainty(err)
                table.add_variable(y)
            sub.add_table(table)
        out = self.hepdata_directory.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        # hepdata_lib writes its archive "submission.tar.gz" into the working directory:
        # run it from the output directory so that the archive lands there, ready to upload
        with contextlib.chdir(out.parent):
            sub.create_files(str(out), validate=True, remove_old=True)
        return self.hepdata_directory


def _finite(v) -> bool:
    return v is not None and math.isfinite(float(v))


def _hep(v) -> float:
    return float(v)


def dataset_label(name: str) -> str:
    """'251(59)e-11' style label of a muon g-2 dataset, from its numbers."""
    ds = g2.get_dataset(name, "mu")
    return f"{ds.delta / 1e-11:.4g}({ds.sigma / 1e-11:.4g})e-11"


def plane_tables(tw: TableWriter, data: PlaneData,
                 spec: PlaneSpec = PLANES[DEFAULT_MODEL]) -> None:
    """The curves of the (m_phi, h) plane (bands and electron limits where the model has
    them)."""
    m = data.masses
    coupling = "chiral" if spec.model == DEFAULT_MODEL else spec.model
    if data.bands:
        b21 = data.bands["fnal2021"]
        tw.table("fig1_g2_band_fnal2021", f"g-2 band, fnal2021 ({coupling})",
                 [("m_phi", "GeV"), ("h_central", ""), ("h_1sigma_lo", ""),
                  ("h_1sigma_hi", ""), ("h_2sigma_lo", ""), ("h_2sigma_hi", "")],
                 [[x, b.h_central, b.h_1sigma_lo, b.h_1sigma_hi, b.h_2sigma_lo, b.h_2sigma_hi]
                  for x, b in zip(m, b21, strict=True)],
                 {"dataset": "fnal2021", "delta_a_mu": dataset_label("fnal2021"),
                  "coupling": coupling})
        b23 = data.bands["fnal2023"]
        tw.table("fig1_g2_band_fnal2023", f"g-2 band, fnal2023 ({coupling})",
                 [("m_phi", "GeV"), ("h_central", ""), ("h_1sigma_lo", ""),
                  ("h_1sigma_hi", "")],
                 [[x, b.h_central, b.h_1sigma_lo, b.h_1sigma_hi]
                  for x, b in zip(m, b23, strict=True)],
                 {"dataset": "fnal2023", "delta_a_mu": dataset_label("fnal2023"),
                  "coupling": coupling})
        b25 = data.bands["fnal2025"]
        tw.table("fig1_g2_limit_fnal2025", f"g-2 90% CL upper limit, fnal2025 ({coupling})",
                 [("m_phi", "GeV"), ("h_upper_90", "")],
                 [[x, b.h_upper] for x, b in zip(m, b25, strict=True)],
                 {"dataset": "fnal2025", "delta_a_mu": dataset_label("fnal2025"),
                  "coupling": coupling})
    ae = data.electron_limits
    if ae:
        tw.table("fig1_electron_g2", f"electron g-2: 90% CL upper limit on h ({coupling})",
                 [("m_phi", "GeV"), ("h_max_cs2018", ""), ("h_max_rb2020", "")],
                 [[x, a, b] for x, a, b in zip(m, ae["cs2018"], ae["rb2020"], strict=True)],
                 {"rule": "conservative one-sided, see leptoportal.g2", "cl": 0.9})
    for name, pts in data.limits.items():
        what = "exclusion" if name == spec.experiments[0] else "limit or sensitivity"
        tw.table(f"fig1_limit_{name}", f"{name}: 90% CL {what} on h",
                 [("m_phi", "GeV"), ("h_limit", ""), ("h_limit_err", "")],
                 [list(p) for p in pts],
                 {"experiment": name, "method": "cls", "cl": 0.9, "coupling": coupling,
                  "alpha_dark": DEFAULT_ALPHA_DARK, "ratio": DEFAULT_MASS_RATIO})
    tw.table("fig1_thermal_target", "thermal target: h giving Omega h^2 = 0.120",
             [("m_phi", "GeV"), ("h_relic", "")], [list(p) for p in data.relic],
             {"alpha_dark": DEFAULT_ALPHA_DARK, "m_phi/m_chi": DEFAULT_MASS_RATIO,
              "g_star_table": "borsanyi2016", "coupling": coupling})


def resonant_tables(tw: TableWriter, data: ResonantReach) -> None:
    """The resonant reach curves with the resonant and conversion events at the limit."""
    for name, pts in data.reach.items():
        cfg = ex.get_preset(name)
        tw.table(f"fig5_reach_{name}", f"{name}: 90% CL sensitivity on h (mu+ e- -> phibar)",
                 [("m_phi", "GeV"), ("h_limit", ""), ("n_resonant", "events"),
                  ("n_conversion", "events")], [list(p) for p in pts],
                 {"experiment": name, "method": "cls", "cl": 0.9, "coupling": "chiral",
                  "alpha_dark": DEFAULT_ALPHA_DARK, "ratio": DEFAULT_MASS_RATIO,
                  "beam_energy_spread": cfg.beam_energy_spread,
                  "polarisation": cfg.polarisation, "electron_motion": cfg.electron_motion,
                  "mot": f"{cfg.total_eot:.3g}"})


def xsec_tables(tw: TableWriter, rows: list[dict]) -> None:
    beam, energy, target = XSEC_SETUP
    tw.table("fig2_xsec_100GeV_Pb",
             f"sigma({beam} {target} -> mu- {target} phi), E0 = {energy:g} GeV, h = 1 chiral",
             [("m_phi", "GeV"), ("sigma_ETL", "pb"), ("sigma_ETL_err", "pb"),
              ("sigma_WW", "pb"), ("sigma_IWW", "pb")],
             [[r["m_phi"], r["sigma_etl_pb"], r["sigma_etl_err_pb"], r["sigma_ww_pb"],
               r["sigma_iww_pb"]] for r in rows],
             {"beam": beam, "energy": f"{energy:g} GeV", "target": target,
              "couplings": "chiral h=1", "form_factor": "elastic",
              "WW conventions": "t_max = E0^2, theta_max = 0.1"})


def spectra_tables(tw: TableWriter, spectra: list) -> None:
    beam, energy, target = XSEC_SETUP
    units = {"x": ("x", "", "pb"), "e_out": ("E_out", "GeV", "pb/GeV")}
    for m, specs, total in spectra:
        for name, sp in specs.items():
            label, x_units, d_units = units.get(name, (name, "", "pb per unit"))
            centers = 0.5 * (sp.edges[1:] + sp.edges[:-1])
            tw.table(f"fig3_{name}_m{m:g}", f"dsigma/d{label} at m_phi = {m:g} GeV (ETL)",
                     [(label, x_units), ("dsigma", d_units), ("dsigma_err", d_units)],
                     [[c, d, e] for c, d, e in zip(centers, sp.dsigma, sp.dsigma_err,
                                                   strict=True)],
                     {"beam": beam, "energy": f"{energy:g} GeV", "target": target,
                      "m_phi": f"{m:g} GeV", "couplings": "chiral h=1",
                      "sigma_total_pb": f"{total.sigma_pb:.6g}"},
                     bins=list(zip(sp.edges[:-1], sp.edges[1:], strict=True)))


def relic_tables(tw: TableWriter, rc: RelicCurve) -> None:
    tw.table("fig4_omega_vs_h", "Omega h^2 versus h_emu at the benchmark point",
             [("h", ""), ("omega_h2_borsanyi2016", ""), ("omega_h2_idealgas", "")],
             [[h, a, b] for h, a, b in zip(rc.h, rc.omega, rc.omega_idealgas, strict=True)],
             {"m_phi": f"{rc.m_phi} GeV", "m_chi": f"{rc.dark.m_chi:.4g} GeV",
              "alpha_dark": DEFAULT_ALPHA_DARK, "couplings": "chiral, dark c_S = c_P = 1/2"})


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
    "dataset_label", "plane_tables", "preset_rows", "relic_tables", "resonant_tables",
    "spectra_tables", "TableWriter", "xsec_tables",
]


def __dir__() -> list[str]:
    return __all__
