"""Shower and decay leptoportal's events with Pythia 8 (the pythia8mc package), from the
directory of the files that

    leptoportal generate --energy 100 --target Pb --m-phi 0.2 --alpha-dark 0 --decay none \
        --n 1000 --out events.lhe

writes (events.lhe and its settings, events.pythia8.cmnd)."""

from collections import Counter

import pythia8mc

pythia = pythia8mc.Pythia("", False)  # False: no banner
pythia.readFile("events.pythia8.cmnd")  # written by generate beside events.lhe
for quiet in ("Next:numberCount = 0", "Init:showChangedSettings = off",
              "Init:showChangedParticleData = off", "Next:numberShowEvent = 0",
              "Next:numberShowProcess = 0", "Next:numberShowLHA = 0"):
    pythia.readString(quiet)
pythia.init()

events = failed = 0
worst = 0.0  # the largest |sum of p over the final state - p of the two beams| (GeV)
decays: Counter = Counter()  # the decays of phi that Pythia made
while True:
    if not pythia.next():
        if pythia.infoPython().atEndOfFile():
            break
        failed += 1
        continue
    events += 1
    record = pythia.event
    balance = [0.0, 0.0, 0.0, 0.0]
    for i in range(record.size()):
        p = record[i]
        sign = -1 if i in (1, 2) else (1 if p.isFinal() else 0)  # 1, 2: the beams
        for k, x in enumerate((p.px(), p.py(), p.pz(), p.e())):
            balance[k] += sign * x
        if abs(p.id()) == 9000005 and p.daughter1() > 0:
            decays[tuple(sorted(record[d].id() for d in p.daughterList()))] += 1
    worst = max(worst, *map(abs, balance))

data = pythia.particleData
print(f"events {events}, failed {failed}")
print(f"phi in Pythia: m0 = {data.m0(9000005):.6g} GeV, width = {data.mWidth(9000005):.6g} GeV")
print(f"phi decays made by Pythia: {dict(decays)}")
print(f"largest |sum p_final - p_beams| = {worst:.2g} GeV")
