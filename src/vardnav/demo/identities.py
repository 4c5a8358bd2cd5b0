"""The demo population's fixed identities.

Every personal number here is one of Skatteverket's official test numbers
(testpersonnummer), except the samordningsnummer, which that list does not
contain: it was written to validate (born 1990-05-13,
day + 60) and is checked in the tests. Ages are as of 2026-11-22.
"""

GUARDIAN = "197901012380"  # Anna Lindqvist, guardian of the three children below
GUARDIAN_2 = "198101012386"  # Johan Lindqvist, the children's other guardian
CHILD_8 = "201801012392"  # Elsa Lindqvist, 8
CHILD_14 = "201201012380"  # Oskar Lindqvist, 14
CHILD_17 = "200901012385"  # Maja Lindqvist, 17
PROTECTED = "198501012382"  # protected identity: only the personal number is stored (PRIV-1)
AGED_85 = "194101012393"  # Gunnar Ek, 85
COORDINATION = "199005732392"  # samordningsnummer: Luis Moreno, born 1990-05-13
RESIDENT_A = "197601012391"  # Karin Berg
RESIDENT_B = "198301012384"  # Ali Hassan
RESIDENTS = [
    "199001012385",
    "199201012383",
    "199501012380",
    "198801012397",
    "197601192383",
    "198301199298",
    "199001252395",
    "199201182392",
    "199501182381",
    "198801192397",
    "197602062387",
    "198302062388",
]
