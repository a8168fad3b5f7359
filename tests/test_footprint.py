"""Footprint: meter arithmetic with fake counters, RAPL wrap-around, grid lookup, receipt, history."""

from __future__ import annotations

import json

import pytest

import minime.settings
from minime import footprint
from minime.errors import MinimeError
from minime.footprint import CLOUD_WH_PER_IMAGE, Meter, RaplCounter, Reading, receipt


class FakeCounter:
    """Hands out the given cumulative joules one read at a time."""

    def __init__(self, values, method="nvml", estimate=False, min_window_s=0.0, note=""):
        self.values = list(values)
        self.method = method
        self.estimate = estimate
        self.min_window_s = min_window_s
        self.note = note

    def joules(self):
        return self.values.pop(0)


class BrokenCounter:
    method = "rapl"

    def joules(self):
        raise OSError("permission denied")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIME_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MINIME_HISTORY", raising=False)
    minime.settings.settings.cache_clear()
    yield tmp_path / "home"
    minime.settings.settings.cache_clear()


def test_meter_arithmetic_with_a_fake_counter():
    meter = Meter(counters=[FakeCounter([1000.0, 1000.0 + 3600.0, 5000.0, 5000.0 + 360.0])])
    with meter.stage("look"):
        pass
    with meter.stage("engine"):
        pass
    look, engine = meter.readings
    assert (look.stage, look.method, look.estimate) == ("look", "nvml", False)
    assert look.wh == pytest.approx(1.0)
    assert engine.wh == pytest.approx(0.1)
    assert look.seconds >= 0


def test_short_nvml_window_is_marked_an_estimate():
    meter = Meter(counters=[FakeCounter([0.0, 36.0], min_window_s=1.0)])
    with meter.stage("box"):
        pass
    (r,) = meter.readings
    assert r.estimate and "NVML window under 1 s" in r.note
    assert r.wh == pytest.approx(0.01)


def test_stage_is_recorded_even_when_it_raises():
    meter = Meter(counters=[FakeCounter([0.0, 72.0])])
    with pytest.raises(RuntimeError):
        with meter.stage("engine"):
            raise RuntimeError("boom")
    assert meter.readings[0].wh == pytest.approx(0.02)


def test_unreadable_counter_falls_back_to_cpu_time_estimate():
    meter = Meter(counters=[BrokenCounter()])
    with meter.stage("look"):
        pass
    (r,) = meter.readings
    assert r.method == "cpu-time-estimate" and r.estimate
    assert "MINIME_CPU_WATTS_PER_CORE" in r.note


def test_cpu_time_estimate_is_positive_for_a_busy_loop():
    meter = Meter(counters=[footprint.CpuTimeCounter(watts_per_core=15.0)])
    with meter.stage("busy"):
        x = 0
        for i in range(2_000_000):  # a fixed amount of work, not a span of the wall clock
            x += i
    (r,) = meter.readings
    assert r.method == "cpu-time-estimate" and r.estimate
    assert r.wh > 0
    # 15 W for at most the wall time on one busy core (plus a little slack for other threads)
    assert r.wh <= 15.0 * (r.seconds + 0.05) / 3600 * 2


def _rapl_domain(root, name, label, energy, max_range=1_000_000):
    d = root / name
    d.mkdir(parents=True)
    (d / "name").write_text(label + "\n")
    (d / "energy_uj").write_text(f"{energy}\n")
    (d / "max_energy_range_uj").write_text(f"{max_range}\n")
    return d


def test_rapl_wraps_around(tmp_path):
    pkg = _rapl_domain(tmp_path, "intel-rapl:0", "package-0", 900_000)
    counter = RaplCounter.open(tmp_path)
    assert counter is not None
    start = counter.joules()
    (pkg / "energy_uj").write_text("100000\n")  # wrapped: 100_000 up to the max, then 100_000 more
    assert counter.joules() - start == pytest.approx(0.2)
    (pkg / "energy_uj").write_text("400000\n")
    assert counter.joules() - start == pytest.approx(0.5)


def test_rapl_counts_packages_and_dram_not_psys_or_links(tmp_path):
    pkg = _rapl_domain(tmp_path, "intel-rapl:0", "package-0", 0)
    dram = _rapl_domain(pkg, "intel-rapl:0:2", "dram", 0)
    core = _rapl_domain(pkg, "intel-rapl:0:0", "core", 0)
    _rapl_domain(tmp_path, "intel-rapl:1", "psys", 0)
    (tmp_path / "intel-rapl:0:0").symlink_to(pkg / "intel-rapl:0:0")
    counter = RaplCounter.open(tmp_path)
    meter = Meter(counters=[counter])
    with meter.stage("engine"):
        (pkg / "energy_uj").write_text("3600000000\n")  # 3600 J = 1 Wh
        (dram / "energy_uj").write_text("360000000\n")
        (core / "energy_uj").write_text("999999999\n")  # part of the package: not added again
        (tmp_path / "intel-rapl:1" / "energy_uj").write_text("999999999\n")
    (r,) = meter.readings
    assert r.method == "rapl" and not r.estimate
    assert r.wh == pytest.approx(1.1)


def test_rapl_is_skipped_when_unreadable(tmp_path):
    assert RaplCounter.open(tmp_path / "absent") is None
    pkg = tmp_path / "intel-rapl:0"
    pkg.mkdir()
    (pkg / "name").write_text("package-0\n")  # energy_uj missing, as when it is root-only
    assert RaplCounter.open(tmp_path) is None


def test_receipt_math_with_a_known_intensity():
    meter = Meter(counters=[FakeCounter([0.0, 3600.0 * 2])])  # 2 Wh
    with meter.stage("engine"):
        pass
    r = receipt(meter, country="FRA")
    intensity, source = footprint.grid_intensity("FRA")
    assert r.country == "FRA" and r.intensity_g_per_kwh == intensity
    assert r.wh == pytest.approx(2.0)
    assert r.g_co2e == pytest.approx(2.0 / 1000 * intensity)
    assert r.times_less == pytest.approx(CLOUD_WH_PER_IMAGE / 2.0)
    assert r.providers == [] and not r.estimate
    assert "codecarbon" in r.intensity_source and "Luccioni" in r.cloud_source
    line = r.summary()
    assert "FRA grid" in line and "g CO2e" in line and "NVML" in line and "cloud image" in line


def test_receipt_zero_energy_has_no_ratio():
    r = receipt(Meter(counters=[FakeCounter([])]), country="DEU")
    assert r.wh == 0 and r.times_less is None
    assert "cloud image" not in r.summary()


def test_cloud_receipt_names_the_provider():
    meter = Meter(counters=[FakeCounter([0.0, 36.0])])
    with meter.stage("engine"):
        pass
    meter.add_cloud("engine", "openai", images=2, seconds=12.0)
    r = receipt(meter, country="WORLD")
    world, _ = footprint.grid_intensity("WORLD")
    assert r.providers == ["openai"] and r.estimate and r.times_less is None
    assert r.wh == pytest.approx(0.01 + 2 * CLOUD_WH_PER_IMAGE)
    assert r.g_co2e == pytest.approx(r.wh / 1000 * world)
    assert r.seconds < 12.0  # the cloud call's seconds were already timed by the local stage
    assert "openai" in r.summary()


def test_receipt_to_dict_is_json_serialisable():
    meter = Meter(counters=[FakeCounter([0.0, 1.0])])
    with meter.stage("look"):
        pass
    data = json.loads(json.dumps(receipt(meter, country="US").to_dict()))
    assert data["country"] == "USA"
    assert data["readings"][0]["method"] == "nvml"
    assert set(Reading.__dataclass_fields__) <= set(data["readings"][0])


def test_grid_lookup(no_network):
    fra, source = footprint.grid_intensity("FRA")
    assert 20 < fra < 150 and "codecarbon" in source
    assert footprint.grid_intensity("fr") == (fra, source)
    deu, _ = footprint.grid_intensity("DEU")
    usa, _ = footprint.grid_intensity("USA")
    assert footprint.grid_intensity("DE")[0] == deu and footprint.grid_intensity("US")[0] == usa
    assert fra < deu and fra < usa
    world, world_source = footprint.grid_intensity("WORLD")
    assert world == 475 and "IEA" in world_source
    assert footprint.grid_intensity("")[0] == world
    # a real ISO code the table lacks gets the world average, and says so
    aq, aq_source = footprint.grid_intensity("ATA")
    assert aq == world and "no figure for ATA" in aq_source


@pytest.mark.parametrize("bad", ["XX", "XYZ", "France", "F"])
def test_unknown_country_is_an_error(bad):
    with pytest.raises(MinimeError, match="alpha-3"):
        footprint.grid_intensity(bad)


def test_history_record_and_totals(home):
    secret = "Ada Lovelace"
    for engine, wh in (("studio", 0.004), ("studio", 0.006), ("openai", 5.8)):
        meter = Meter(counters=[FakeCounter([0.0, wh * 3600])])
        with meter.stage("engine"):
            pass
        footprint.record(receipt(meter, country="FR"), engine=engine)
    text = (home / "history.jsonl").read_text()
    assert secret not in text and "Ada" not in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert all(set(row) == {"time", "engine", "seconds", "wh", "g_co2e"} for row in rows)
    t = footprint.totals()
    assert t["figures"] == 3 and t["engines"] == {"studio": 2, "openai": 1}
    assert t["wh"] == pytest.approx(5.81)
    assert t["g_co2e"] == pytest.approx(sum(row["g_co2e"] for row in rows))


def test_history_off_writes_nothing(home, monkeypatch):
    monkeypatch.setenv("MINIME_HISTORY", "false")
    minime.settings.settings.cache_clear()
    footprint.record(receipt(Meter(counters=[FakeCounter([])]), country="FRA"), engine="studio")
    assert not (home / "history.jsonl").exists()
    assert footprint.totals()["figures"] == 0


def test_default_meter_reads_something(no_network):
    meter = Meter()
    with meter.stage("look"):
        sum(i * i for i in range(2_000_000))  # tens of milliseconds of work: every counter sees some energy
    (r,) = meter.readings
    assert r.method in ("nvml", "rapl", "cpu-time-estimate") and r.wh > 0 and r.seconds > 0.005
