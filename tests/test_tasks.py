"""The task API: the functions behind the commands and the scans."""

import math

import pytest

from leptoportal import InputError, tasks
from leptoportal.experiments import resolve_config


def test_alpha_dark_zero_means_no_invisible_decay(run_json):
    y = tasks.signal_yield(0.3, 1e-3, "na64mu", alpha_dark=0.0, precision=0.03)
    assert y["br_invisible"] == 0.0 and y["n_signal"] == 0.0
    default = tasks.signal_yield(0.3, 1e-3, "na64mu", precision=0.03)
    assert default["br_invisible"] > 0.99
    out = run_json("yield", "--experiment", "na64mu", "--m-phi", "0.3", "--h", "1e-3",
                   "--alpha-dark", "0", "--precision", "0.03")
    assert out["br_invisible"] == 0.0
    # with no invisible width no coupling can be excluded
    lim = tasks.limit(0.3, "na64mu", alpha_dark=0.0, precision=0.03)
    assert lim["h_limit"] == math.inf


def test_run_task_dispatches_to_the_same_functions():
    row = tasks.run_task({"kind": "g2-band", "m_phi": 0.5})
    assert row == {"kind": "g2-band", **tasks.g2_band(0.5)}
    with pytest.raises(InputError, match="kind = 'nope'"):
        tasks.run_task({"kind": "nope"})
    with pytest.raises(InputError, match="unknown parameter"):
        tasks.run_task({"kind": "g2-band", "m_phi": 0.5, "mass": 1})
    with pytest.raises(InputError, match="missing parameter"):
        tasks.run_task({"kind": "relic", "m_phi": 0.5})
    with pytest.raises(InputError, match="unknown parameter"):
        tasks.run_task({"kind": "limit", "m_phi": 0.5, "experiment": "ldmx", "eotx": 1})


def test_yaml_config_and_flags_override_a_preset_together():
    cfg = resolve_config("na64e-2016-2018", {"eot": 1e12, "efficiency": 0.4}, eot=2e12)
    assert cfg.eot == 2e12 and cfg.efficiency == 0.4 and cfg.energy == 100.0
    cfg = resolve_config(None, {"experiment": "ldmx", "name": "my-ldmx"}, eot=1e15)
    assert cfg.name == "my-ldmx" and cfg.eot == 1e15 and cfg.energy == 8.0
    cfg = resolve_config("ldmx", None, energy=4.0)  # a flag overrides the preset's field
    assert cfg.energy == 4.0


def test_limit_command_with_config_file_and_same_flag(run_json, tmp_path):
    f = tmp_path / "my.yaml"
    f.write_text("experiment: na64e-2016-2018\neot: 1.0e12\nefficiency: 0.4\n")
    out = run_json("limit", "--m-phi", "0.5", "--config", str(f), "--eot", "2e12",
                   "--efficiency", "0.5", "--precision", "0.03")
    assert out["eot"] == 2e12
    direct = tasks.limit(0.5, "na64e-2016-2018", eot=2e12, efficiency=0.5, precision=0.03)
    assert out["points"][0] == direct


def test_custom_setup_from_fields():
    y = tasks.signal_yield(0.3, 1e-3, beam="e-", energy=8.0, target="W", thickness_x0=0.1,
                           eot=1e14, precision=0.03)
    assert y["n_signal"] > 0 and y["experiment"] == "custom"
    with pytest.raises(InputError, match="missing: thickness_x0"):
        tasks.signal_yield(0.3, 1e-3, beam="e-", energy=8.0, target="W")
