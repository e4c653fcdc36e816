"""The one store and the one atomic writer: schema invalidation, untrusted records are
recomputed, failures leave no temporary files, permissions follow the umask."""

import json
import os

import pytest

from leptoportal import cache, outputs


def _compute(value=1.5):
    calls = []

    def compute():
        calls.append(1)
        return {"sigma_pb": value, "err_pb": 0.1}

    return compute, calls


def test_hit_then_schema_change_invalidates(tmp_path, monkeypatch):
    store = cache.PointStore(tmp_path)
    inputs = {"m_phi": 0.2, "c_s": 0.5 + 0j, "beam": "e-"}
    compute, calls = _compute()
    assert store.get_or_compute(inputs, compute, ("sigma_pb",)) == {"sigma_pb": 1.5,
                                                                    "err_pb": 0.1}
    assert store.get_or_compute(inputs, compute, ("sigma_pb",))["sigma_pb"] == 1.5
    assert len(calls) == 1
    # a new physics schema: the old entry is never served, the point is recomputed
    monkeypatch.setattr(cache, "CACHE_SCHEMA", cache.CACHE_SCHEMA + 1)
    assert store.get(inputs, ("sigma_pb",)) is None
    store.get_or_compute(inputs, compute, ("sigma_pb",))
    assert len(calls) == 2


def test_key_depends_on_every_input_and_schema(monkeypatch):
    a = cache.input_key({"m": 0.2, "c": 1 + 0j})
    assert a == cache.input_key({"c": complex(1, 0), "m": 0.2})  # order and type free
    assert a != cache.input_key({"m": 0.2000001, "c": 1 + 0j})
    monkeypatch.setattr(cache, "CACHE_SCHEMA", cache.CACHE_SCHEMA + 1)
    assert a != cache.input_key({"m": 0.2, "c": 1 + 0j})


@pytest.mark.parametrize("content", [
    '{"sigma_pb": 1.0, "err_pb"',          # truncated
    "[1, 2]", "null", "{}", "not json \x00\xff",
    '{"sigma_pb": NaN, "err_pb": 0.1}', '{"sigma_pb": Infinity, "err_pb": 0.1}',
    '{"sigma_pb": -3.0, "err_pb": 0.1}', '{"sigma_pb": "1.0", "err_pb": 0.1}',
])
def test_untrusted_records_are_recomputed(tmp_path, content):
    store = cache.PointStore(tmp_path)
    inputs = {"m_phi": 0.3}
    path = store.path(inputs)
    path.write_text(content)
    compute, calls = _compute(2.5)
    assert store.get_or_compute(inputs, compute, ("sigma_pb", "err_pb"))["sigma_pb"] == 2.5
    assert calls == [1]
    assert json.loads(path.read_text())["sigma_pb"] == 2.5  # replaced by a valid record


def test_record_of_other_inputs_or_schema_is_not_served(tmp_path):
    store = cache.PointStore(tmp_path)
    store.put({"m_phi": 0.3}, {"sigma_pb": 1.0, "err_pb": 0.1})
    body = json.loads(store.path({"m_phi": 0.3}).read_text())
    # a file copied under another key (or a hash collision) carries the wrong inputs
    store.path({"m_phi": 0.4}).write_text(json.dumps(body))
    assert store.get({"m_phi": 0.4}) is None
    body["_schema"] = cache.CACHE_SCHEMA - 1
    store.path({"m_phi": 0.3}).write_text(json.dumps(body))
    assert store.get({"m_phi": 0.3}) is None


def test_unwritable_entry_warns_and_still_returns(tmp_path):
    store = cache.PointStore(tmp_path)
    inputs = {"m_phi": 0.3}
    store.path(inputs).mkdir(parents=True)  # a directory where the file should be
    compute, calls = _compute()
    with pytest.warns(UserWarning, match="not written"):
        assert store.get_or_compute(inputs, compute, ("sigma_pb",))["sigma_pb"] == 1.5
    assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]


def test_disabled_store_neither_reads_nor_writes(tmp_path):
    store = cache.PointStore(tmp_path)
    compute, calls = _compute()
    store.get_or_compute({"a": 1}, compute, enabled=False)
    store.get_or_compute({"a": 1}, compute, enabled=False)
    assert len(calls) == 2 and not list(tmp_path.iterdir())


def test_atomic_output_cleans_up_and_respects_umask(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    with pytest.raises(RuntimeError), outputs.atomic_output(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("writer failed")
    assert not target.exists() and list((tmp_path / "sub").iterdir()) == []
    outputs.atomic_write_text(target, "done")
    assert target.read_text() == "done"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LEPTOPORTAL_CACHE", str(tmp_path / "c"))
    assert cache.cache_dir() == tmp_path / "c"
    monkeypatch.setenv("LEPTOPORTAL_CACHE", "")  # empty means unset, not the current directory
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "leptoportal"


def test_cache_command_info_and_clear(run_json, tmp_path, monkeypatch):
    monkeypatch.setenv("LEPTOPORTAL_CACHE", str(tmp_path))
    cache.xsec_store().put({"m": 1}, {"sigma_pb": 1.0, "err_pb": 0.1})
    info = run_json("cache", "info")
    assert info["directory"] == str(tmp_path) and info["schema"] == cache.CACHE_SCHEMA
    assert sum(s["entries"] for s in info["stores"].values()) == 1
    cleared = run_json("cache", "clear")
    assert cleared["removed"] == 1
    assert sum(s["entries"] for s in cleared["stores"].values()) == 0
