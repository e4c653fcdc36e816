"""Write src/leptoportal/data/compton_profiles.csv from xraylib (the Hartree-Fock Compton
profiles of Biggs, Mendelsohn & Mann, At. Data Nucl. Data Tables 16 (1975) 201, and the
binding energies and occupancies that xraylib tabulates). Run: python tools/make_compton_profiles.py
(needs `pip install xraylib`; the test suite checks the packaged table against it)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

#: the target elements of data/targets.csv
ELEMENTS = {"H": 1, "C": 6, "O": 8, "Al": 13, "Si": 14, "Fe": 26, "Cu": 29, "W": 74, "Pb": 82}
SHELLS = ("K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5", "N1", "N2", "N3", "N4", "N5",
          "N6", "N7", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "P1", "P2", "P3", "P4", "P5")
#: momenta along the beam (atomic units, m_e c alpha), from 0 to the tables' 100
PZ_AU = np.concatenate([[0.0], np.geomspace(0.02, 100.0, 55)])


def rows() -> list[str]:
    import xraylib

    out = []
    for element, z in ELEMENTS.items():
        for name in SHELLS:
            shell = getattr(xraylib, f"{name}_SHELL")
            try:
                electrons = xraylib.ElectronConfig(z, shell)
                binding_ev = 1e3 * xraylib.EdgeEnergy(z, shell)
                profile = [xraylib.ComptonProfile_Partial(z, shell, float(p)) for p in PZ_AU]
            except ValueError:
                continue
            if electrons <= 0:
                continue
            out.append(",".join([element, name, f"{electrons:.6g}", f"{binding_ev:.6g}",
                                 *(f"{j:.6g}" for j in profile)]))
    return out


def main(path: str) -> None:
    header = ["# Hartree-Fock Compton profiles J(p_z) per electron of each subshell (1/a.u.),",
              "# binding energies (eV) and occupancies, from xraylib 4.3 (Biggs et al. 1975);",
              "# written by tools/make_compton_profiles.py. Columns J_<p_z> at p_z in a.u.",
              ",".join(["element", "shell", "electrons", "binding_eV",
                        *(f"J_{p:.6g}" for p in PZ_AU)])]
    Path(path).write_text("\n".join(header + rows()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/leptoportal/data/compton_profiles.csv")
