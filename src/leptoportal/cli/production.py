"""Command ``xsec``: total and differential cross-sections of l N -> l' N phi."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from leptoportal.cache import atomic_write_text, check_output_file
from leptoportal.cli._options import (
    SEED_MAX,
    AlphaDark,
    Coupling,
    CouplingsFile,
    Cp,
    Cs,
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
from leptoportal.errors import InputError, require_choice, require_range
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


def write_line_shape_csv(path: Path, res, row: dict, bins: int) -> None:
    """CSV of the resonance line sigma(E_beam) (pb per electron) of ``res`` around E_R,
    +-10 widths (at least +-1e-6 E_R), with the inputs ``row`` as '#' lines (atomic)."""
    e_r = res.resonance_energy
    half = max(10.0 * res.width_in_beam_energy(), 1e-6 * e_r)
    energies = np.linspace(max(e_r - half, 0.5 * e_r), e_r + half, bins + 1)
    lines = [f"# {k}: {v}" for k, v in row.items()]
    lines.append("# sigma in pb per target electron at rest, exact Breit-Wigner")
    lines.append("e_beam_gev,sigma_pb,sigma_invisible_pb,sigma_visible_pb")
    for e, a, i, v in zip(energies, res.sigma_pb(energies), res.sigma_pb(energies, "invisible"),
                          res.sigma_pb(energies, "visible"), strict=True):
        lines.append(f"{e:.10g},{a:.8g},{i:.8g},{v:.8g}")
    atomic_write_text(path, "\n".join(lines) + "\n")


def xsec(
    target: Target,
    m_phi: MPhi,
    energy: Annotated[float | None, typer.Option(
        "--energy", help="Beam energy E0 in GeV (not for --process resonant).")] = None,
    beam: Annotated[str, typer.Option("--beam", help="Beam lepton: e- | e+ | mu- | mu+ "
                                      "(resonant: mu+ | e+).")] = "e-",
    process: Annotated[str, typer.Option(
        "--process", help="conversion (l N -> l' N phi) | resonant (l+ e- -> phi on the "
        "target's electrons).")] = "conversion",
    alpha_dark: AlphaDark = None,
    polarisation: Annotated[float, typer.Option(
        "--polarisation", help="Beam helicity polarisation in [-1, 1] (resonant).")] = 0.0,
    method: Annotated[str, typer.Option("--method", help="etl | ww | iww.")] = "etl",
    h: H = None,
    coupling: Coupling = "chiral",
    cs: Cs = None,
    cp: Cp = None,
    precision: Precision = XSEC_PRECISION,
    seed: Seed = 1,
    form_factor: FormFactor = "elastic",
    ff_systematic: Annotated[
        bool, typer.Option("--ff-systematic", metavar="",
                           help="Also compute every form-factor variant.")
    ] = False,
    route: Annotated[str, typer.Option("--route", help="ETL phase-space map: sx | lab.")] = "sx",
    backend: Annotated[str, typer.Option(
        "--backend", help="|M|^2 of ETL: numba (compiled, default) | numpy (the reference)."
    )] = "numba",
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
    """Cross-section of l N -> l' N phi (pb; h = 1 unless --h): ETL (exact), WW or IWW;
    with --process resonant, the resonance l+ e- -> phi per target electron."""
    from leptoportal import production as prod
    from leptoportal import tasks

    require_range("seed", seed, 0, SEED_MAX)
    require_range("bins", bins, 1, 1000)
    require_choice("process", process, tasks.PROCESSES)
    if process == "resonant":
        given = [flag for flag, on in (("--energy", energy is not None),
                                       ("--method", method != "etl"), ("--route", route != "sx"),
                                       ("--form-factor", form_factor != "elastic"),
                                       ("--final-lepton", final_lepton is not None),
                                       ("--backend", backend != "numba"),
                                       ("--precision", precision != XSEC_PRECISION),
                                       ("--seed", seed != 1),
                                       ("--ff-systematic", ff_systematic)) if on]
        if given:
            raise InputError(f"{', '.join(given)} do(es) not apply to --process resonant")
        res = tasks.resonance_of(m_phi, beam, h, coupling, cs, cp, model,
                                 read_couplings_file(couplings), alpha_dark, polarisation)
        obj = tasks.resonance_row(res, target)
        obj["h"] = 1.0 if h is None else h
        if spectrum is not None:
            if spectrum != "e_beam":
                raise InputError(f"--spectrum {spectrum!r}: the resonance has e_beam only")
            if out is None:
                raise InputError("--spectrum needs --out FILE.csv")
            out = check_output_file(out)
            write_line_shape_csv(out, res, obj, bins)
            obj["spectrum"], obj["out"] = spectrum, str(out)
        emit(obj, as_json, "resonant cross-section")
        return
    if polarisation != 0.0 or alpha_dark is not None:
        raise InputError("--polarisation and --alpha-dark apply to --process resonant only")
    if energy is None:
        raise InputError("--energy is required (beam energy E0 in GeV)")
    if route != "sx" and method != "etl":
        raise InputError(f"--route {route} applies to --method etl only (got {method!r})")
    from leptoportal.production.etl import BACKENDS

    require_choice("backend", backend, BACKENDS)
    if backend != "numba" and (method != "etl" or spectrum is not None):
        raise InputError("--backend applies to ETL total cross-sections")
    proc = tasks.xsec_process(energy, target, m_phi, beam, h, coupling, cs, cp, form_factor,
                              final_lepton, model, read_couplings_file(couplings))
    c = proc.pair_couplings
    if out is not None:
        out = check_output_file(out)
    if spectrum is None:
        obj = tasks.xsec_of(proc, method, precision, seed, route, backend)
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
    obj["h"] = 1.0 if h is None else h  # h multiplies the pattern, model or given couplings
    emit(obj, as_json, "cross-section")
