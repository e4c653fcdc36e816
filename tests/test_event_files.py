"""Event files that shower and detector programs take as they are: the LHE lifetime column
(VTIMUP) against the decay vertices and c tau, an SLHA parameter block that pylhe reads, the
nucleus code agreeing with the nucleus four-momentum, HepMC3 run information and weights,
documented Parquet metadata."""

import json
import re

import numpy as np
import pyarrow.parquet as pq
import pyhepmc
import pylhe
import pytest

from leptoportal import generate as gen

LONG_LIVED = ("--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--h", "1e-6",
              "--alpha-dark", "0")


def _slha(text: str) -> dict:
    """Blocks of SLHA text: {"MASS": {(code,): value}, ..., "DECAY": {code: (width, [...])}}."""
    blocks: dict = {}
    current = None
    for line in text.splitlines():
        body = line.split("#")[0].split()
        if not body:
            continue
        if body[0].upper() == "BLOCK":
            current = blocks.setdefault(body[1].upper(), {})
        elif body[0].upper() == "DECAY":
            current = []
            blocks.setdefault("DECAY", {})[int(body[1])] = (float(body[2]), current)
        elif isinstance(current, list):
            current.append((float(body[0]), tuple(int(x) for x in body[2:])))
        else:
            current[tuple(int(x) for x in body[:-1])] = float(body[-1])
    return blocks


@pytest.fixture(scope="module")
def long_lived(tmp_path_factory):
    """2000 events of a long-lived scalar (h = 1e-6, no dark sector: c tau = 9.5 cm)."""
    from leptoportal.cli import main

    path = tmp_path_factory.mktemp("ll") / "ll.lhe"
    with pytest.raises(SystemExit) as exc:
        main(["generate", *LONG_LIVED, "--n", "2000", "--out", str(path), "--json"])
    assert exc.value.code in (0, None)
    return path


def test_lhe_vtimup_is_the_proper_decay_length(long_lived, run_json):
    """VTIMUP of the scalar is its proper decay length in mm: it equals the flight distance
    to the #decay_vertex_cm over beta gamma (an independent route through the vertices), and
    its mean is c tau of the widths command (within the statistical error)."""
    lhe = pylhe.LHEFile.fromfile(long_lived)
    ctau_mm = 1e3 * run_json("widths", "--m-phi", "0.2", "--h", "1e-6",
                             "--alpha-dark", "0")["ctau_m"]
    text = long_lived.read_text()
    vertices = [tuple(map(float, v)) for v in
                re.findall(r"#decay_vertex_cm (\S+) (\S+) (\S+)", text)]
    proper = []
    for ev, vertex in zip(lhe.events, vertices, strict=True):
        phi = next(p for p in ev.particles if abs(p.id) == gen.PDG_PHI)
        assert phi.status == 2  # decayed, its products follow with it as mother
        p = np.array([phi.px, phi.py, phi.pz])
        bg = np.linalg.norm(p) / phi.m
        flight_cm = np.linalg.norm(np.array(vertex))  # produced at (0, 0, 0): thin target
        assert phi.lifetime == pytest.approx(10.0 * flight_cm / bg, rel=1e-5)
        proper.append(phi.lifetime)
    proper = np.array(proper)
    assert len(proper) == 2000 and proper.min() > 0
    assert proper.mean() == pytest.approx(ctau_mm, abs=4 * ctau_mm / np.sqrt(len(proper)))


def test_lhe_parameter_block_and_init(long_lived, run_json):
    """The SLHA block in the header (read through pylhe) gives the mass, the couplings, the
    total width and branching fractions of the widths command; the init block the sample's
    cross-section and the generator; the nucleus is Pb-208 with its mass in the init and on
    every recoil line."""
    lhe = pylhe.LHEFile.fromfile(long_lived)
    elements = {e.tag: e for e in lhe.header.extra_elements}
    slha = _slha(elements["slha"].text)
    widths = run_json("widths", "--m-phi", "0.2", "--h", "1e-6", "--alpha-dark", "0")
    assert slha["MASS"][(gen.PDG_PHI,)] == pytest.approx(0.2)
    assert slha["LPCS"][(11, 13)] == pytest.approx(0.5e-6)
    width, channels = slha["DECAY"][gen.PDG_PHI]
    assert width == pytest.approx(widths["gamma_total"], rel=1e-7)
    assert channels == [(1.0, (13, -11))]  # phi -> mu- e+
    run = dict(line.split(" = ", 1) for line in elements["leptoportal"].text.strip()
               .splitlines())
    from leptoportal import __version__

    assert run["generator"] == f"leptoportal {__version__}" and run["seed"] == "1"
    assert [(g.name, g.version) for g in lhe.init.generators] == [("leptoportal",
                                                                    __version__)]
    assert lhe.init.initInfo.beamA == 11 and lhe.init.initInfo.beamB == 1000822080
    mass = lhe.init.initInfo.energyB
    assert mass == pytest.approx(207.9766525 * 0.93149410372 - 82 * 0.51099895e-3, rel=1e-8)
    for ev in list(lhe.events)[:50]:
        recoil = [p for p in ev.particles if p.id == 1000822080 and p.status == 1][0]
        m2 = recoil.e**2 - recoil.px**2 - recoil.py**2 - recoil.pz**2
        assert recoil.m == pytest.approx(mass, rel=1e-12)
        assert np.sqrt(m2) == pytest.approx(mass, rel=1e-9)


def test_nuclear_masses_agree_with_the_particle_package():
    """targets.csv's isotopes (AME2020) against the particle package's nuclear table."""
    from particle import Particle

    from leptoportal.constants import AMU_GEV
    from leptoportal.production import get_target
    from leptoportal.production.targets import targets

    for name, t in targets().items():
        if name == "H":
            continue  # the particle package lists the bare proton for hydrogen
        atomic_gev = Particle.from_pdgid(t.nucleus_pdg).mass / 1e3
        assert t.isotope_mass_u * AMU_GEV == pytest.approx(atomic_gev, rel=3e-8), name
        assert abs(t.isotope_A - t.A) < 1.0, name
    assert get_target("Pb").nucleus_mass == pytest.approx(207.2 * AMU_GEV)  # cross-sections


def test_hepmc3_run_info_and_weights(tmp_path, run_json):
    path = tmp_path / "ev.hepmc3"
    out = run_json("generate", *LONG_LIVED, "--n", "50", "--out", str(path))
    from leptoportal import __version__

    with pyhepmc.open(path) as f:
        events = list(f)
    assert len(events) == 50
    info = events[0].run_info
    assert [(t.name, t.version) for t in info.tools] == [("leptoportal", __version__)]
    assert list(info.weight_names) == ["Default"]
    assert str(info.attributes["nucleus_pdg"]) == "1000822080"
    assert "DECAY" in str(info.attributes["slha"])
    for ev in events:
        assert list(ev.weights) == [1.0]
        assert ev.cross_section.xsec() == pytest.approx(out["sigma_pb"])


def test_parquet_metadata_keys_are_named_and_documented(tmp_path, run_json):
    """The schema metadata: the run's parameters under the names of the JSON output
    (unweighting_efficiency, not 'efficiency'), each listed in the outputs documentation."""
    path = tmp_path / "ev.parquet"
    out = run_json("generate", *LONG_LIVED, "--n", "50", "--out", str(path))
    meta = {k.decode(): v.decode() for k, v in pq.read_schema(path).metadata.items()
            if not k.startswith(b"ARROW")}
    assert "efficiency" not in meta
    assert float(meta["unweighting_efficiency"]) == pytest.approx(
        out["unweighting_efficiency"], rel=1e-5)
    assert float(meta["sigma_pb"]) == pytest.approx(out["sigma_pb"], rel=1e-9)
    from pathlib import Path

    docs = (Path(__file__).parents[1] / "docs" / "outputs.md").read_text()
    for key in meta:
        assert f"`{key}`" in docs, key
    columns = pq.read_schema(path).names
    assert "proper_length_mm" in columns
    for col in columns:
        assert f"`{col}`" in docs or re.sub(r"^(beam|lepton|phi|recoil|decay[12])_", "<p>_",
                                            col) in docs, col
    json.dumps(meta)


def _qnumbers(text: str) -> dict[int, dict[int, int]]:
    """BLOCK QNUMBERS code -> {entry: value} of SLHA text."""
    out: dict[int, dict[int, int]] = {}
    current = None
    for line in text.splitlines():
        body = line.split("#")[0].split()
        if body[:2] == ["BLOCK", "QNUMBERS"]:
            current = out.setdefault(int(body[2]), {})
        elif body and body[0] in ("BLOCK", "DECAY"):
            current = None
        elif body and current is not None:
            current[int(body[0])] = int(body[1])
    return out


def test_lhe_weights_scale_and_quantum_numbers(long_lived):
    """The init block and the events follow the standard as MadGraph writes it: XMAXUP is the
    largest XWGTUP and both are the cross-section to every digit (IDWTUP = 3); SCALUP is
    m_phi; BLOCK QNUMBERS gives phi and, with a dark sector, chi1 and chi2 (neutral, a
    scalar and two Dirac fermions, each with its antiparticle)."""
    lhe = pylhe.LHEFile.fromfile(long_lived)
    info, (proc,) = lhe.init.initInfo, lhe.init.procInfo
    assert info.weightingStrategy == 3
    weights = {ev.eventinfo.weight for ev in lhe.events}
    assert weights == {proc.unitWeight} == {proc.xSection}
    run = dict(line.split(" = ", 1) for line in {e.tag: e for e in lhe.header.extra_elements}[
        "leptoportal"].text.strip().splitlines())
    assert proc.xSection == pytest.approx(float(run["sigma_pb"]), rel=1e-9)
    head = [ln for ln in long_lived.read_text().splitlines() if ln.startswith("7 1 ")][0]
    assert len(head.split()[2].split("e")[0].replace(".", "")) == 17  # every digit
    assert {ev.eventinfo.scale for ev in pylhe.LHEFile.fromfile(long_lived).events} == {0.2}
    slha = {e.tag: e for e in lhe.header.extra_elements}["slha"].text
    assert _qnumbers(slha) == {gen.PDG_PHI: {1: 0, 2: 1, 3: 1, 4: 1}}  # no dark sector here
    from leptoportal.generate.writers import slha_block

    dark = "\n".join(slha_block({**_model(), "m_chi": 0.1, "g_dark": 1.0}))
    assert _qnumbers(dark) == {gen.PDG_PHI: {1: 0, 2: 1, 3: 1, 4: 1},
                               gen.PDG_CHI1: {1: 0, 2: 2, 3: 1, 4: 1},
                               gen.PDG_CHI2: {1: 0, 2: 2, 3: 1, 4: 1}}


def _model() -> dict:
    return {"m_phi": 0.3, "gamma_total": 1e-3, "ctau_m": 2e-13, "channels": [],
            "couplings": []}


def test_hepmc3_cross_section_counts_accepted_and_attempted_events(tmp_path, run_json):
    path = tmp_path / "ev.hepmc3"
    out = run_json("generate", *LONG_LIVED, "--n", "40", "--out", str(path))
    with pyhepmc.open(path) as f:
        events = list(f)
    for ev in events:
        assert ev.cross_section.accepted_events == 40
        assert ev.cross_section.attempted_events == out["proposals"] > 40


@pytest.mark.parametrize("what", ["dark decays by the package", "visible phi left to Pythia"])
def test_pythia8_runs_our_events_as_they_are(tmp_path, run_json, what):
    """Pythia 8 (pythia8mc) reads a generated LHE file with the settings written beside it
    and runs its 1000 events: no failed event, no error or abort in its log (but the one line
    at the first event that docs/outputs.md explains), phi's mass and width from the file,
    four-momentum conserved between the beams and the final state to 1e-6 GeV; a phi the
    package leaves undecayed is decayed by Pythia into mu+ e- (phibar of e- -> mu-)."""
    import mkdocs_hooks

    visible = what.startswith("visible")
    events = (mkdocs_hooks.PYTHIA_EVENTS if visible else
              ["generate", "--energy", "100", "--target", "Pb", "--m-phi", "0.2", "--n",
               "1000", "--out", "events.lhe"])
    printed = mkdocs_hooks.run_pythia_example(tmp_path, events)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.lhe", "events.pythia8.cmnd"]
    problems = [ln for ln in printed.splitlines() if re.search(r"PYTHIA (Error|Abort)", ln)
                and "reached end of Les Houches Events File" not in ln]
    assert problems == []
    assert [ln for ln in printed.splitlines() if "Error" in ln] == [
        "Error in nPDF::xfUpdate: No free proton PDF pointer set."]
    assert "events 1000, failed 0" in printed
    widths = run_json("widths", "--m-phi", "0.2", "--h", "1e-3",
                      *(["--alpha-dark", "0"] if visible else ["--alpha-dark", "0.1"]))
    m0, width = map(float, re.search(r"m0 = (\S+) GeV, width = (\S+) GeV", printed).groups())
    assert m0 == 0.2 and width == pytest.approx(widths["gamma_total"], rel=1e-6)
    worst = float(re.search(r"p_beams\| = (\S+) GeV", printed).group(1))
    assert worst < 1e-6
    if visible:
        assert "phi decays made by Pythia: {(-13, 11): 1000}" in printed
