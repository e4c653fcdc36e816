"""Command ``xsec``: total and differential cross-sections of l N -> l' N phi."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from leptoportal.cache import atomic_write_text, check_output_file
from leptoportal.cli._options import (
    SEED_MAX,
    Beam,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
    Energy,
    FinalLepton,
    FormFactor,
    H,
    Json,
    Model,
    MPhi,
    Precision,
    Seed,
    Target,
    read_couplings_file,
)
from leptoportal.cli._output import emit
from leptoportal.errors import InputError, require_range
from leptoportal.tasks import XSEC_PRECISION


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


def xsec(
    energy: Energy,
    target: Target,
    m_phi: MPhi,
    beam: Beam = "e-",
    method: Annotated[str, typer.Option("--method", help="etl | ww | iww.")] = "etl",
    h: H = None,
    coupling: Coupling = "chiral",
    cs: Cs = None,
    cp: Cp = None,
    precision: Precision = XSEC_PRECISION,
    seed: Seed = 1,
    form_factor: FormFactor = "elastic",
    ff_systematic: Annotated[
        bool, typer.Option("--ff-systematic", help="Also compute every form-factor variant.")
    ] = False,
    route: Annotated[str, typer.Option("--route", help="ETL phase-space map: sx | lab.")] = "sx",
    spectrum: Annotated[
        str | None,
        typer.Option("--spectrum", help="x | cos_theta | e_out | e_phi | theta_out | "
                     "x:cos_theta (double differential; ETL only)."),
    ] = None,
    bins: Annotated[int, typer.Option("--bins", help="Number of spectrum bins, at most 1000 "
                                      "(200 per axis for x:cos_theta).")] = 40,
    out: Annotated[str | None, typer.Option("--out", help="CSV file for --spectrum.")] = None,
    final_lepton: FinalLepton = None,
    model: Model = None,
    couplings: CouplingsFile = None,
    as_json: Json = False,
) -> None:
    """Cross-section of l N -> l' N phi (pb; h = 1 unless --h): ETL (exact), WW or IWW."""
    from leptoportal import production as prod
    from leptoportal import tasks

    require_range("seed", seed, 0, SEED_MAX)
    require_range("bins", bins, 1, 1000)
    if route != "sx" and method != "etl":
        raise InputError(f"--route {route} applies to --method etl only (got {method!r})")
    proc = tasks.xsec_process(energy, target, m_phi, beam, h, coupling, cs, cp, form_factor,
                              final_lepton, model, read_couplings_file(couplings))
    c = proc.pair_couplings
    if out is not None:
        out = check_output_file(out)
    if spectrum is None:
        obj = tasks.xsec_of(proc, method, precision, seed, route)
    else:
        require_range("precision", precision, 1e-5, 0.5)
        if method != "etl":
            raise InputError(f"--spectrum needs --method etl (got method = {method!r})")
        if out is None:
            raise InputError("--spectrum needs --out FILE.csv")
        inputs = {"beam": beam, "final_lepton": proc.out_lepton, "scalar": proc.scalar,
                  "energy": energy, "target": proc.target.name, "m_phi": m_phi,
                  "c_s": c.c_s, "c_p": c.c_p, "form_factor": form_factor, "seed": seed,
                  "method": "etl"}
        if spectrum == "x:cos_theta":
            require_range("bins", bins, 1, 200)
            xe = prod.default_edges(proc, "x", bins)
            ce = prod.default_edges(proc, "cos_theta", bins)
            d2, e2, total = prod.spectrum_2d(proc, xe, ce, seed=seed)
            write_spectrum_2d_csv(out, xe, ce, d2, e2, {**inputs, "sigma_pb": total.sigma_pb})
        else:
            edges = prod.default_edges(proc, spectrum, bins)
            specs, total = prod.spectra(proc, {spectrum: edges}, seed=seed)
            write_spectrum_csv(out, specs[spectrum], {**inputs, "sigma_pb": total.sigma_pb,
                                                      "sigma_err_pb": total.sigma_err_pb})
        obj = tasks.xsec_row(total, seed, precision)
    if ff_systematic:
        spread = prod.form_factor_spread(proc, method, precision, seed)
        obj["form_factor_variants_pb"] = spread
        vals = np.array(list(spread.values()))
        obj["form_factor_syst_pb"] = float(np.max(np.abs(vals - obj["sigma_pb"])))
    if spectrum is not None:
        obj["spectrum"] = spectrum
        obj["out"] = str(out)
    emit(obj, as_json, "cross-section")
