"""Event generation: conservation, file round trips, spectra vs the differential
cross-sections (chi2 tests), header cross-section vs xsec, thick-target sampling."""

import math

import numpy as np
import pyarrow.parquet as pq
import pyhepmc
import pylhe
import pytest
from scipy import stats

from leptoportal import generate as gen
from leptoportal.numerics import Numerics
from leptoportal.production import Process, default_edges, sigma_etl, spectra


@pytest.fixture(scope="module")
def sample():
    proc = Process("e-", 100.0, "Pb", 0.3)
    return proc, gen.generate(proc, 20_000, seed=7)


def test_momentum_conservation_and_masses(sample):
    proc, s = sample
    total_in = s.beam.copy()
    total_in[:, 0] += proc.nucleus_mass
    assert np.abs(total_in - s.lepton_out - s.phi - s.recoil).max() < 1e-9
    def m2(p):
        return p[:, 0] ** 2 - np.sum(p[:, 1:] ** 2, axis=1)

    assert np.allclose(m2(s.phi), proc.m_phi**2, atol=1e-6)
    assert np.allclose(m2(s.lepton_out), proc.m_out**2, atol=1e-6)
    for prods, phi in zip(s.decay_products[:200], s.phi[:200], strict=True):
        tot = sum(p4 for _, p4 in prods)
        assert np.allclose(tot, phi, atol=1e-9)


def _chi2_pvalue(observed, expected_prob, n):
    exp = expected_prob * n
    keep = exp > 5
    chi2 = np.sum((observed[keep] - exp[keep]) ** 2 / exp[keep])
    return stats.chi2.sf(chi2, keep.sum() - 1)


def test_spectra_match_differential_cross_sections(sample):
    """x and cos(theta_phi) histograms of the unweighted events vs the production module's
    weighted dsigma/dx, dsigma/dcos (independent seed): chi2 p-value > 0.001."""
    proc, s = sample
    edges = {"x": default_edges(proc, "x", 25), "cos_theta": default_edges(proc, "cos_theta", 25)}
    specs, _ = spectra(proc, edges, n_events=800_000, numerics=Numerics(seed=99))
    x = s.phi[:, 0] / proc.energy
    cos = s.phi[:, 3] / np.linalg.norm(s.phi[:, 1:], axis=1)
    for name, values in (("x", x), ("cos_theta", cos)):
        sp = specs[name]
        prob = sp.dsigma * np.diff(sp.edges)
        prob = prob / prob.sum()
        observed = np.histogram(values, bins=sp.edges)[0]
        assert _chi2_pvalue(observed, prob, len(values)) > 1e-3, name


def test_sample_cross_section_matches_xsec(sample):
    proc, s = sample
    ref = sigma_etl(proc, Numerics(precision=0.002, seed=3))
    assert abs(s.sigma_pb - ref.sigma_pb) < 4 * math.hypot(s.sigma_err_pb, ref.sigma_err_pb)
    assert 0.02 < s.efficiency <= 1.0


def test_lhe_round_trip_and_header(sample, tmp_path):
    proc, s = sample
    path = tmp_path / "ev.lhe"
    gen.write_events(s, proc, path, "lhe")
    lhe = pylhe.LHEFile.fromfile(path)
    assert lhe.init.procInfo[0].xSection == pytest.approx(s.sigma_pb, rel=1e-9)
    assert lhe.init.procInfo[0].error == pytest.approx(s.sigma_err_pb, rel=1e-9)
    events = list(lhe.events)
    assert len(events) == len(s)
    first = events[0].particles
    assert first[0].id == 11 and first[2].id == 13
    assert first[4].id == -gen.PDG_PHI  # e- -> mu- emits phibar (L_e, L_mu) = (+1, -1)
    assert first[4].e == pytest.approx(s.phi[0, 0], rel=1e-11)
    assert first[4].px == pytest.approx(s.phi[0, 1], rel=1e-9, abs=1e-12)


def test_lhe_events_of_every_kind_read_back_exactly(sample, tmp_path):
    """The LHE writer formats each kind of event (decayed or not, with a depth or not, with a
    decay vertex or not) from a template: a chunk mixing all kinds reads back (pylhe) with
    every particle's code, status, momentum and mass as in the sample."""
    from dataclasses import replace

    from leptoportal.generate.writers import _lhe_events

    proc, s = sample
    n = 400
    rng = np.random.default_rng(1)
    undecayed = rng.random(n) < 0.5
    pdg, p4 = s.decay_pdg[:n].copy(), s.decay_p4[:n].copy()
    pdg[undecayed], p4[undecayed] = 0, 0.0
    part = replace(s, beam=s.beam[:n], lepton_out=s.lepton_out[:n], phi=s.phi[:n],
                   recoil=s.recoil[:n], decay_pdg=pdg, decay_p4=p4,
                   depth_cm=np.where(rng.random(n) < 0.5, 0.0, rng.random(n)),
                   scalar_pdg=s.scalar_pdg[:n], decay_vertex_cm=s.decay_vertex_cm[:n])
    path = tmp_path / "mixed.lhe"
    path.write_text("<LesHouchesEvents version=\"3.0\">\n<init>\n11 1 1 1 0 0 0 0 3 1\n"
                    "1 1 1 1\n</init>\n" + "\n".join(_lhe_events(part, proc))
                    + "\n</LesHouchesEvents>\n")
    events = list(pylhe.LHEFile.fromfile(path).events)
    assert len(events) == n
    for i, ev in enumerate(events):
        decayed = not undecayed[i]
        expected = [s.beam[i], None, s.lepton_out[i], s.recoil[i], s.phi[i]]
        if decayed:
            expected += [p4[i, 0], p4[i, 1]]
        assert len(ev.particles) == len(expected)
        assert ev.particles[4].status == (2 if decayed else 1)
        assert ev.particles[4].id == s.scalar_pdg[i]
        for particle, mom in zip(ev.particles, expected, strict=True):
            if mom is not None:
                got = [particle.e, particle.px, particle.py, particle.pz]
                assert np.allclose(got, mom, rtol=1e-11, atol=1e-13)
                # the mass written (11 digits) is that of the four-momentum; E^2 - p^2 loses
                # digits, so m^2 is compared at the rounding of E^2
                m2 = max(mom[0] ** 2 - np.sum(mom[1:] ** 2), 0.0)
                assert abs(particle.m ** 2 - m2) <= 1e-9 * m2 + 1e-13 * mom[0] ** 2
        if decayed:
            assert [ev.particles[5].id, ev.particles[6].id] == list(pdg[i])
    text = path.read_text()
    assert text.count("#vertex_depth_cm") == np.count_nonzero(part.depth_cm > 0)
    assert text.count("#decay_vertex_cm") == np.count_nonzero(~undecayed)


def test_hepmc3_and_parquet_round_trip(tmp_path):
    proc = Process("mu-", 160.0, "Pb", 0.5)
    s = gen.generate(proc, 500, seed=3)
    gen.write_events(s, proc, tmp_path / "ev.hepmc", "hepmc3")
    n = 0
    with pyhepmc.open(tmp_path / "ev.hepmc") as f:
        for ev in f:
            phis = [p for p in ev.particles if p.pid == gen.PDG_PHI]
            assert len(phis) == 1
            assert phis[0].momentum.e == pytest.approx(s.phi[n, 0], rel=1e-9)
            n += 1
    assert n == 500
    gen.write_events(s, proc, tmp_path / "ev.parquet", "parquet")
    table = pq.read_table(tmp_path / "ev.parquet")
    assert table.num_rows == 500
    assert np.allclose(table.column("phi_E").to_numpy(), s.phi[:, 0])
    assert float(table.schema.metadata[b"sigma_pb"]) == pytest.approx(s.sigma_pb)


def test_same_seed_same_events():
    proc = Process("e-", 50.0, "W", 0.4)
    a = gen.generate(proc, 300, seed=11)
    b = gen.generate(proc, 300, seed=11)
    c = gen.generate(proc, 300, seed=12)
    assert np.array_equal(a.phi, b.phi) and not np.array_equal(a.phi, c.phi)


def test_thick_target_sampling():
    """Depth and converting energy follow the track length; the sample's integral equals the
    experiments module's thick-target Int dL sigma within their errors."""
    from leptoportal import experiments as ex

    cfg = ex.get_preset("na64e-2016-2018")
    proc = Process("e-", 100.0, "Pb", 0.5)
    s = gen.generate(proc, 4000, seed=5, thick_cfg=cfg)
    energy = s.info["converting_energy"]
    assert energy.min() >= 50.0 - 1e-9 and energy.max() <= 100.0
    assert np.all(s.depth_cm >= 0) and s.depth_cm.max() <= 40 * proc.target.X0_cm
    # events come from the first few radiation lengths (E > E0/2)
    assert np.median(s.depth_cm) < 2 * proc.target.X0_cm
    unit, err = ex.yield_per_eot_unit(cfg, 0.5, numerics=Numerics(precision=0.005))
    (_, n0), = cfg.element_columns()  # Pb: one element
    integral_pb_x0 = unit / (n0 * 1e-36)
    err_pb_x0 = err / (n0 * 1e-36)
    # the yield interpolates sigma between 9 energy nodes (~0.15% accuracy, measured when
    # event generation was written); beyond that the two must agree within their errors
    tol = 4 * math.hypot(s.sigma_err_pb, err_pb_x0) + 0.002 * integral_pb_x0
    assert abs(s.sigma_pb - integral_pb_x0) < tol
    # the sampled depth distribution integrates to Tsai's track length above E_min
    from scipy import integrate, special

    y_max = math.log(100.0 / 50.0)
    exact = integrate.quad(lambda t: special.gammainc(4 * t / 3, y_max), 0, 40, limit=200,
                           points=[0.05, 1, 3])[0]
    assert s.info["track_length_above_emin_x0"] == pytest.approx(exact, rel=1e-5)


def test_bad_input(run_cli, tmp_path):
    code, out, err = run_cli("generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                             "--n", "10", "--out", str(tmp_path / "x"), "--format", "root")
    assert code == 2 and "--format 'root'" in err
    code, out, err = run_cli("generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                             "--n", "10", "--out", str(tmp_path / "x"))
    assert code == 2 and "cannot tell the format" in err
    code, out, err = run_cli("generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                             "--n", "0", "--out", str(tmp_path / "x.lhe"))
    assert code == 2 and "--n 0" in err


def test_cli_generate_lhe(run_json, tmp_path):
    path = tmp_path / "ev.lhe"
    out = run_json("generate", "--beam", "e-", "--energy", "100", "--target", "Pb", "--m-phi",
                   "0.2", "--n", "2000", "--out", str(path))
    assert out["n_events"] == 2000 and path.exists()
    xs = run_json("xsec", "--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--h", "1e-3",
                  "--precision", "0.002")
    assert abs(out["sigma_pb"] - xs["sigma_pb"]) < 4 * math.hypot(out["sigma_err_pb"],
                                                                  xs["sigma_err_pb"])


_LEPTON_FLAVOUR = {11: "e", 13: "mu", 15: "tau"}


def _lepton_numbers(pdg: int) -> dict:
    out = {"e": 0, "mu": 0, "tau": 0}
    if abs(pdg) in _LEPTON_FLAVOUR:
        out[_LEPTON_FLAVOUR[abs(pdg)]] = 1 if pdg > 0 else -1
    return out


@pytest.mark.parametrize("beam,final,couplings", [
    ("e-", "mu", None), ("mu-", "e", None), ("e+", "mu", None), ("mu+", "e", None),
    ("mu-", "mu", "mumu-scalar"), ("e+", "e", "ee-scalar"),
])
def test_every_event_conserves_lepton_numbers_and_charge(beam, final, couplings):
    """Per event: L_e, L_mu, L_tau and charge of the beam equal those of the outgoing lepton
    plus the scalar's decay products (chi2 carries the scalar's lepton numbers)."""
    from leptoportal.generate.sampler import scalar_lepton_numbers
    from leptoportal.generate.writers import lepton_code
    from leptoportal.model import CouplingMatrix, Couplings, DarkSector

    c = CouplingMatrix.model(couplings, 1e-4) if couplings else Couplings.chiral(1e-4)
    proc = Process(beam, 100.0, "Pb", 0.3, c, final_lepton=final)
    # a dark coupling comparable to h: both invisible and visible decays occur
    s = gen.generate(proc, 400, seed=5, dark=DarkSector.benchmark(0.3, g_dark=1e-4))
    l_scalar = scalar_lepton_numbers(proc)
    l_beam = _lepton_numbers(lepton_code(proc.beam))
    l_out = _lepton_numbers(lepton_code(proc.out_lepton))
    for f in ("e", "mu", "tau"):
        assert l_beam[f] == l_out[f] + l_scalar[f]
    assert np.sign(lepton_code(proc.beam)) == np.sign(lepton_code(proc.out_lepton))  # charge
    seen_visible = 0
    for prods, code in zip(s.decay_products, s.scalar_pdg, strict=True):
        assert abs(code) == gen.PDG_PHI and len(prods) == 2
        ids = [pdg for pdg, _ in prods]
        if abs(ids[0]) == gen.PDG_CHI2:  # invisible: chi2 carries the lepton numbers
            assert sorted(map(abs, ids)) == [gen.PDG_CHI1, gen.PDG_CHI2]
            if proc.scalar != "phi (real)":
                assert np.sign(ids[0]) == np.sign(code) and np.sign(ids[1]) == -np.sign(code)
            continue
        seen_visible += 1
        total = {f: sum(_lepton_numbers(i)[f] for i in ids) for f in ("e", "mu", "tau")}
        assert total == l_scalar and sum(np.sign(i) for i in ids) == 0  # neutral pair
    expected_sign = {"phi": 1, "phibar": -1, "phi (real)": 1}[proc.scalar]
    assert set(np.sign(s.scalar_pdg)) == {expected_sign}
    assert 0 < seen_visible < len(s)


def test_e_beam_scalar_is_phibar_decaying_to_mu_plus_e_minus():
    from leptoportal.model import DarkSector

    proc = Process("e-", 100.0, "Pb", 0.3)
    s = gen.generate(proc, 300, seed=2, dark=DarkSector.benchmark(0.3, g_dark=0.0))
    assert set(s.scalar_pdg) == {-gen.PDG_PHI}
    assert all(sorted(p for p, _ in prods) == [-13, 11] for prods in s.decay_products)


def test_displaced_decay_vertices_follow_the_decay_length():
    from leptoportal import decays
    from leptoportal.model import CouplingMatrix, DarkSector, Portal

    c = CouplingMatrix.model("mumu-scalar", 1e-5)
    proc = Process("mu-", 160.0, "Pb", 0.5, c, final_lepton="mu")
    dark = DarkSector.benchmark(0.5, g_dark=0.0)
    s = gen.generate(proc, 3000, seed=4, dark=dark)
    ctau_cm = decays.widths(Portal(0.5, c), dark).ctau_m * 100
    flight = np.linalg.norm(s.decay_vertex_cm - np.column_stack(
        [np.zeros(len(s)), np.zeros(len(s)), s.depth_cm]), axis=1)
    bgct = ctau_cm * np.linalg.norm(s.phi[:, 1:], axis=1) / 0.5
    ratio = flight / bgct  # exponential with unit mean
    assert np.mean(ratio) == pytest.approx(1.0, abs=4 / math.sqrt(len(s)))
    direction = (s.decay_vertex_cm - np.column_stack([0 * s.depth_cm, 0 * s.depth_cm,
                                                      s.depth_cm])) / flight[:, None]
    assert np.allclose(direction, s.phi[:, 1:] / np.linalg.norm(s.phi[:, 1:], axis=1)[:, None])


def test_streamed_files_in_chunks(tmp_path, monkeypatch):
    """Events are spooled and written chunk by chunk: with 1000-event chunks, 3500 events give
    a complete LHE (also gzip-compressed), four Parquet row groups and no leftover spool; the
    first chunk is the in-memory sample of the same seed."""
    import gzip

    from leptoportal.generate import sampler

    monkeypatch.setattr(sampler, "CHUNK_EVENTS", 1000)
    proc = Process("e-", 100.0, "Pb", 0.2)
    with gen.generated_events(proc, 3500, seed=9, workdir=tmp_path) as stream:
        sizes = [len(c) for c in stream.chunks()]
        assert sizes == [1000, 1000, 1000, 500]
        assert len(list(tmp_path.glob(".leptoportal-spool-*"))) == 1
        gen.write_stream(stream, proc, tmp_path / "ev.lhe.gz")
        gen.write_stream(stream, proc, tmp_path / "ev.parquet")
        gen.write_stream(stream, proc, tmp_path / "ev.lhe")
    assert not list(tmp_path.glob(".leptoportal-spool-*"))
    with gzip.open(tmp_path / "ev.lhe.gz", "rt") as f:
        assert f.read().count("<event>") == 3500
    assert len(list(pylhe.LHEFile.fromfile(tmp_path / "ev.lhe").events)) == 3500
    meta = pq.read_metadata(tmp_path / "ev.parquet")
    assert meta.num_rows == 3500 and meta.num_row_groups == 4
    schema = pq.read_schema(tmp_path / "ev.parquet").metadata
    assert schema[b"beam_pdg"] == b"11" and b"GeV" in schema[b"units"]
    table = pq.read_table(tmp_path / "ev.parquet")
    assert set(np.unique(np.abs(table.column("decay1_pdg").to_numpy()))) <= {
        gen.PDG_CHI2, 11, 13}
    monkeypatch.setattr(sampler, "CHUNK_EVENTS", 20_000)
    ref = gen.generate(proc, 3500, seed=9)
    table = pq.read_table(tmp_path / "ev.parquet")
    # same accepted proposals in the same order (the azimuth is drawn per chunk)
    assert np.allclose(table.column("phi_E").to_numpy(), ref.phi[:, 0], rtol=1e-12)


def test_format_follows_the_file_name(tmp_path, run_cli):
    from leptoportal.errors import InputError

    assert gen.format_for("a/ev.hepmc") == "hepmc3"
    assert gen.format_for("ev.LHE.GZ") == "lhe.gz"
    assert gen.format_for("ev.dat", "parquet") == "parquet"
    with pytest.raises(InputError, match="does not match"):
        gen.format_for("ev.hepmc", "lhe")
    with pytest.raises(InputError, match="cannot tell the format"):
        gen.format_for("ev.txt")
    code, out, err = run_cli("generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2",
                             "--n", "200", "--out", str(tmp_path / "ev.hepmc"), "--json")
    assert code == 0, err
    with pyhepmc.open(tmp_path / "ev.hepmc") as f:
        assert sum(1 for _ in f) == 200
