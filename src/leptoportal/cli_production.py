"""CLI: ``leptoportal xsec`` (total and differential cross-sections)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from leptoportal.cache import atomic_write_text
from leptoportal.cli import CouplingOpt, CpOpt, CsOpt, JsonOpt, app, emit, resolve_couplings
from leptoportal.errors import InputError, require_range

BeamOpt = Annotated[str, typer.Option("--beam", help="Beam lepton: e- | mu-.")]
EnergyOpt = Annotated[float, typer.Option("--energy", help="Beam energy E0 in GeV.")]
TargetOpt = Annotated[str, typer.Option("--target", help="Pb | W | Fe | Cu | Al | C | Si.")]
FormFactorOpt = Annotated[
    str, typer.Option("--form-factor", help="elastic | elastic+inelastic | helm.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same result).")]


def write_spectrum_csv(path: Path, spec, inputs: dict) -> None:
    """CSV of a differential cross-section with the inputs as '#' header lines (atomic)."""
    lines = [f"# {k}: {v}" for k, v in inputs.items()]
    lines.append(f"# observable: {spec.observable}; dsigma in pb per unit of the observable")
    lines.append("lo,hi,center,dsigma_pb,dsigma_err_pb")
    for lo, hi, d, e in zip(spec.edges[:-1], spec.edges[1:], spec.dsigma, spec.dsigma_err,
                            strict=True):
        lines.append(f"{lo:.10g},{hi:.10g},{0.5 * (lo + hi):.10g},{d:.8g},{e:.4g}")
    atomic_write_text(path, "\n".join(lines) + "\n")


def write_spectrum_2d_csv(path: Path, x_edges, cos_edges, d2, e2, inputs: dict) -> None:
    """CSV of dsigma/dx dcos(theta_phi) (pb) with '#' input lines (atomic)."""
    lines = [f"# {k}: {v}" for k, v in inputs.items()]
    lines.append("# dsigma/dx dcos(theta_phi) in pb")
    lines.append("x_lo,x_hi,cos_lo,cos_hi,dsigma_pb,dsigma_err_pb")
    for i in range(len(x_edges) - 1):
        for j in range(len(cos_edges) - 1):
            lines.append(f"{x_edges[i]:.10g},{x_edges[i + 1]:.10g},{cos_edges[j]:.12g},"
                         f"{cos_edges[j + 1]:.12g},{d2[i, j]:.8g},{e2[i, j]:.4g}")
    atomic_write_text(path, "\n".join(lines) + "\n")


@app.command("xsec")
def cmd_xsec(
    energy: EnergyOpt,
    target: TargetOpt,
    m_phi: Annotated[float, typer.Option("--m-phi", help="phi mass in GeV.")],
    beam: BeamOpt = "e-",
    method: Annotated[str, typer.Option("--method", help="etl | ww | iww.")] = "etl",
    h: Annotated[float | None, typer.Option("--h", help="Coupling h (default 1).")] = None,
    coupling: CouplingOpt = "chiral",
    cs: CsOpt = None,
    cp: CpOpt = None,
    precision: Annotated[
        float, typer.Option("--precision", help="Requested relative MC error (ETL).")
    ] = 0.005,
    seed: SeedOpt = 1,
    form_factor: FormFactorOpt = "elastic",
    ff_systematic: Annotated[
        bool, typer.Option("--ff-systematic", help="Also compute every form-factor variant.")
    ] = False,
    route: Annotated[str, typer.Option("--route", help="ETL phase-space map: sx | lab.")] = "sx",
    spectrum: Annotated[
        str | None,
        typer.Option("--spectrum", help="x | cos_theta | e_out | e_phi | theta_out | "
                     "x:cos_theta (double differential; ETL only)."),
    ] = None,
    bins: Annotated[int, typer.Option("--bins", help="Number of spectrum bins.")] = 40,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file for --spectrum.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Cross-section of l N -> l' N phi: ETL (exact), WW or IWW (SPEC 5)."""
    from leptoportal import production as prod

    c = resolve_couplings(h, coupling, cs, cp, need_h=False)
    proc = prod.Process(beam, energy, target, m_phi, c, form_factor)
    require_range("precision", precision, 1e-5, 0.5)
    if spectrum is not None:
        if method != "etl":
            raise InputError(f"--spectrum needs --method etl (got method = {method!r})")
        if out is None:
            raise InputError("--spectrum needs --out FILE.csv")
        inputs = {"beam": beam, "energy": energy, "target": proc.target.name, "m_phi": m_phi,
                  "c_s": c.c_s, "c_p": c.c_p, "form_factor": form_factor, "seed": seed,
                  "method": "etl"}
        if spectrum == "x:cos_theta":
            xe = prod.default_edges(proc, "x", bins)
            ce = prod.default_edges(proc, "cos_theta", bins)
            d2, e2, total = prod.spectrum_2d(proc, xe, ce, seed=seed)
            write_spectrum_2d_csv(out, xe, ce, d2, e2, {**inputs, "sigma_pb": total.sigma_pb})
        else:
            edges = prod.default_edges(proc, spectrum, bins)
            specs, total = prod.spectra(proc, {spectrum: edges}, seed=seed)
            write_spectrum_csv(out, specs[spectrum], {**inputs, "sigma_pb": total.sigma_pb,
                                                      "sigma_err_pb": total.sigma_err_pb})
        result = total
    else:
        result = prod.cross_section(proc, method, precision=precision, seed=seed, route=route)
    obj = {
        "sigma_pb": result.sigma_pb,
        "sigma_err_pb": result.sigma_err_pb,
        "sigma_cm2": result.sigma_pb * 1e-36,
        "method": method,
        "beam": beam,
        "energy": proc.energy,
        "target": proc.target.name,
        "m_phi": proc.m_phi,
        "c_s": c.c_s,
        "c_p": c.c_p,
        "form_factor": form_factor,
        "seed": seed,
        "precision": precision,
        "details": result.details,
    }
    if ff_systematic:
        spread = prod.form_factor_spread(proc, method, precision, seed)
        obj["form_factor_variants_pb"] = spread
        vals = np.array(list(spread.values()))
        obj["form_factor_syst_pb"] = float(np.max(np.abs(vals - result.sigma_pb)))
    if spectrum is not None:
        obj["spectrum"] = spectrum
        obj["out"] = str(out)
    emit(obj, as_json, "cross-section")
